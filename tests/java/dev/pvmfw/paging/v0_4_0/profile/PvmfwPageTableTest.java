package dev.pvmfw.paging.v0_4_0.profile;

import dev.pvmfw.testing.Tables;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.v0_4_0.MapError;
import dev.pvmfw.paging.v0_4_0.MapException;
import dev.pvmfw.paging.port.MmuOpsException;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.internal.TableLayout;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * pvmfw's mmu.rs page table on 0.4.0 (the port's implementation for this crate version): the attribute sets, the
 * descriptors 0.4.0 writes for them, activation, rounding, and modify_range as 0.4.0 runs it.
 */
class PvmfwPageTableTest {
    static final long MIB2 = 2L << 20;
    final TableArena arena = TableArena.create(64);
    final PvmfwPageTable pt = new PvmfwPageTable(arena);

    @AfterEach
    void tearDown() {
        pt.close();
        arena.close();
    }

    @Test
    void attributeSetsHaveTheUpstreamValues() {
        assertEquals(0xb05L, PvmfwPageTable.MEMORY.bits());
        assertEquals(0x00e0_0000_0000_0000L, PvmfwPageTable.DEVICE_LAZY.bits());
        assertEquals(0x00e0_0000_0000_0001L, PvmfwPageTable.DEVICE.bits());
        assertEquals(0xb85L, PvmfwPageTable.CODE.bits());
        assertEquals(0x0060_0000_0000_0b05L, PvmfwPageTable.DATA.bits());
        assertEquals(0x0060_0000_0000_0b85L, PvmfwPageTable.RODATA.bits());
        assertEquals(0x0068_0000_0000_0b85L, PvmfwPageTable.DATA_DBM.bits());
        assertEquals(1L << 55, PvmfwPageTable.MMIO_LAZY_MAP_FLAG.bits());
        assertEquals(Attributes.SWFLAG_0, PvmfwPageTable.MMIO_LAZY_MAP_FLAG);
    }

    @Test
    void pageDescriptorsForEachSetAtLevel3() throws MmuOpsException {
        pt.mapDeviceLazy(0x10_0000, 0x10_1000);
        pt.mapDevice(0x10_1000, 0x10_2000);
        pt.mapCode(0x10_2000, 0x10_3000);
        pt.mapData(0x10_3000, 0x10_4000);
        pt.mapRodata(0x10_4000, 0x10_5000);
        var root = pt.rootTable();
        assertEquals(0x00E0_0000_0010_0402L, Tables.entry(root, 0x10_0000, 3));
        assertEquals(0x00E0_0000_0010_1403L, Tables.entry(root, 0x10_1000, 3));
        assertEquals(0x10_2F87L, Tables.entry(root, 0x10_2000, 3));
        assertEquals(0x0060_0000_0010_3F07L, Tables.entry(root, 0x10_3000, 3));
        assertEquals(0x0060_0000_0010_4F87L, Tables.entry(root, 0x10_4000, 3));
    }

    @Test
    void blockDescriptorsForEachSetAtLevel2() throws MmuOpsException {
        pt.mapDeviceLazy(0x0900_0000L, 0x0900_0000L + MIB2);
        pt.mapDevice(0x0920_0000L, 0x0920_0000L + MIB2);
        pt.mapCode(0x0940_0000L, 0x0940_0000L + MIB2);
        pt.mapData(0x0960_0000L, 0x0960_0000L + MIB2);
        pt.mapRodata(0x0980_0000L, 0x0980_0000L + MIB2);
        var root = pt.rootTable();
        assertEquals(0x00E0_0000_0900_0400L, Tables.entry(root, 0x0900_0000L, 2));
        assertEquals(0x00E0_0000_0920_0401L, Tables.entry(root, 0x0920_0000L, 2));
        assertEquals(0x0940_0F85L, Tables.entry(root, 0x0940_0000L, 2));
        assertEquals(0x0060_0000_0960_0F05L, Tables.entry(root, 0x0960_0000L, 2));
        assertEquals(0x0060_0000_0980_0F85L, Tables.entry(root, 0x0980_0000L, 2));
    }

    /** S3 ({@code docs/aarch64-paging-0.4.0.md}, "Worked images"): a lazy 2 MiB block at L2[72], then one page re-mapped DEVICE splits it (0.4.0 fill-on-split). */
    @Test
    void s3LazyBlockSplitByMapDeviceBytes() throws MmuOpsException {
        pt.mapDeviceLazy(0x0900_0000L, 0x0900_0000L + MIB2);
        var root = pt.rootTable();
        assertEquals(72, Tables.index(0x0900_0000L, 2));
        assertEquals(0x00E0_0000_0900_0400L, Tables.entry(root, 0x0900_0000L, 2));
        pt.mapDevice(0x0900_1000L, 0x0900_2000L);
        var l3 = Tables.tableAt(root, 0x0900_0000L, 3);
        for (int j = 0; j < 512; j++) {
            long expected = j == 1 ? 0x00E0_0000_0900_1403L : 0x00E0_0000_0900_0402L + j * 0x1000L;
            assertEquals(expected, TableLayout.read(l3, j), "L3[" + j + "]");
        }
        // Slots: root, L2, L3 (the L2 table came from splitting the zero root entry: garbage-filled).
        assertEquals(3, arena.usedSlots());
    }

    @Test
    void rangesRoundOutTo4KiB() throws MmuOpsException {
        pt.mapDevice(0x3f8, 0x3f9); // the UART: one byte → page 0
        assertEquals(0x00E0_0000_0000_0403L, Tables.entry(pt.rootTable(), 0, 3));
        assertEquals(0x1402L, Tables.entry(pt.rootTable(), 0x1000, 3)); // 0.4.0 garbage fill: invalid, no flag
    }

    @Test
    void mapErrorsAreTheCratesRegionBackwardsAndAddressRange() {
        MmuOpsException e = assertThrows(MmuOpsException.class, () -> pt.mapData(0x2000, 0x1000));
        assertInstanceOf(MapError.RegionBackwards.class, ((MapException) e.getCause()).error());
        assertEquals("RegionBackwards(0x0000000000002000..0x0000000000001000)", e.debug());
        e = assertThrows(MmuOpsException.class, () -> pt.mapDeviceLazy(1L << 39, (1L << 39) + 1));
        assertEquals("Virtual address 0x0000008000001000 out of range", e.getMessage());
        // The crate's derived Debug (idmap.rs map_out_of_range: AddressRange(VirtualAddress(MAX + PAGE_SIZE))).
        assertEquals("AddressRange(VirtualAddress(0x0000008000001000))", e.debug());
    }

    @Test
    void activateRecordsTtbr0RootPaOrAsid1() {
        assertTrue(pt.writtenTtbr0().isEmpty());
        long expected = TableArena.DEFAULT_PA_BASE | 1L << 48;
                assertEquals(expected, pt.activate());
        assertEquals(expected, pt.writtenTtbr0().getAsLong());
        assertTrue(pt.isActive());
        CratePanic p = assertThrows(CratePanic.class, pt::activate);
        assertEquals("assertion failed: self.previous_ttbr.is_none()", p.getMessage());
    }

    @Test
    void defaultConstructorUsesIdMapsOwnTranslation() throws MmuOpsException {
        try (PvmfwPageTable own = new PvmfwPageTable()) {
            own.mapDevice(0x3f8, 0x3f9);
            assertEquals(0x00E0_0000_0000_0403L, Tables.entry(own.rootTable(), 0, 3));
            assertEquals(1, own.rootTable().level());
            assertEquals(1L << 39, own.rootTable().size());
            assertFalse(own.isActive());
        }
    }

    @Test
    void modifyRangeVisitsTablesThenTheLeafWithWholeRanges() throws MmuOpsException {
        pt.mapDeviceLazy(0x0900_0000L, 0x0900_0000L + MIB2);
        AtomicInteger calls = new AtomicInteger();
        StringBuilder seen = new StringBuilder();
        pt.modifyRange(0x0900_1234L, 0x0900_1235L, (range, desc) -> {
            calls.incrementAndGet();
            seen.append(desc.level()).append(':').append(range).append(';');
            return true;
        });
        assertEquals(2, calls.get());
        assertEquals("1:0x0000000000000000..0x0000000040000000;2:0x0000000009000000..0x0000000009200000;",
                seen.toString());
    }

    /** DATA_DBM = RODATA | DBM (pvmfw mmu.rs); a page is {@code pa | flags | ACCESSED | TABLE_OR_PAGE}. */
    @Test
    void mapDataDbmWritesDataDbmPages() throws MmuOpsException {
        pt.mapDataDbm(0x10_5000, 0x10_6000);
        assertEquals(0x0068_0000_0010_5F87L, Tables.entry(pt.rootTable(), 0x10_5000, 3));
    }

    @Test
    void theRootIsTheFirstTableAtLevel1InTheLowerRange() {
        assertEquals(arena.paBase(), pt.rootPa());
        assertEquals(1, pt.rootLevel());
        assertEquals(VaRange.LOWER, pt.vaRange());
    }

    @Test
    void theMemoryViewReadsTheTablesUntilTheTableIsDropped() throws MmuOpsException {
        pt.mapDevice(0x3f8, 0x3f9);
        var memory = pt.memory();
        assertEquals(0x4000_1003L, TableLayout.read(memory.table(pt.rootPa()), 0), "L1[0] -> the L2 table");
        pt.close();
        MemoryLifetimeException e = assertThrows(MemoryLifetimeException.class, () -> memory.table(pt.rootPa()));
        assertEquals(MemoryLifetimeException.Kind.CLOSED, e.kind());
    }

    /** pvmfw's PageTable derives Debug around the crate's IdMap (docs/aarch64-paging-0.4.0.md, "Debug formats"). */
    @Test
    void debugIsTheRootTablesAndToStringWrapsTheIdMap() {
        String root = "RootTable { pa: 0x0000000040000000, level: 1, table:\n0  -511: 0\n}";
        assertEquals(root, pt.debug());
        assertEquals("PageTable { idmap: IdMap { mapping: Mapping { root: " + root
                + ", asid: 1, previous_ttbr: None } } }", pt.toString());
    }

    /** The port's Pte over 0.4.0: modify_flags has no checks and is always applied. */
    @Test
    void theVisitorsPteSeesTablesAndModifiesFlags() throws MmuOpsException {
        pt.mapDeviceLazy(0x0900_0000L, 0x0900_0000L + MIB2);
        StringBuilder seen = new StringBuilder();
        pt.modifyRange(0x0900_0000L, 0x0900_1000L, (range, desc) -> {
            seen.append(desc.level()).append(desc.isTableOrPage() ? "T" : "-");
            if (desc.level() == 2) {
                assertTrue(desc.modifyFlags(Attributes.VALID.bits(), 0));
            }
            return true;
        });
        assertEquals("1T2-", seen.toString());
        assertEquals(0x00E0_0000_0900_0401L, Tables.entry(pt.rootTable(), 0x0900_0000L, 2));
    }

    /** A visitor's false is the updater's Err: modify_range stops with PteUpdateFault on that entry (0.4.0). */
    @Test
    void aVisitorsFalseIsAPteUpdateFault() throws MmuOpsException {
        pt.mapDeviceLazy(0x0900_0000L, 0x0900_0000L + MIB2);
        MmuOpsException e = assertThrows(MmuOpsException.class,
                () -> pt.modifyRange(0x0900_0000L, 0x0900_1000L, (range, desc) -> false));
        assertEquals("Error updating page table entry 0x00000040001003 (0x0000000040001000, Attributes(VALID"
                + " | TABLE_OR_PAGE))", e.getMessage());
    }
}
