package dev.pvmfw.paging;

/**
 * Geometry of the 4 KiB translation granule, as in aarch64-paging's {@code paging} module: the constants, the span of an
 * entry at each level, the index of a virtual address at a level, and the crate's alignment functions.
 *
 * <p>Levels are numbered as in the Arm ARM: 0 (512 GiB per entry) to {@link #LEAF_LEVEL} 3 (4 KiB per entry). Every
 * function here uses wrapping 64-bit arithmetic and unsigned interpretation, exactly as the crate does when built in
 * release mode (which is how the Rust oracle is built): {@code alignUp(0, a)} is 0, and so is {@code alignUp(x, a)} for
 * any x in the last {@code a} bytes below 2<sup>64</sup>.
 */
public final class Geometry {
    /** log2 of the page size. Private in the crate. */
    public static final int PAGE_SHIFT = 12;
    /** The page (and table) size in bytes, 4 KiB. */
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    /** Address bits resolved per level of lookup: a table holds 2<sup>9</sup> = 512 descriptors. */
    public static final int BITS_PER_LEVEL = PAGE_SHIFT - 3;
    /** Descriptors per table. */
    public static final int ENTRIES_PER_TABLE = 1 << BITS_PER_LEVEL;
    /** The level at which every entry maps a page. Private in the crate. */
    public static final int LEAF_LEVEL = 3;

    /**
     * Bits 47:12 of a descriptor: the output address, or the next table's address. The same in every crate version
     * (no LPA: PA bits 51:48 are not used); the crate's {@code !(PAGE_SIZE - 1) & !(0xffff << 48)}.
     */
    public static final long OUTPUT_ADDRESS_MASK = 0x0000_FFFF_FFFF_F000L;

    private Geometry() {}

    /**
     * The bytes of address space covered by one entry at {@code level}: 4 KiB at 3, 2 MiB at 2, 1 GiB at 1, 512 GiB at
     * 0.
     *
     * @throws IllegalArgumentException if level is not 0..3
     */
    public static long granularityAtLevel(int level) {
        checkLevel(level);
        return (long) PAGE_SIZE << ((LEAF_LEVEL - level) * BITS_PER_LEVEL);
    }

    /**
     * The index of the entry translating {@code va} in a table at {@code level}: bits above the table's coverage are
     * discarded, which is how upper-range (TTBR1) addresses index.
     *
     * @throws IllegalArgumentException if level is not 0..3
     */
    public static int index(long va, int level) {
        checkLevel(level);
        return (int) ((va >>> (PAGE_SHIFT + (LEAF_LEVEL - level) * BITS_PER_LEVEL)) & (ENTRIES_PER_TABLE - 1));
    }

    /** {@code value & !(alignment - 1)}; alignment must be a power of two. */
    public static long alignDown(long value, long alignment) {
        return value & ~(alignment - 1);
    }

    /** {@code ((value - 1) | (alignment - 1)) + 1}, wrapping: {@code alignUp(0, a) == 0}. */
    public static long alignUp(long value, long alignment) {
        return ((value - 1) | (alignment - 1)) + 1;
    }

    /** {@code value & (alignment - 1) == 0}. */
    public static boolean isAligned(long value, long alignment) {
        return (value & (alignment - 1)) == 0;
    }

    static void checkLevel(int level) {
        if (level < 0 || level > LEAF_LEVEL) {
            throw new IllegalArgumentException("level " + level + " is not 0.." + LEAF_LEVEL);
        }
    }
}
