package dev.pvmfw.oracle.runner;

import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.internal.TableLayout;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The table bytes a step can change, and a comparison of two arenas over just those bytes: the verified benchmark
 * loops check each step this way instead of comparing whole arenas. A step's footprint is every descriptor, in every
 * table reached through table descriptors, whose range meets the VAs the step operates on, plus every table the step
 * allocated or freed (its arena events). {@code FootprintTest} proves that a step changes no byte outside its
 * footprint, on random scenarios of both profiles (0.4.0 and 0.12.1); a step this class does not know has the whole
 * arena as its footprint.
 */
public final class Footprint {
    private Footprint() {}

    /**
     * The VA ranges {@code step} can write descriptors for, as {@code {start, end}} pairs of the crate's rounded
     * region (end exclusive, 0 for the top of the space); an empty list for none; null when the step may write
     * anywhere (then compare everything).
     */
    static List<long[]> ranges(Step step) {
        return switch (step) {
            case Step.MapRange m -> List.of(region(m.start(), m.end()));
            case Step.ModifyRange m -> List.of(region(m.start(), m.end()));
            case Step.MmioMap m -> List.of(region(m.start(), m.end()));
            case Step.PageTableMap m -> List.of(region(m.start(), m.end()));
            case Step.Fault f -> List.of(region(f.addr(), f.addr() + Geometry.PAGE_SIZE));
            // 0.12's Mapping steps (../shared/reference/aarch64-paging-0.12.md, 6.4-6.7): walk_range never writes;
            // compact_subtables may clear any subtable entry of the tree (the freed tables are its events); the
            // activation steps only count. 0.12's map can free subtables and its modify splits: both write below the
            // entries their region meets, into tables they allocate (events), and free only tables under those entries.
            case Step.WalkRange w -> List.of();
            case Step.CompactSubtables c -> List.of(WHOLE_SPACE);
            case Step.Activate a -> List.of();
            case Step.Deactivate d -> List.of();
            case Step.MarkActive a -> List.of();
            case Step.MarkInactive i -> List.of();
            case Step.InjectAtCall i -> List.of();
            case Step.InjectFor i -> List.of();
            case Step.InjectNth i -> List.of();
            case Step.HypInit h -> List.of();
            case Step.HypGuard h -> List.of();
            case Step.ClearInjections c -> List.of();
            default -> null;
        };
    }

    /** Every VA of the table's space: [0, top), which every entry of every table meets. */
    private static final long[] WHOLE_SPACE = {0, 0};

    /** {@code MemoryRegion::new(start, end)}'s bounds, wrapping as the crate's release build does. */
    private static long[] region(long start, long end) {
        return new long[] {Geometry.alignDown(start, Geometry.PAGE_SIZE), Geometry.alignUp(end, Geometry.PAGE_SIZE)};
    }

    /**
     * The first byte offset at which {@code a} and {@code b} differ inside the footprint of {@code step}, or -1.
     * Tables are found by walking {@code a} from its root at {@code rootPa}; a table descriptor that differs is
     * reported before anything below it is read.
     *
     * @param events the step's arena events (slot {@code i} allocated = {@code i}, freed = {@code ~i})
     * @param paBase the arenas' PA base
     */
    public static long mismatch(Step step, int[] events, MemorySegment a, MemorySegment b, long paBase, long rootPa,
            int rootLevel, VaRange vaRange) {
        List<long[]> ranges = ranges(step);
        if (ranges == null) {
            return a.mismatch(b);
        }
        for (int e : events) {
            int slot = e >= 0 ? e : ~e;
            long off = (long) slot * TableLayout.TABLE_SIZE;
            if (off + TableLayout.TABLE_SIZE <= a.byteSize()) {
                long m = a.asSlice(off, TableLayout.TABLE_SIZE).mismatch(b.asSlice(off, TableLayout.TABLE_SIZE));
                if (m >= 0) {
                    return off + m;
                }
            }
        }
        long span = Geometry.granularityAtLevel(rootLevel) * Geometry.ENTRIES_PER_TABLE;
        long base = vaRange == VaRange.UPPER ? -span : 0;
        for (long[] r : ranges) {
            long m = walk(a, b, paBase, rootPa, rootLevel, base, r[0], r[1], 0);
            if (m >= 0) {
                return m;
            }
        }
        return -1;
    }

    /** The entries of the table at {@code pa} (level {@code level}, first VA {@code base}) that meet [start, end). */
    private static long walk(MemorySegment a, MemorySegment b, long paBase, long pa, int level, long base, long start,
            long end, int depth) {
        long off = pa - paBase;
        if (depth > Geometry.LEAF_LEVEL || Long.compareUnsigned(off, a.byteSize() - TableLayout.TABLE_SIZE) > 0
                || (off & (TableLayout.TABLE_SIZE - 1)) != 0) {
            return -1; // not a table of the arena: nothing of it is in either arena
        }
        long gran = Geometry.granularityAtLevel(level);
        int first = firstMeeting(base, gran, start);
        int last = lastMeeting(base, gran, start, end, first);
        for (int i = first; i <= last; i++) {
            long lo = base + (long) i * gran;
            long at = off + (long) i * TableLayout.DESCRIPTOR_SIZE;
            long d = a.get(TableLayout.DESCRIPTOR, at);
            if (d != b.get(TableLayout.DESCRIPTOR, at)) {
                return at;
            }
            if (level < Geometry.LEAF_LEVEL && (d & 0b11) == 0b11) {
                long m = walk(a, b, paBase, d & Geometry.OUTPUT_ADDRESS_MASK, level + 1, lo, start, end, depth + 1);
                if (m >= 0) {
                    return m;
                }
            }
        }
        return -1;
    }

    /**
     * The first index {@code i} of a table whose entries are {@code [base + i*gran, base + (i+1)*gran)} for which
     * {@link #meets} holds for [start, end), or {@link Geometry#ENTRIES_PER_TABLE} if {@code start} lies above the
     * table (no entry can meet). The table's range never wraps (its top may be 2^64, written 0).
     * {@code FootprintTest#indexRangeIsExactlyTheEntriesThatMeet} checks this and {@link #lastMeeting} against
     * {@link #meets} entry by entry.
     */
    static int firstMeeting(long base, long gran, long start) {
        if (Long.compareUnsigned(start, base) < 0) {
            return 0;
        }
        long index = Long.divideUnsigned(start - base, gran);
        return Long.compareUnsigned(index, Geometry.ENTRIES_PER_TABLE) >= 0 ? Geometry.ENTRIES_PER_TABLE : (int) index;
    }

    /**
     * The last index meeting [start, end) (see {@link #firstMeeting}), or {@code first - 1} for none: the entries
     * below {@code end} from {@code first} on, and always the entry holding {@code start} (a backwards or empty region
     * still counts it).
     */
    static int lastMeeting(long base, long gran, long start, long end, int first) {
        if (first >= Geometry.ENTRIES_PER_TABLE) {
            return first - 1;
        }
        int belowEnd;
        if (end == 0) {
            belowEnd = Geometry.ENTRIES_PER_TABLE - 1;
        } else if (Long.compareUnsigned(end, base) <= 0) {
            belowEnd = -1;
        } else {
            long index = Long.divideUnsigned(end - base - 1, gran);
            belowEnd = Long.compareUnsigned(index, Geometry.ENTRIES_PER_TABLE) >= 0 ? Geometry.ENTRIES_PER_TABLE - 1
                    : (int) index;
        }
        boolean startInside = Long.compareUnsigned(start, base) >= 0;
        return startInside ? Math.max(first, belowEnd) : belowEnd;
    }

    /**
     * Whether [lo, hi) meets [start, end), unsigned, where an {@code hi} or {@code end} of 0 means the top of the
     * space, and a backwards or empty [start, end) meets nothing but still counts the entry at {@code start} (the
     * crate may touch it before it refuses the region).
     */
    static boolean meets(long lo, long hi, long start, long end) {
        boolean startBelowHi = hi == 0 || Long.compareUnsigned(start, hi) < 0;
        boolean endAboveLo = end == 0 || Long.compareUnsigned(end, lo) > 0;
        boolean startInside = Long.compareUnsigned(start, lo) >= 0 && startBelowHi;
        return startBelowHi && endAboveLo || startInside;
    }
}
