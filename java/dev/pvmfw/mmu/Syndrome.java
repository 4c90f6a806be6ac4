package dev.pvmfw.mmu;

/**
 * The ESR_ELx value the hardware reports for a {@link WalkResult.Faulted fault}, taken to the Exception level it
 * happened at (Arm ARM DDI 0487, D19.2 "ESR_ELx", ISS encodings for a Data Abort and an Instruction Abort): every
 * field of it.
 *
 * <ul>
 *   <li>EC (bits 31:26): {@code 0x25}, "Data Abort without a change in Exception level", or {@code 0x21} for an
 *       instruction fetch;</li>
 *   <li>IL (bit 25) = 1: a 32-bit instruction;</li>
 *   <li>ISV (bit 24) = 0: no instruction syndrome for a stage-1 abort;</li>
 *   <li>FnV (bit 10) = 0: FAR holds the faulting VA (an external abort on the walk always has a valid FAR; on the
 *       access itself FnV is IMPLEMENTATION DEFINED, and QEMU reports it valid);</li>
 *   <li>EA (bit 9) = 0: the IMPLEMENTATION DEFINED classification of an external abort; QEMU gives 0 for a
 *       transaction to nothing (a decode error), and 0 for every other fault;</li>
 *   <li>CM (bit 8): 1 for a fault of a cache maintenance or an address translation ({@code AT}) instruction;</li>
 *   <li>S1PTW (bit 7) = 0: only a stage-2 fault on a stage-1 walk sets it, and there is no stage 2 here;</li>
 *   <li>WnR (bit 6): a write; 1 for every fault of an {@code AT} instruction, whether it translates for a read or a
 *       write, and of a cache maintenance instruction;</li>
 *   <li>DFSC/IFSC (bits 5:0): the fault status code, with the level in bits 1:0 where it has one.</li>
 * </ul>
 */
public final class Syndrome {
    /** EC = 0x25 in bits 31:26. */
    public static final long EC_DATA_ABORT_SAME_EL = 0x25L << 26;
    /** EC = 0x21 in bits 31:26: an Instruction Abort without a change in Exception level. */
    public static final long EC_INSTRUCTION_ABORT_SAME_EL = 0x21L << 26;
    /** IL, bit 25. */
    public static final long IL = 1L << 25;
    /** WnR, bit 6: a write. */
    public static final long WNR = 1L << 6;
    /** S1PTW, bit 7. */
    public static final long S1PTW = 1L << 7;
    /** CM, bit 8: a cache-maintenance operation. */
    public static final long CM = 1L << 8;
    /** EA, bit 9: the external abort type. */
    public static final long EA = 1L << 9;
    /** FnV, bit 10: FAR not valid. */
    public static final long FNV = 1L << 10;
    /** ISV, bit 24. */
    public static final long ISV = 1L << 24;
    /** {@code 0x96000000}: EC 0x25 and IL. */
    public static final long DATA_ABORT_BASE = EC_DATA_ABORT_SAME_EL | IL;

    /** DFSC of a synchronous external abort, not on a table walk. */
    public static final int DFSC_SYNC_EXTERNAL_ABORT = 0b010000;
    /**
     * The synchronous external abort KVM injects when the guest touches MMIO the MMIO guard does not allow: exactly
     * {@code 0x96000010} (EC 0x25, IL, DFSC 0x10 — KVM sets no WnR), which pvmfw matches exactly.
     */
    public static final long INJECTED_EXTERNAL_ABORT = DATA_ABORT_BASE | DFSC_SYNC_EXTERNAL_ABORT;

    private Syndrome() {}

    /**
     * Every field of an ESR_ELx value for an abort.
     *
     * @param ec the exception class, bits 31:26
     * @param il bit 25
     * @param isv bit 24
     * @param fnv bit 10
     * @param ea bit 9
     * @param cm bit 8
     * @param s1ptw bit 7
     * @param wnr bit 6
     * @param fsc the fault status code, bits 5:0
     */
    public record Fields(int ec, boolean il, boolean isv, boolean fnv, boolean ea, boolean cm, boolean s1ptw,
            boolean wnr, int fsc) {
        /** The fields of {@code esr} (bits above 31 and ISS bits this record does not name are dropped). */
        public static Fields of(long esr) {
            return new Fields((int) (esr >>> 26) & 0x3f, (esr & IL) != 0, (esr & ISV) != 0, (esr & FNV) != 0,
                    (esr & EA) != 0, (esr & CM) != 0, (esr & S1PTW) != 0, (esr & WNR) != 0, (int) esr & 0x3f);
        }

        @Override
        public String toString() {
            return String.format("EC=0x%02x IL=%d ISV=%d FnV=%d EA=%d CM=%d S1PTW=%d WnR=%d FSC=0x%02x", ec, bit(il),
                    bit(isv), bit(fnv), bit(ea), bit(cm), bit(s1ptw), bit(wnr), fsc);
        }

        private static int bit(boolean b) {
            return b ? 1 : 0;
        }
    }

    /** The ESR of {@code fault} for a load ({@code write} false) or a store at EL1. */
    public static long of(WalkResult.Faulted fault, boolean write) {
        return dataAbort(faultStatusCode(fault), write, false);
    }

    /**
     * The ESR of {@code fault} for {@code access}: a Data Abort (WnR for a store), or an Instruction Abort for a
     * fetch (no WnR or CM there).
     */
    public static long of(WalkResult.Faulted fault, AccessKind access) {
        int fsc = faultStatusCode(fault);
        if (access.isInstructionFetch()) {
            return EC_INSTRUCTION_ABORT_SAME_EL | IL | fsc;
        }
        return dataAbort(fsc, access.isWrite(), false);
    }

    /**
     * The ESR of {@code fault} when an {@code AT} instruction takes it as a Data Abort (QEMU does for an external
     * abort on the walk; the rest it reports in PAR_EL1): CM = 1 and WnR = 1, for {@code AT S1E1R} as for
     * {@code AT S1E1W}.
     */
    public static long ofAddressTranslation(WalkResult.Faulted fault) {
        return dataAbort(faultStatusCode(fault), true, true);
    }

    /**
     * The fault status code of {@code fault} (DFSC and IFSC share it): {@code 0b0000LL} address size,
     * {@code 0b0001LL} translation, {@code 0b0010LL} access flag, {@code 0b0011LL} permission, {@code 0b0101LL}
     * external abort on the walk, {@code 0b010000} external abort on the access. PAR_EL1.FST uses the same values.
     */
    public static int faultStatusCode(WalkResult.Faulted fault) {
        return switch (fault.kind()) {
            case TRANSLATION -> dfscTranslation(fault.level());
            case ACCESS_FLAG -> dfscAccessFlag(fault.level());
            case PERMISSION -> dfscPermission(fault.level());
            case ADDRESS_SIZE -> dfscAddressSize(fault.level());
            case EXTERNAL_ABORT_ON_WALK -> dfscExternalAbortOnWalk(fault.level());
            case EXTERNAL_ABORT -> DFSC_SYNC_EXTERNAL_ABORT;
        };
    }

    /** DFSC {@code 0b0000LL}: address size fault at {@code level}. @throws IllegalArgumentException bad level */
    public static int dfscAddressSize(int level) {
        return checkLevel(level);
    }

    /** DFSC {@code 0b0001LL}: translation fault at {@code level}. @throws IllegalArgumentException bad level */
    public static int dfscTranslation(int level) {
        return 0b000100 | checkLevel(level);
    }

    /** DFSC {@code 0b0010LL}: access flag fault at {@code level}. @throws IllegalArgumentException bad level */
    public static int dfscAccessFlag(int level) {
        return 0b001000 | checkLevel(level);
    }

    /** DFSC {@code 0b0011LL}: permission fault at {@code level}. @throws IllegalArgumentException bad level */
    public static int dfscPermission(int level) {
        return 0b001100 | checkLevel(level);
    }

    /**
     * DFSC {@code 0b0101LL}: synchronous external abort on a translation table walk at {@code level}.
     *
     * @throws IllegalArgumentException if level is not 0..3
     */
    public static int dfscExternalAbortOnWalk(int level) {
        return 0b010100 | checkLevel(level);
    }

    /**
     * A data abort with {@code dfsc} (6 bits), WnR if {@code write}, CM if {@code cm}.
     *
     * @throws IllegalArgumentException if dfsc has more than 6 bits
     */
    public static long dataAbort(int dfsc, boolean write, boolean cm) {
        if ((dfsc & ~0x3f) != 0) {
            throw new IllegalArgumentException("DFSC is 6 bits: " + dfsc);
        }
        return DATA_ABORT_BASE | dfsc | (write ? WNR : 0) | (cm ? CM : 0);
    }

    /** Translation fault at {@code level}: {@code 0x96000004 | level}, plus {@code 0x40} for a write. */
    public static long translationFault(int level, boolean write) {
        return dataAbort(dfscTranslation(level), write, false);
    }

    /** Translation fault, optionally from a cache-maintenance instruction ({@code + 0x100}). */
    public static long translationFault(int level, boolean write, boolean cm) {
        return dataAbort(dfscTranslation(level), write, cm);
    }

    /** Permission fault at {@code level}: {@code 0x9600000C | level}, plus {@code 0x40} for a write. */
    public static long permissionFault(int level, boolean write) {
        return dataAbort(dfscPermission(level), write, false);
    }

    /** Permission fault, optionally from a cache-maintenance instruction. */
    public static long permissionFault(int level, boolean write, boolean cm) {
        return dataAbort(dfscPermission(level), write, cm);
    }

    /** Access flag fault at {@code level}: {@code 0x96000008 | level}. */
    public static long accessFlagFault(int level, boolean write) {
        return dataAbort(dfscAccessFlag(level), write, false);
    }

    /** Address size fault at {@code level}: {@code 0x96000000 | level}. */
    public static long addressSizeFault(int level, boolean write) {
        return dataAbort(dfscAddressSize(level), write, false);
    }

    /** Synchronous external abort on a table walk at {@code level}: {@code 0x96000014 | level}. */
    public static long externalAbortOnWalk(int level, boolean write) {
        return dataAbort(dfscExternalAbortOnWalk(level), write, false);
    }

    /**
     * Synchronous external abort on the access itself: {@code 0x96000010}, plus {@code 0x40} for a write (unlike
     * the abort KVM injects, {@link #INJECTED_EXTERNAL_ABORT}, which never has WnR).
     */
    public static long externalAbort(boolean write) {
        return dataAbort(DFSC_SYNC_EXTERNAL_ABORT, write, false);
    }

    private static int checkLevel(int level) {
        if (level < 0 || level > 3) {
            throw new IllegalArgumentException("level must be 0..3: " + level);
        }
        return level;
    }
}
