package dev.pvmfw.mmu;

import dev.pvmfw.paging.DescriptorBits;
import dev.pvmfw.paging.Geometry;

/**
 * What a stage-1 descriptor is to the MMU (VMSAv8-64, 4 KiB granule, no FEAT_LPA2), by its low two bits and its level:
 * the one set of predicates every walker in this project uses (the walk, the traversal, the CPU model, the image
 * tooling). Arm ARM DDI 0487, D8.3 "Translation table descriptor formats".
 *
 * <table>
 *   <caption>Kinds</caption>
 *   <tr><th>bits 1:0</th><th>levels 0–2</th><th>level 3</th></tr>
 *   <tr><td>x0</td><td colspan="2">invalid ({@link #ZERO}, {@link #LAZY} with SWFLAG_0, else {@link #INVALID})</td></tr>
 *   <tr><td>01</td><td>{@link #BLOCK} at 1–2; {@link #LEVEL0_BLOCK} at 0 (reserved: faults)</td>
 *       <td>{@link #RESERVED} (faults)</td></tr>
 *   <tr><td>11</td><td>{@link #TABLE}</td><td>{@link #PAGE}</td></tr>
 * </table>
 *
 * <p>{@link #LAZY} is an invalid descriptor to the hardware; bit 55 is one of the bits the architecture leaves to
 * software, and pvmfw uses it (SWFLAG_0) to mark MMIO it maps on first access.
 */
public enum DescriptorKind {
    /** All zero. */
    ZERO,
    /** Bit 0 clear, not zero: the MMU faults (0.4.0 leaves many of these: its split garbage). */
    INVALID,
    /** Bit 0 clear with SWFLAG_0 (bit 55) set: pvmfw's lazily mapped MMIO. The MMU faults. */
    LAZY,
    /** Levels 1–2, bits 0b01. */
    BLOCK,
    /** Level 0, bits 0b01: reserved with the 4 KiB granule without FEAT_LPA2, so the MMU faults. */
    LEVEL0_BLOCK,
    /** Level 3, bits 0b11. */
    PAGE,
    /** Level 3, bits 0b01: reserved, the MMU faults. */
    RESERVED,
    /** Levels 0–2, bits 0b11: points at the next level's table. */
    TABLE;

    /** Bits 47:12: the output address, or the next table's address ({@link Geometry#OUTPUT_ADDRESS_MASK}). */
    public static final long OUTPUT_ADDRESS_MASK = Geometry.OUTPUT_ADDRESS_MASK;
    /** Bit 55, the first of the four bits software may use (pvmfw: SWFLAG_0, lazily mapped MMIO). */
    public static final long SOFTWARE_BIT_55 = DescriptorBits.SOFTWARE_BIT_55;

    /** The kind of {@code descriptor} at {@code level} (0..3). */
    public static DescriptorKind of(long descriptor, int level) {
        if (descriptor == 0) {
            return ZERO;
        }
        if ((descriptor & 1) == 0) {
            return (descriptor & SOFTWARE_BIT_55) != 0 ? LAZY : INVALID;
        }
        boolean bit1 = (descriptor & 2) != 0;
        if (level == Geometry.LEAF_LEVEL) {
            return bit1 ? PAGE : RESERVED;
        }
        if (bit1) {
            return TABLE;
        }
        return level == 0 ? LEVEL0_BLOCK : BLOCK;
    }

    /** Bits 47:12 of {@code descriptor}. */
    public static long outputAddress(long descriptor) {
        return descriptor & OUTPUT_ADDRESS_MASK;
    }

    /** Whether the MMU translates through it to memory: a block or a page. */
    public boolean isValidLeaf() {
        return this == BLOCK || this == PAGE;
    }

    /** Whether a walk that reads it ends in a translation fault at its level. */
    public boolean faults() {
        return this != TABLE && !isValidLeaf();
    }
}
