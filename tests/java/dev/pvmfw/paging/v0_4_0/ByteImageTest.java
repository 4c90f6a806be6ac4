package dev.pvmfw.paging.v0_4_0;

import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.internal.TableLayout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worked byte images ({@code docs/aarch64-paging-0.4.0.md}, "Worked images"; dumps of the real 0.4.0 crate with
 * bitflags 2.0.2): a level-1 lower-range root on the arena convention, PA base {@code 0x4000_0000}. Every entry of
 * every slot is checked, and the allocation order.
 */
class ByteImageTest {
    static final long PA_BASE = 0x4000_0000L;
    static final long MIB2 = 0x20_0000L;
    static final long NORMAL_VALID = Attributes.NORMAL.bits() | Attributes.VALID.bits();

    TableArena arena;
    RootTable root;

    @BeforeEach
    void setUp() {
        arena = TableArena.create(16, PA_BASE);
        root = new RootTable(arena, 1, VaRange.LOWER);
    }

    @AfterEach
    void tearDown() {
        root.close();
        arena.close();
    }

    /** Asserts slot {@code slot} holds {@code expected.applyAsLong(i)} at every index i. */
    void assertSlot(int slot, IntToLongFunction expected) {
        for (int i = 0; i < Geometry.ENTRIES_PER_TABLE; i++) {
            long actual = TableLayout.read(arena.segment().asSlice(slot * 4096L, 4096), i);
            int index = i;
            assertEquals(expected.applyAsLong(i), actual, () -> "slot " + slot + " entry " + index);
        }
    }

    void assertUnusedSlotsZero(int firstUnused) {
        for (int s = firstUnused; s < arena.slotCount(); s++) {
            assertSlot(s, i -> 0);
        }
    }

    /**
     * S1: {@code map_range(0..0x1000 → PA 0x8000_0000, VALID|NORMAL)}. The zero root entry is "split" into an L2 of
     * invalid blocks {@code i·2MiB | 0x400}, and the zero L2[0] into an L3 of {@code j·4K | 0x402}.
     */
    @Test
    void s1_splitOfZeroEntriesFillsGarbageQuirk() throws MapException {
        root.mapRange(MemoryRegion.of(0, 0x1000), new PhysicalAddress(0x8000_0000L), Attributes.fromBits(NORMAL_VALID)
                .orElseThrow());
        assertArrayEquals(new int[] {0, 1, 2}, arena.eventLog());
        assertSlot(0, i -> i == 0 ? 0x4000_1003L : 0);
        assertSlot(1, i -> i == 0 ? 0x4000_2003L : i * MIB2 | 0x400);
        assertSlot(2, j -> j == 0 ? 0x8000_0707L : j * 0x1000L | 0x402);
        assertUnusedSlotsZero(3);
    }

    /** S2, the crate's {@code breakup_invalid_block} scenario on the arena. */
    @Test
    void s2_invalidBlockIsSplitAndRecreated() throws MapException {
        Attributes lazy = Attributes.of(Attributes.NORMAL, Attributes.NON_GLOBAL, Attributes.SWFLAG_0);
        root.mapRange(MemoryRegion.of(0, MIB2), new PhysicalAddress(0), lazy);
        assertArrayEquals(new int[] {0, 1}, arena.eventLog());
        assertSlot(0, i -> i == 0 ? 0x4000_1003L : 0);
        assertSlot(1, i -> i == 0 ? 0x0080_0000_0000_0F04L : i * MIB2 | 0x400);

        root.mapRange(MemoryRegion.of(0, 0x1000), new PhysicalAddress(0),
                Attributes.of(Attributes.NORMAL, Attributes.NON_GLOBAL, Attributes.VALID));
        assertArrayEquals(new int[] {0, 1, 2}, arena.eventLog());
        assertSlot(0, i -> i == 0 ? 0x4000_1003L : 0);
        assertSlot(1, i -> i == 0 ? 0x4000_2003L : i * MIB2 | 0x400);
        assertSlot(2, j -> j == 0 ? 0xF07L : 0x0080_0000_0000_0F06L | j * 0x1000L);
        assertUnusedSlotsZero(3);
    }

    /** S3, pvmfw lazy MMIO: DEVICE_LAZY over a 2 MiB block, then one page DEVICE splits it. */
    @Test
    void s3_lazyDeviceBlockSplitByOneValidPage() throws MapException {
        Attributes deviceLazy = Attributes.of(Attributes.SWFLAG_0, Attributes.DEVICE_NGNRE, Attributes.EXECUTE_NEVER);
        Attributes device = deviceLazy.union(Attributes.VALID);
        root.mapRange(MemoryRegion.of(0x0900_0000L, 0x0900_0000L + MIB2), new PhysicalAddress(0x0900_0000L),
                deviceLazy);
        assertSlot(1, i -> i == 72 ? 0x00E0_0000_0900_0400L : i * MIB2 | 0x400);

        root.mapRange(MemoryRegion.of(0x0900_1000L, 0x0900_2000L), new PhysicalAddress(0x0900_1000L), device);
        assertArrayEquals(new int[] {0, 1, 2}, arena.eventLog());
        assertSlot(0, i -> i == 0 ? 0x4000_1003L : 0);
        assertSlot(1, i -> i == 72 ? 0x4000_2003L : i * MIB2 | 0x400);
        assertSlot(2, j -> j == 1 ? 0x00E0_0000_0900_1403L : 0x00E0_0000_0900_0402L + j * 0x1000L);
        assertUnusedSlotsZero(3);
    }

    record Call(MemoryRegion range, int level, long entry) {}

    List<Call> trace(long start, long end) throws MapException {
        List<Call> calls = new ArrayList<>();
        root.modifyRange(MemoryRegion.of(start, end), (range, entry, level) -> {
            calls.add(new Call(range, level, entry.bits()));
            return true;
        });
        return calls;
    }

    /** {@code docs/aarch64-paging-0.4.0.md}, "modify_range": after S2, the callbacks of two modify_range calls, tables included, parent first. */
    @Test
    void modifyRangeVisitsTablesParentFirstWithWholeEntryRanges() throws MapException {
        s2_invalidBlockIsSplitAndRecreated();
        assertEquals(List.of(
                new Call(MemoryRegion.of(0, 0x4000_0000L), 1, 0x4000_1003L),
                new Call(MemoryRegion.of(0, MIB2), 2, 0x4000_2003L),
                new Call(MemoryRegion.of(0x1000, 0x2000), 3, 0x0080_0000_0000_1F06L),
                new Call(MemoryRegion.of(0x2000, 0x3000), 3, 0x0080_0000_0000_2F06L)),
                trace(0x1000, 0x3000));
        assertEquals(List.of(
                new Call(MemoryRegion.of(0, 0x4000_0000L), 1, 0x4000_1003L),
                new Call(MemoryRegion.of(0, MIB2), 2, 0x4000_2003L),
                new Call(MemoryRegion.of(0x1FF000, 0x200000), 3, 0x0080_0000_001F_FF06L),
                new Call(MemoryRegion.of(0x200000, 0x400000), 2, 0x200400L)),
                trace(0x1FF000, 0x201000));
    }

    /** {@code docs/aarch64-paging-0.4.0.md}, "Debug formats": the crate's Debug dump of S1 (bitflags 2.0.2 names, zero runs collapsed, garbage not). */
    @Test
    void s1_debugDump() throws MapException {
        s1_splitOfZeroEntriesFillsGarbageQuirk();
        String dump = root.toString();
        String[] lines = dump.split("\n", -1);
        assertEquals("RootTable { pa: 0x0000000040000000, level: 1, table:", lines[0]);
        assertEquals("0  : 0x00000040001003 (0x0000000040001000, Attributes(VALID | TABLE_OR_PAGE))", lines[1]);
        assertEquals("  0  : 0x00000040002003 (0x0000000040002000, Attributes(VALID | TABLE_OR_PAGE))", lines[2]);
        assertEquals("    0  : 0x00000080000707 (0x0000000080000000, Attributes(VALID | TABLE_OR_PAGE | DEVICE_NGNRE"
                + " | NORMAL | ACCESSED))", lines[3]);
        assertEquals("    1  : 0x00000000001402", lines[4]);
        assertEquals("    511: 0x000000001ff402", lines[514]);
        assertEquals("  1  : 0x00000000200400", lines[515]);
        assertEquals("  511: 0x0000003fe00400", lines[1025]);
        assertEquals("1  -511: 0", lines[1026]);
        assertEquals("}", lines[1027]);
        assertEquals(1028, lines.length);
    }

    /** Drop frees post-order: children in index order, root last; every slot ends zeroed. */
    @Test
    void dropFreesPostOrderAndZeroes() throws MapException {
        root.mapRange(MemoryRegion.of(0x1FF000, 0x201000), new PhysicalAddress(0x1FF000), Attributes.VALID);
        assertArrayEquals(new int[] {0, 1, 2, 3}, arena.eventLog());
        root.close();
        assertArrayEquals(new int[] {0, 1, 2, 3, ~2, ~3, ~1, ~0}, arena.eventLog());
        assertEquals(0, arena.usedSlots());
        assertUnusedSlotsZero(0);
    }
}
