package dev.pvmfw.mmu;

import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.Geometry;

/**
 * What a descriptor is to the MMU (VMSAv8-64, stage 1, 4 KiB granule), by its low two bits and level; plus
 * {@link #LAZY}, pvmfw's invalid leaf tagged SWFLAG_0.
 */
public enum DescriptorKind {
    /** All zero. */
    ZERO,
    /** Bit 0 clear, not zero: the MMU faults; 0.4.0 leaves many of these (split garbage). */
    INVALID,
    /** Bit 0 clear with SWFLAG_0 (bit 55): pvmfw's lazily mapped MMIO. */
    LAZY,
    /** Levels 1–2, bits 0b01. */
    BLOCK,
    /** Level 0, bits 0b01: not supported with the 4 KiB granule without FEAT_LPA2, so the MMU faults. */
    LEVEL0_BLOCK,
    /** Level 3, bits 0b11. */
    PAGE,
    /** Level 3, bits 0b01: reserved, the MMU faults. */
    RESERVED,
    /** Levels 0–2, bits 0b11. */
    TABLE;

    /** The kind of {@code descriptor} at {@code level}. */
    public static DescriptorKind of(long descriptor, int level) {
        if (descriptor == 0) {
            return ZERO;
        }
        if ((descriptor & 1) == 0) {
            return (descriptor & Attributes.SWFLAG_0.bits()) != 0 ? LAZY : INVALID;
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

    /** Whether the MMU translates through it to memory. */
    public boolean isValidLeaf() {
        return this == BLOCK || this == PAGE;
    }
}
