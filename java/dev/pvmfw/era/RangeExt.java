package dev.pvmfw.era;

/**
 * vmbase's {@code RangeExt} for {@code Range<usize>} (from AOSP {@code 4c70d14f}, 2023-06-07, unchanged through
 * {@code 758d65de:vmbase/src/util.rs}), which the eras from 2023-06 on use instead of the seed's overlap rule
 * ({@link MemoryRange#overlaps}). Its {@code overlaps} is {@code self.start < other.end && other.start < self.end},
 * so an empty range strictly inside another range overlaps it, where under the seed's rule an empty range overlaps
 * nothing. Comparisons are unsigned, as {@code usize}'s.
 */
public final class RangeExt {
    private RangeExt() {}

    /** {@code a.overlaps(b)}: {@code a.start < b.end && b.start < a.end}. */
    public static boolean overlaps(MemoryRange a, MemoryRange b) {
        return Long.compareUnsigned(a.start(), b.end()) < 0 && Long.compareUnsigned(b.start(), a.end()) < 0;
    }

    /** {@code a.is_within(b)}: {@code a.start >= b.start && a.end <= b.end}. */
    public static boolean isWithin(MemoryRange a, MemoryRange b) {
        return a.isWithin(b);
    }
}
