package dev.pvmfw.paging.port;

import dev.pvmfw.paging.DescriptorBits;

/**
 * The descriptor bits pvmfw's callbacks test, which sit at the same place in every aarch64-paging release (the
 * architecture's): a callback written against {@link Pte} tests these on {@link Pte#flags()}.
 */
public final class PteFlags {
    /** Bit 0: the descriptor is valid. */
    public static final long VALID = DescriptorBits.VALID;
    /** Bit 1: a table (levels 0–2) or a page (level 3). */
    public static final long TABLE_OR_PAGE = DescriptorBits.TABLE_OR_PAGE;
    /** Bit 55: the first software bit; pvmfw's {@code MMIO_LAZY_MAP_FLAG}. */
    public static final long SWFLAG_0 = DescriptorBits.SOFTWARE_BIT_55;

    private PteFlags() {}
}
