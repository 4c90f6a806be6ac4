package dev.pvmfw.paging;

import dev.pvmfw.paging.internal.Chunks;

/**
 * A range of virtual addresses, start inclusive, end exclusive ({@code paging::MemoryRegion}).
 *
 * <p>{@link #of} rounds the start down and the end up to {@link Geometry#PAGE_SIZE}, with the crate's wrapping
 * {@code align_up}: an end of 0, or any end in the last page below 2<sup>64</sup>, becomes 0 (a debug build of the crate
 * would panic instead). A region may be backwards ({@code of(0x2000, 1)} is {@code 0x2000..0x1000}); the crate's
 * mapping operations reject it (0.4.0's {@code MapError::RegionBackwards}). Equality is by start and end.
 *
 * <p>Invariant: both bounds are page-aligned, whichever factory made the region; the crate-version table code relies
 * on it (0.4.0's {@code PageTableWithLevel}: "every range passed in is page-aligned").
 */
public final class MemoryRegion {
    private final long start;
    private final long end;

    private MemoryRegion(long start, long end) {
        this.start = start;
        this.end = end;
    }

    /** {@code MemoryRegion::new(start, end)}: [align_down(start, 4096), align_up(end, 4096)). */
    public static MemoryRegion of(long start, long end) {
        return new MemoryRegion(Geometry.alignDown(start, Geometry.PAGE_SIZE), Geometry.alignUp(end, Geometry.PAGE_SIZE));
    }

    /** {@code From<Range<VirtualAddress>>}: aligns like {@link #of}. */
    public static MemoryRegion of(VirtualAddress start, VirtualAddress end) {
        return of(start.value(), end.value());
    }

    /**
     * A region with exactly these bounds, no rounding: what the crate builds from a {@code Range} it has already
     * aligned (its chunks, the range an updater is given, an error's region).
     *
     * @throws IllegalArgumentException if a bound is not page-aligned
     */
    public static MemoryRegion aligned(long start, long end) {
        if (!Geometry.isAligned(start, Geometry.PAGE_SIZE) || !Geometry.isAligned(end, Geometry.PAGE_SIZE)) {
            throw new IllegalArgumentException("MemoryRegion.aligned(" + VirtualAddress.format(start) + ", "
                    + VirtualAddress.format(end) + "): bounds must be page-aligned (MemoryRegion.of rounds them)");
        }
        return new MemoryRegion(start, end);
    }

    /** The start, inclusive and page-aligned ({@code MemoryRegion::start}). */
    public VirtualAddress start() {
        return new VirtualAddress(start);
    }

    /** The end, exclusive and page-aligned ({@code MemoryRegion::end}). */
    public VirtualAddress end() {
        return new VirtualAddress(end);
    }

    /** The start as a raw value. */
    public long startValue() {
        return start;
    }

    /** The end as a raw value. */
    public long endValue() {
        return end;
    }

    /** {@code end - start}, wrapping (a backwards region gives a huge value, as in a release build). */
    public long len() {
        return end - start;
    }

    /** Whether {@code start == end} ({@code MemoryRegion::is_empty}); a backwards region is not empty. */
    public boolean isEmpty() {
        return start == end;
    }

    /** Whether {@code end < start} (unsigned). */
    public boolean isBackwards() {
        return Long.compareUnsigned(end, start) < 0;
    }

    /** Whether {@code start <= va < end} (unsigned), as Rust's {@code Range::contains}. */
    public boolean contains(long va) {
        return Long.compareUnsigned(start, va) <= 0 && Long.compareUnsigned(va, end) < 0;
    }

    /**
     * The chunks of this region at {@code level}, one per table entry touched: the crate's private {@code split}
     * (aarch64-paging 0.4.0 and 0.12.1, {@code src/paging.rs}, {@code ChunkedIterator}), public for tests and tools.
     * Reads only; each chunk is page-aligned like this region.
     */
    public java.util.List<MemoryRegion> split(int level) {
        long gran = Geometry.granularityAtLevel(level);
        java.util.List<MemoryRegion> chunks = new java.util.ArrayList<>();
        for (long s = start; Chunks.inRange(start, end, s); ) {
            long e = Chunks.end(s, end, gran);
            chunks.add(of(s, e));
            s = e;
        }
        return chunks;
    }

    /** Rust {@code Display} and {@code Debug}: {@code 0x0000000000001000..0x0000000000057000}. */
    @Override
    public String toString() {
        return VirtualAddress.format(start) + ".." + VirtualAddress.format(end);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemoryRegion r && r.start == start && r.end == end;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(start) * 31 + Long.hashCode(end);
    }
}
