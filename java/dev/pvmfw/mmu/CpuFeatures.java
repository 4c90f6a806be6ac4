package dev.pvmfw.mmu;

/**
 * The features of a core that change the stage-1 rules, as its ID registers report them (Arm ARM DDI 0487,
 * D19.2 "ID_AA64MMFR0_EL1", "ID_AA64MMFR1_EL1", "ID_AA64MMFR2_EL1").
 *
 * @param physicalAddressBits the PA size the core implements, from ID_AA64MMFR0_EL1.PARange (32, 36, 40, 42, 44, 48
 *     or 52): TCR_ELx.IPS above it is treated as it, and with the 4 KiB granule and no FEAT_LPA2 no output address
 *     has more than 48 bits whatever it says
 * @param accessFlagManagement FEAT_HAFDBS at least 0b0001 (ID_AA64MMFR1_EL1.HAFDBS): TCR_ELx.HA works; without it
 *     HA is RES0 and an AF-clear leaf always raises an Access flag fault (cortex-a57)
 * @param dirtyStateManagement ID_AA64MMFR1_EL1.HAFDBS = 0b0010: TCR_ELx.HD works (with HA)
 * @param smallTranslationTables FEAT_TTST (ID_AA64MMFR2_EL1.ST): TnSZ may exceed 39 (up to 48 with the 4 KiB
 *     granule); without it a TnSZ above 39 is out of range ({@link MmuConfig#tnszOutOfRange()})
 */
public record CpuFeatures(int physicalAddressBits, boolean accessFlagManagement, boolean dirtyStateManagement,
        boolean smallTranslationTables) {

    /** The sizes PARange and IPS encode, by encoding (before the constants below, which use it). */
    private static final int[] PARANGE_BITS = {32, 36, 40, 42, 44, 48, 52};

    /**
     * Every feature the model knows, with a 48-bit PA: HA, HD and every TnSZ up to 48 take effect as configured. The
     * default, so that a configuration says only what its registers say.
     */
    public static final CpuFeatures ALL = new CpuFeatures(48, true, true, true);

    /**
     * QEMU's {@code -cpu max} (QEMU 7.2): PARange 0b0110 (52 bits, FEAT_LPA; 48 with the 4 KiB granule), HAFDBS
     * 0b0010, ST 1, as its ID registers read (the QEMU oracle checks them at every boot).
     */
    public static final CpuFeatures QEMU_MAX = new CpuFeatures(52, true, true, true);

    /** Cortex-A57 (and QEMU's {@code -cpu cortex-a57}): PARange 0b0100 (44 bits), no FEAT_HAFDBS, no FEAT_TTST. */
    public static final CpuFeatures CORTEX_A57 = new CpuFeatures(44, false, false, false);

    /**
     * Features with these values.
     *
     * @throws IllegalArgumentException if physicalAddressBits is not a PARange size, or dirty-state management is
     *     claimed without access-flag management (HAFDBS 0b0010 includes 0b0001)
     */
    public CpuFeatures {
        if (parangeOf(physicalAddressBits) < 0) {
            throw new IllegalArgumentException("no PARange encodes " + physicalAddressBits + " bits");
        }
        if (dirtyStateManagement && !accessFlagManagement) {
            throw new IllegalArgumentException("dirty-state management without access-flag management");
        }
    }

    /**
     * The features an ID_AA64MMFR0/1/2_EL1 triple reports.
     *
     * @throws IllegalArgumentException if PARange is a reserved value
     */
    public static CpuFeatures fromIdRegisters(long mmfr0, long mmfr1, long mmfr2) {
        int parange = (int) (mmfr0 & 0xf);
        if (parange >= PARANGE_BITS.length) {
            throw new IllegalArgumentException("reserved PARange 0b" + Integer.toBinaryString(parange));
        }
        int hafdbs = (int) (mmfr1 & 0xf);
        boolean st = ((mmfr2 >>> 28) & 0xf) != 0;
        return new CpuFeatures(PARANGE_BITS[parange], hafdbs >= 1, hafdbs >= 2, st);
    }

    /** The PARange (or TCR_ELx.IPS) encoding of {@code bits}, or -1 if there is none. */
    public static int parangeOf(int bits) {
        for (int i = 0; i < PARANGE_BITS.length; i++) {
            if (PARANGE_BITS[i] == bits) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The size TCR_ELx.IPS encodes (0b000 32 bits … 0b110 52 bits).
     *
     * @throws IllegalArgumentException if ips is not 0..6
     */
    public static int ipsBits(int ips) {
        if (ips < 0 || ips >= PARANGE_BITS.length) {
            throw new IllegalArgumentException("IPS 0b" + Integer.toBinaryString(ips) + " is reserved");
        }
        return PARANGE_BITS[ips];
    }

    /** The largest TnSZ the 4 KiB granule allows on this core: 48 with FEAT_TTST, else 39. */
    public int maxTnsz() {
        return smallTranslationTables ? 48 : 39;
    }
}
