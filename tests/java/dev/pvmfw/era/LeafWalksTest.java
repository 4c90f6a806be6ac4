package dev.pvmfw.era;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.port.MmuOpsException;
import dev.pvmfw.paging.port.PteFlags;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import dev.pvmfw.testing.Tables;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * aarch64-paging 0.5's leaf walks on 0.4.0 ({@code docs/pvmfw-2023-11.md}, "The port onto 0.4.0"): leaves only, a
 * lazy block the range cuts split first (with the bytes 0.4.0's own split leaves), chunks exact or clipped.
 */
class LeafWalksTest {
    static final long BLOCK = 0x0900_0000L;
    final TableArena arena = TableArena.create(16);
    final PvmfwPageTable table = new PvmfwPageTable(arena);

    @AfterEach
    void tearDown() {
        table.close();
        arena.close();
    }

    record Seen(long start, long end, int level, long bits) {}

    @Test
    void modifyRangeSplitsALazyBlockAndPassesOnlyThePagesLeaf() throws Exception {
        table.mapDeviceLazy(BLOCK, BLOCK + 0x20_0000);
        List<Seen> seen = new ArrayList<>();
        LeafWalks.modifyRange(table, BLOCK + 0x3000, BLOCK + 0x4000, (r, pte) -> {
            seen.add(new Seen(r.startValue(), r.endValue(), pte.level(), pte.bits()));
            return pte.modifyFlags(PteFlags.VALID, 0);
        });
        assertEquals(List.of(new Seen(BLOCK + 0x3000, BLOCK + 0x4000, 3, 0x00E0_0000_0900_3402L)), seen);
        assertEquals(0x00E0_0000_0900_3403L, Tables.entry(table.rootTable(), BLOCK + 0x3000, 3));
        assertEquals(0x00E0_0000_0900_4402L, Tables.entry(table.rootTable(), BLOCK + 0x4000, 3));
    }

    /** A block that is not lazy is not split: the leaf is passed whole-range clipped, and the tables stay as they were. */
    @Test
    void aValidBlockIsNotSplit() throws Exception {
        table.mapData(0x8000_0000L, 0x8020_0000L);
        String before = table.debug();
        List<Seen> seen = new ArrayList<>();
        MmuOpsException e = assertThrows(MmuOpsException.class, () -> LeafWalks.modifyRange(table, 0x8000_1000L,
                0x8000_2000L, (r, pte) -> seen.add(new Seen(r.startValue(), r.endValue(), pte.level(), 0)) && false));
        assertEquals(List.of(new Seen(0x8000_1000L, 0x8000_2000L, 2, 0)), seen);
        assertEquals(before, table.debug());
        assertEquals(true, e.getMessage().startsWith("Error updating page table entry"), e.getMessage());
    }

    @Test
    void walkRangeGivesClippedChunksAndSplitsNothing() throws Exception {
        table.mapDeviceLazy(BLOCK, BLOCK + 0x20_0000);
        table.mapDevice(BLOCK + 0x20_0000, BLOCK + 0x20_2000);
        String before = table.debug();
        List<Seen> seen = new ArrayList<>();
        LeafWalks.walkRange(table, BLOCK + 0x1f_f000, BLOCK + 0x20_1800, (r, pte) -> {
            seen.add(new Seen(r.startValue(), r.endValue(), pte.level(), 0));
            return true;
        });
        assertEquals(List.of(new Seen(BLOCK + 0x1f_f000, BLOCK + 0x20_0000, 2, 0),
                new Seen(BLOCK + 0x20_0000, BLOCK + 0x20_1000, 3, 0),
                new Seen(BLOCK + 0x20_1000, BLOCK + 0x20_2000, 3, 0)), seen);
        assertEquals(before, table.debug());
    }

    @Test
    void theFirstRefusalStopsTheWalkAndKeepsTheUpdatesBefore() throws Exception {
        table.mapDeviceLazy(BLOCK, BLOCK + 0x4000);
        List<Long> visited = new ArrayList<>();
        assertThrows(MmuOpsException.class, () -> LeafWalks.modifyRange(table, BLOCK, BLOCK + 0x4000, (r, pte) -> {
            visited.add(r.startValue());
            return r.startValue() != BLOCK + 0x2000 && pte.modifyFlags(PteFlags.VALID, 0);
        }));
        assertEquals(List.of(BLOCK, BLOCK + 0x1000, BLOCK + 0x2000), visited);
        assertEquals(1, Tables.entry(table.rootTable(), BLOCK + 0x1000, 3) & 1);
        assertEquals(0, Tables.entry(table.rootTable(), BLOCK + 0x3000, 3) & 1);
        assertEquals(MemoryRegion.of(BLOCK, BLOCK + 1), MemoryRegion.aligned(BLOCK, BLOCK + 0x1000));
    }
}
