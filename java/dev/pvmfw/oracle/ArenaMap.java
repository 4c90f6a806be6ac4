package dev.pvmfw.oracle;

import dev.pvmfw.paging.Descriptor;
import dev.pvmfw.paging.Paging;
import dev.pvmfw.paging.TableLayout;
import dev.pvmfw.paging.VaRange;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Which level and VA each arena slot serves, found by walking table descriptors from the root (slot 0) the way the
 * crate does (VALID, TABLE_OR_PAGE, known flags, level &lt; 3). Side-effect free; used to explain a mismatch.
 */
final class ArenaMap {
    final int[] level;
    final long[] baseVa;

    private ArenaMap(int slots) {
        level = new int[slots];
        baseVa = new long[slots];
        Arrays.fill(level, -1);
    }

    static ArenaMap of(MemorySegment image, long paBase, int rootLevel, VaRange vaRange) {
        int slots = (int) (image.byteSize() / TableLayout.TABLE_SIZE);
        ArenaMap map = new ArenaMap(slots);
        if (rootLevel < 0 || rootLevel > Paging.LEAF_LEVEL || slots == 0) {
            return map;
        }
        long size = Paging.granularityAtLevel(rootLevel) << Paging.BITS_PER_LEVEL;
        map.visit(image, paBase, 0, rootLevel, vaRange == VaRange.UPPER ? -size : 0);
        return map;
    }

    private void visit(MemorySegment image, long paBase, int slot, int lvl, long base) {
        if (level[slot] >= 0) {
            return; // shared or cyclic: keep the first
        }
        level[slot] = lvl;
        baseVa[slot] = base;
        if (lvl == Paging.LEAF_LEVEL) {
            return;
        }
        MemorySegment table = image.asSlice((long) slot * TableLayout.TABLE_SIZE, TableLayout.TABLE_SIZE);
        for (int i = 0; i < Paging.ENTRIES_PER_TABLE; i++) {
            long d = TableLayout.read(table, i);
            if (Descriptor.isTableOrPage(d)) {
                long offset = Descriptor.outputAddressOf(d) - paBase;
                if (offset >= 0 && offset < image.byteSize()) {
                    visit(image, paBase, (int) (offset / TableLayout.TABLE_SIZE), lvl + 1,
                            base + i * Paging.granularityAtLevel(lvl));
                }
            }
        }
    }

    String describe(int slot, int index) {
        if (level[slot] < 0) {
            return "slot " + slot + " (not reachable from the root) index " + index;
        }
        long va = baseVa[slot] + index * Paging.granularityAtLevel(level[slot]);
        return "slot " + slot + " (level " + level[slot] + " table) index " + index + " (VA " + Step.hex(va) + ")";
    }
}
