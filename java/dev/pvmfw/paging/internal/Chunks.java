package dev.pvmfw.paging.internal;

/**
 * The crate's {@code ChunkedIterator}, on raw values: from position {@code s} (initially the range's start), while
 * {@code start <= s < end} (unsigned), the chunk is {@code [s, min(end, (s | (gran - 1)) + 1))}, then {@code s} moves to
 * its end. One chunk per table entry touched, in ascending VA order. The {@code + 1} wraps: a chunk in the last granule
 * below 2<sup>64</sup> ends at 0.
 */
public final class Chunks {
    private Chunks() {}

    /** Whether {@code s} is still inside {@code [start, end)}. */
    public static boolean inRange(long start, long end, long s) {
        return Long.compareUnsigned(start, s) <= 0 && Long.compareUnsigned(s, end) < 0;
    }

    /** The end of the chunk beginning at {@code s}. */
    public static long end(long s, long end, long gran) {
        long next = (s | (gran - 1)) + 1;
        return Long.compareUnsigned(end, next) < 0 ? end : next;
    }

    /** Whether {@code [s, e)} is a whole block at granularity {@code gran}: both ends aligned. */
    public static boolean isBlock(long s, long e, long gran) {
        return ((s | e) & (gran - 1)) == 0;
    }
}
