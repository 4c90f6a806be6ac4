package dev.pvmfw.mmu;

/**
 * A TTBR0_EL1 or TTBR1_EL1 value as software writes it, read the way the walk does (Arm ARM DDI 0487,
 * D19.2 "TTBR0_EL1"/"TTBR1_EL1" and D8.2 "Translation table base address"): ASID in bits 63:48, BADDR in 47:1,
 * CnP in bit 0. The table base is BADDR's bits 47:x, x = 3 + log<sub>2</sub> of the root table's entries
 * ({@link MmuConfig#rootEntries()}; x = 12 for a full 512-entry root). ASID and CnP do not change the walk and
 * are ignored; BADDR's bits below x are treated as zero, one of the behaviours the architecture allows for a
 * misaligned base and the one QEMU's walk has. Bits 51:48 (FEAT_LPA with the 64 KiB granule) do not apply to the
 * 4 KiB granule modelled here.
 */
public final class Ttbr {
    private Ttbr() {}

    /** Bits 47:1, the BADDR field. */
    private static final long BADDR = 0x0000_ffff_ffff_fffeL;

    /** The ASID field, bits 63:48. */
    public static int asid(long ttbr) {
        return (int) (ttbr >>> 48);
    }

    /** The root table's PA that {@code ttbr} gives under {@code config}: BADDR's bits 47:x (see the class comment). */
    public static long tableBase(long ttbr, MmuConfig config) {
        int x = 3 + Integer.numberOfTrailingZeros(config.rootEntries());
        return ttbr & BADDR & -(1L << x);
    }
}
