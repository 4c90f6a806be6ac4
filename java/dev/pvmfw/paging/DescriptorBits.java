package dev.pvmfw.paging;

/**
 * The architecture's stage-1 descriptor bits for the 4 KiB granule (Arm ARM D8.3, "Translation table descriptor
 * formats"; the EL1&amp;0 regime), defined once for every reader that is not a crate version: the MMU model, the image
 * tooling, the port. A crate-version package keeps its own declarations in the crate's words (0.4.0's
 * {@code Attributes}), and a test pins them to these ({@code AttributesBitsTest}).
 */
public final class DescriptorBits {
    /** Bit 0: valid. */
    public static final long VALID = 1L;
    /** Bit 1: a table (levels 0–2) or a page (level 3); clear with VALID, a block. */
    public static final long TABLE_OR_PAGE = 1L << 1;
    /** Bits 4:2: AttrIndx, the MAIR attribute index. */
    public static final long ATTR_INDX_MASK = 0b111L << 2;
    /** The shift of AttrIndx. */
    public static final int ATTR_INDX_SHIFT = 2;
    /** Bit 6: AP[1], EL0 access. */
    public static final long AP1_USER = 1L << 6;
    /** Bit 7: AP[2], read-only. */
    public static final long AP2_READ_ONLY = 1L << 7;
    /** Bits 9:8: shareability. */
    public static final long SH_MASK = 0b11L << 8;
    /** Bit 10: the Access flag. */
    public static final long AF = 1L << 10;
    /** Bit 11: not global. */
    public static final long NG = 1L << 11;
    /** Bit 51: dirty bit modifier (FEAT_HAFDBS). */
    public static final long DBM = 1L << 51;
    /** Bit 52: contiguous hint. */
    public static final long CONTIGUOUS = 1L << 52;
    /** Bit 53: privileged execute-never. */
    public static final long PXN = 1L << 53;
    /** Bit 54: unprivileged execute-never. */
    public static final long UXN = 1L << 54;
    /** Bit 55, the first of the four bits (58:55) software may use; pvmfw's lazy-MMIO tag, the crate's SWFLAG_0. */
    public static final long SOFTWARE_BIT_55 = 1L << 55;

    private DescriptorBits() {}
}
