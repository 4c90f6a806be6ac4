package dev.pvmfw.mmu;

/**
 * The ESR_EL1 value the hardware reports for a {@link WalkResult.Faulted fault} of a data access taken from EL1 to
 * EL1 (Arm ARM DDI 0487, D17.2.40 ESR_ELx, ISS encoding for a Data Abort): EC {@code 0x25}
 * (bits 31:26, "Data Abort without a change in Exception level"), IL = 1 (a 32-bit instruction), ISV = 0 (no
 * instruction syndrome for a stage-1 abort reported to EL1), FnV = 0 (FAR valid), the DFSC in bits 5:0, WnR in bit 6,
 * CM in bit 8.
 */
public final class Syndrome {
    /** EC = 0x25 in bits 31:26. */
    public static final long EC_DATA_ABORT_SAME_EL = 0x25L << 26;
    /** IL, bit 25. */
    public static final long IL = 1L << 25;
    /** WnR, bit 6: a write. */
    public static final long WNR = 1L << 6;
    /** S1PTW, bit 7. */
    public static final long S1PTW = 1L << 7;
    /** CM, bit 8: a cache-maintenance operation. */
    public static final long CM = 1L << 8;
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

    /** The ESR of {@code fault} for a load ({@code write} false) or a store. */
    public static long of(WalkResult.Faulted fault, boolean write) {
        return switch (fault.kind()) {
            case TRANSLATION -> translationFault(fault.level(), write);
            case ACCESS_FLAG -> accessFlagFault(fault.level(), write);
            case PERMISSION -> permissionFault(fault.level(), write);
            case ADDRESS_SIZE -> addressSizeFault(fault.level(), write);
            case EXTERNAL_ABORT_ON_WALK -> externalAbortOnWalk(fault.level(), write);
        };
    }

    /** DFSC {@code 0b0000LL}: address size fault at {@code level}. */
    public static int dfscAddressSize(int level) {
        return checkLevel(level);
    }

    /** DFSC {@code 0b0001LL}: translation fault at {@code level}. */
    public static int dfscTranslation(int level) {
        return 0b000100 | checkLevel(level);
    }

    /** DFSC {@code 0b0010LL}: access flag fault at {@code level}. */
    public static int dfscAccessFlag(int level) {
        return 0b001000 | checkLevel(level);
    }

    /** DFSC {@code 0b0011LL}: permission fault at {@code level}. */
    public static int dfscPermission(int level) {
        return 0b001100 | checkLevel(level);
    }

    /** DFSC {@code 0b0101LL}: synchronous external abort on a translation table walk at {@code level}. */
    public static int dfscExternalAbortOnWalk(int level) {
        return 0b010100 | checkLevel(level);
    }

    /** A data abort with {@code dfsc} (6 bits), WnR if {@code write}, CM if {@code cm}. */
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

    private static int checkLevel(int level) {
        if (level < 0 || level > 3) {
            throw new IllegalArgumentException("level must be 0..3: " + level);
        }
        return level;
    }
}
