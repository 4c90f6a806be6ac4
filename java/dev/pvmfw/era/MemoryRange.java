package dev.pvmfw.era;

/**
 * pvmfw's {@code MemoryRange = Range<usize>}: start inclusive, end exclusive, unsigned, possibly empty or backwards
 * (nothing validates it; the page-table calls round it out to 4 KiB and reject a backwards one).
 *
 * @param start first address
 * @param end first address after the range
 */
public record MemoryRange(long start, long end) {

    /** {@code start..end}, unchecked: the same as the constructor. */
    public static MemoryRange of(long start, long end) {
        return new MemoryRange(start, end);
    }

    /** pvmfw's {@code overlaps}: {@code max(a.start, b.start) < min(a.end, b.end)}, so empty ranges never overlap. */
    public boolean overlaps(MemoryRange other) {
        long maxStart = Long.compareUnsigned(start, other.start) >= 0 ? start : other.start;
        long minEnd = Long.compareUnsigned(end, other.end) <= 0 ? end : other.end;
        return Long.compareUnsigned(maxStart, minEnd) < 0;
    }

    /** {@code RangeExt::is_within}: {@code start >= other.start && end <= other.end}. */
    public boolean isWithin(MemoryRange other) {
        return Long.compareUnsigned(start, other.start) >= 0 && Long.compareUnsigned(end, other.end) <= 0;
    }

    /** Rust {@code Range::contains}: {@code start <= addr < end}. */
    public boolean contains(long addr) {
        return Long.compareUnsigned(start, addr) <= 0 && Long.compareUnsigned(addr, end) < 0;
    }

    /** {@code Range<usize>::len()}: {@code end - start}, or 0 if {@code start >= end}. */
    public long len() {
        return Long.compareUnsigned(start, end) < 0 ? end - start : 0;
    }

    /** {@code Range::is_empty}: {@code !(start < end)}. */
    public boolean isEmpty() {
        return Long.compareUnsigned(start, end) >= 0;
    }

    /** Rust {@code {:#x?}}: {@code 0x9000000..0x9200000}. */
    @Override
    public String toString() {
        return "0x" + Long.toHexString(start) + "..0x" + Long.toHexString(end);
    }
}
