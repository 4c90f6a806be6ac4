package dev.pvmfw.paging.v0_12_1.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.port.MmuOpsException;
import dev.pvmfw.paging.port.PteFlags;
import dev.pvmfw.paging.v0_12_1.Descriptor;
import dev.pvmfw.paging.v0_12_1.El1Attributes;
import dev.pvmfw.paging.v0_12_1.MapError;
import dev.pvmfw.paging.v0_12_1.MapException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * pvmfw's page table on 0.12.1 (the port's implementation for this crate version): libvmbase's attribute sets, the
 * descriptors 0.12.1 writes for them, the page-only DBM mapping, activation, modify_range with 0.12.1's semantics
 * through the port, and the drop ({@code docs/aarch64-paging-0.12.1.md}, "pvmfw's page table on 0.12.1").
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

    long entry(long va, int level) {
        MemorySegment table = pt.rootTable().rootSegment();
        for (int l = 1; l < level; l++) {
            long d = TableLayout.read(table, dev.pvmfw.paging.Geometry.index(va, l));
            assertEquals(3, d & 3, "a table at level " + l);
            table = arena.table(Descriptor.outputAddressOf(d));
        }
        return TableLayout.read(table, dev.pvmfw.paging.Geometry.index(va, level));
    }

    @Test
    void attributeSetsAreLibvmbasesFromAarch64Paging06On() {
        assertEquals(0xf05L, PvmfwPageTable.MEMORY.bits());
        assertEquals(0x00c0_0000_0000_0400L, PvmfwPageTable.DEVICE_LAZY.bits());
        assertEquals(0x00c0_0000_0000_0401L, PvmfwPageTable.DEVICE.bits());
        assertEquals(0xf85L, PvmfwPageTable.CODE.bits());
        assertEquals(0x0040_0000_0000_0f05L, PvmfwPageTable.DATA.bits());
        assertEquals(0x0040_0000_0000_0f85L, PvmfwPageTable.RODATA.bits());
        assertEquals(0x0048_0000_0000_0f85L, PvmfwPageTable.DATA_DBM.bits());
        assertEquals(PteFlags.SWFLAG_0, PvmfwPageTable.MMIO_LAZY_MAP_FLAG.bits());
    }

    @Test
    void pageDescriptorsForEachSetAtLevel3() throws MmuOpsException {
        pt.mapDeviceLazy(0x10_0000, 0x10_1000);
        pt.mapDevice(0x10_1000, 0x10_2000);
        pt.mapCode(0x10_2000, 0x10_3000);
        pt.mapData(0x10_3000, 0x10_4000);
        pt.mapRodata(0x10_4000, 0x10_5000);
        pt.mapDataDbm(0x10_5000, 0x10_6000);
        assertEquals(0x00c0_0000_0000_0400L, entry(0x10_0000, 3), "lazy: flags only, no PA, no page bit");
        assertEquals(0x00c0_0000_0010_1403L, entry(0x10_1000, 3));
        assertEquals(0x10_2f87L, entry(0x10_2000, 3));
        assertEquals(0x0040_0000_0010_3f07L, entry(0x10_3000, 3));
        assertEquals(0x0040_0000_0010_4f87L, entry(0x10_4000, 3));
        assertEquals(0x0048_0000_0010_5f87L, entry(0x10_5000, 3));
    }

    @Test
    void blockDescriptorsForEachSetAtLevel2AndDbmDataInPages() throws MmuOpsException {
        pt.mapDeviceLazy(0x0900_0000L, 0x0900_0000L + MIB2);
        pt.mapDevice(0x0920_0000L, 0x0920_0000L + MIB2);
        pt.mapCode(0x0940_0000L, 0x0940_0000L + MIB2);
        pt.mapData(0x0960_0000L, 0x0960_0000L + MIB2);
        pt.mapRodata(0x0980_0000L, 0x0980_0000L + MIB2);
        pt.mapDataDbm(0x09a0_0000L, 0x09a0_0000L + MIB2);
        assertEquals(0x00c0_0000_0000_0400L, entry(0x0900_0000L, 2));
        assertEquals(0x00c0_0000_0920_0401L, entry(0x0920_0000L, 2));
        assertEquals(0x0940_0f85L, entry(0x0940_0000L, 2));
        assertEquals(0x0040_0000_0960_0f05L, entry(0x0960_0000L, 2));
        assertEquals(0x0040_0000_0980_0f85L, entry(0x0980_0000L, 2));
        assertEquals(0x0048_0000_09a0_0f87L, entry(0x09a0_0000L, 3), "NO_BLOCK_MAPPINGS: pages");
        assertEquals(0x0048_0000_09bf_ff87L, entry(0x09bf_f000L, 3));
    }

    /**
     * The lazy 2 MiB device block at L2[72] split by a DEVICE page (the era's 2023-05 fault path): on 0.12.1 the split
     * copies the flags-only block into flags-only pages, and the block and the table above it are all the tables.
     */
    @Test
    void lazyBlockSplitByMapDevice() throws MmuOpsException {
        pt.mapDeviceLazy(0x0900_0000L, 0x0900_0000L + MIB2);
        pt.mapDevice(0x0900_1000L, 0x0900_2000L);
        for (int j = 0; j < 512; j++) {
            long expected = j == 1 ? 0x00c0_0000_0900_1403L : 0x00c0_0000_0000_0400L;
            assertEquals(expected, entry(0x0900_0000L + j * 0x1000L, 3), "L3[" + j + "]");
        }
        assertEquals(3, arena.usedSlots());
    }

    @Test
    void rangesRoundOutTo4KiBAndNothingElseIsFilled() throws MmuOpsException {
        pt.mapDevice(0x3f8, 0x3f9); // the UART: one byte is page 0
        assertEquals(0x00c0_0000_0000_0403L, entry(0, 3));
        assertEquals(0, entry(0x1000, 3), "0.12.1 leaves the rest of a split zero table zero");
    }

    @Test
    void mapErrorsAreTheCrates() {
        MmuOpsException e = assertThrows(MmuOpsException.class, () -> pt.mapData(0x2000, 0x1000));
        assertInstanceOf(MapError.RegionBackwards.class, ((MapException) e.getCause()).error());
        assertEquals("RegionBackwards(0x0000000000002000..0x0000000000001000)", e.debug());
        e = assertThrows(MmuOpsException.class, () -> pt.mapDeviceLazy(1L << 39, (1L << 39) + 1));
        assertEquals("Virtual address 0x0000008000001000 out of range", e.getMessage());
    }

    @Test
    void activateRecordsTtbr0AndMakesTheTableLive() throws MmuOpsException {
        pt.mapData(0x8000_0000L, 0x8000_0000L + MIB2);
        assertTrue(pt.writtenTtbr0().isEmpty());
        long expected = TableArena.DEFAULT_PA_BASE | 1L << 48;
        assertEquals(expected, pt.activate());
        assertEquals(expected, pt.writtenTtbr0().getAsLong());
        assertTrue(pt.isActive());
        // Live now: changing part of the block is a break-before-make violation.
        MmuOpsException e = assertThrows(MmuOpsException.class, () -> pt.mapRodata(0x8000_0000L, 0x8000_1000L));
        assertEquals("Cannot remap region 0x0000000080000000..0x0000000080001000 while translation is live.",
                e.getMessage());
        // A second activation is counted, not refused; close undoes both before dropping.
        assertEquals(expected, pt.activate());
        int before = arena.eventCount();
        pt.close();
        assertTrue(pt.rootTable().isClosed());
        assertArrayEquals(new int[] {~1, ~0}, arena.eventsSince(before), "no panic: the tables were freed");
    }

    @Test
    void modifyRangeCallsBackOnLeavesOnlyAfterSplitting() throws MmuOpsException {
        pt.mapDeviceLazy(0x0900_0000L, 0x0900_0000L + MIB2);
        List<String> seen = new ArrayList<>();
        pt.modifyRange(0x0900_1234L, 0x0900_1235L, (range, pte) -> {
            seen.add(pte.level() + ":" + range + ":" + Long.toHexString(pte.bits()) + ":" + pte.flags().isPresent()
                    + ":" + pte.isTableOrPage());
            return true;
        });
        assertEquals(List.of("3:0x0000000009001000..0x0000000009002000:c0000000000400:true:false"), seen);
        assertEquals(3, arena.usedSlots(), "the lazy block was split");
    }

    @Test
    void modifyFlagsThroughThePortFollowsTheCratesRules() throws MmuOpsException {
        pt.mapDeviceLazy(0x0900_0000L, 0x0900_1000L);
        List<Boolean> results = new ArrayList<>();
        pt.modifyRange(0x0900_0000L, 0x0900_1000L, (range, pte) -> {
            results.add(pte.modifyFlags(0, PteFlags.TABLE_OR_PAGE)); // no flip: TABLE_OR_PAGE is clear already
            results.add(pte.modifyFlags(PteFlags.TABLE_OR_PAGE, 0)); // a flip: refused
            results.add(pte.modifyFlags(PteFlags.VALID | 1L << 48, 0)); // bit 48 is unknown: dropped
            return true;
        });
        assertEquals(List.of(true, false, true), results);
        assertEquals(0x00c0_0000_0000_0401L, entry(0x0900_0000L, 3), "PA 0 and 0b01: the 0.4-era lazy trick");
    }

    @Test
    void memoryIsGoneOnceDropped() throws MmuOpsException {
        pt.mapCode(0, 0x1000);
        var memory = pt.memory();
        assertTrue(memory.table(pt.rootPa()) != null);
        pt.close();
        assertThrows(MemoryLifetimeException.class, () -> memory.table(pt.rootPa()));
    }

    @Test
    void defaultConstructorUsesTheIdMapsOwnTranslation() throws MmuOpsException {
        try (PvmfwPageTable own = new PvmfwPageTable()) {
            own.mapDevice(0x3f8, 0x3f9);
            assertEquals(1, own.rootTable().level());
            assertEquals(1L << 39, own.rootTable().size());
            assertFalse(own.isActive());
            assertTrue(own.debug().startsWith("RootTable { pa: 0x0000100000000000, translation_regime: "
                    + "PhantomData<aarch64_paging::paging::El1And0>, va_range: Lower, level: 1, table:\n"),
                    own.debug());
            assertEquals(El1Attributes.TYPE, own.idMap().mapping().root().regime().attributes());
        }
    }

    /** {@code close} undoes only the activations made through {@code activate}: one made underneath still panics. */
    @Test
    void closeUndoesItsOwnActivationsOnly() {
        PvmfwPageTable other = new PvmfwPageTable(arena);
        other.activate();
        other.idMap().activate();
        dev.pvmfw.paging.CratePanic panic = assertThrows(dev.pvmfw.paging.CratePanic.class, other::close);
        assertEquals("Dropping active page table mapping!", panic.getMessage());
        PvmfwPageTable underneath = new PvmfwPageTable(arena);
        underneath.idMap().activate();
        assertThrows(dev.pvmfw.paging.CratePanic.class, underneath::close);
    }

    /** A visitor's false is the updater's {@code Err(())}: PteUpdateFault(the entry's bits), crate texts. */
    @Test
    void aVisitorRefusalIsAPteUpdateFault() throws MmuOpsException {
        pt.mapCode(0x10_2000, 0x10_3000);
        MmuOpsException e = assertThrows(MmuOpsException.class,
                () -> pt.modifyRange(0x10_2000, 0x10_3000, (range, pte) -> false));
        assertEquals(new MapError.PteUpdateFault(0x10_2f87L).display(), e.getMessage());
        assertInstanceOf(MapException.class, e.getCause());
    }

    @Test
    void aValidPageIsTableOrPageAndTheRangeIsTheLowerOne() throws MmuOpsException {
        pt.mapCode(0x10_2000, 0x10_3000);
        List<Boolean> seen = new ArrayList<>();
        pt.modifyRange(0x10_2000, 0x10_3000, (range, pte) -> seen.add(pte.isTableOrPage()));
        assertEquals(List.of(true), seen);
        assertEquals(dev.pvmfw.paging.VaRange.LOWER, pt.vaRange());
        assertEquals("PageTable { idmap: " + pt.idMap() + " }", pt.toString());
    }
}
