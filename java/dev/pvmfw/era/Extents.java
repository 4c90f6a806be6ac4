package dev.pvmfw.era;

import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/** Free address extents, unsigned, coalesced; lowest-address-first aligned allocation. Not thread-safe. */
public final class Extents {
    private final TreeMap<Long, Long> free = new TreeMap<>(Long::compareUnsigned);

    /** No free extents: nothing can be taken until {@link #add} gives some. */
    public Extents() {}

    /** Adds [start, end) (ignored if empty or backwards), merging with neighbours. */
    public void add(long start, long end) {
        if (Long.compareUnsigned(start, end) >= 0) {
            return;
        }
        Map.Entry<Long, Long> before = free.floorEntry(start);
        if (before != null && Long.compareUnsigned(before.getValue(), start) >= 0) {
            start = before.getKey();
            end = Long.compareUnsigned(before.getValue(), end) > 0 ? before.getValue() : end;
            free.remove(before.getKey());
        }
        Map.Entry<Long, Long> after = free.ceilingEntry(start);
        while (after != null && Long.compareUnsigned(after.getKey(), end) <= 0) {
            end = Long.compareUnsigned(after.getValue(), end) > 0 ? after.getValue() : end;
            free.remove(after.getKey());
            after = free.ceilingEntry(start);
        }
        free.put(start, end);
    }

    /** The lowest {@code align}-aligned {@code size} bytes that are free, taken; empty if none. */
    public OptionalLong take(long size, long align) {
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            long s = e.getKey();
            long end = e.getValue();
            long a = ((s - 1) | (align - 1)) + 1;
            if (Long.compareUnsigned(a, s) < 0) {
                continue;
            }
            long stop = a + size;
            if (Long.compareUnsigned(stop, a) < 0 || Long.compareUnsigned(stop, end) > 0) {
                continue;
            }
            free.remove(s);
            add(s, a);
            add(stop, end);
            return OptionalLong.of(a);
        }
        return OptionalLong.empty();
    }

    /** Free bytes in total. */
    public long freeBytes() {
        long total = 0;
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            total += e.getValue() - e.getKey();
        }
        return total;
    }
}
