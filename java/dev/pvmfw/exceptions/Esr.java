package dev.pvmfw.exceptions;

/**
 * pvmfw's {@code Esr} ({@code b99905d3:pvmfw/src/exceptions.rs}, unchanged in {@code 758d65de:vmbase/src/exceptions.rs}):
 * ESR_EL1 compared bitwise against whole-register patterns, in this order — not a field decoder:
 * <ol>
 *   <li>{@code esr == 0x96000010} → DataAbortSyncExternalAbort;</li>
 *   <li>{@code esr & !0x143 == 0x96000004} → DataAbortTranslationFault (bits 0, 1, 6, 8 free: level, WnR, CM);</li>
 *   <li>{@code esr & !0x103 == 0x9600004C} → DataAbortPermissionFault (bits 0, 1, 8 free: level, CM; WnR must be
 *       1);</li>
 *   <li>otherwise {@link Unknown}{@code (esr)}.</li>
 * </ol>
 * The value is a 64-bit {@code usize}: any bit set above bit 31 (ISS2) makes it Unknown. Declaration order (the Rust
 * enum's): DataAbortTranslationFault, DataAbortPermissionFault, DataAbortSyncExternalAbort, Unknown.
 *
 * <p>A Rust enum in Java: the unit variants are {@link Unit} (named as in Rust), the payload variant a record;
 * {@link #display()} is the Rust {@code Display} text and {@code toString()} the derived {@code Debug} text.
 */
public sealed interface Esr {
    /** {@code EXT_DABT_32BIT}. */
    long EXT_DABT_32BIT = 0x9600_0010L;
    /** {@code TRANSL_FAULT_BASE_32BIT}. */
    long TRANSL_FAULT_BASE_32BIT = 0x9600_0004L;
    /** {@code TRANSL_FAULT_ISS_MASK_32BIT = !0x143}. */
    long TRANSL_FAULT_ISS_MASK_32BIT = ~0x143L;
    /** {@code PERM_FAULT_BASE_32BIT}. */
    long PERM_FAULT_BASE_32BIT = 0x9600_004CL;
    /** {@code PERM_FAULT_ISS_MASK_32BIT = !0x103}. */
    long PERM_FAULT_ISS_MASK_32BIT = ~0x103L;

    /** The variants without a payload. */
    enum Unit implements Esr {
        /** A data abort from the current EL, translation fault at any level: {@code esr & !0x143 == 0x96000004}. */
        DataAbortTranslationFault,
        /** A data abort from the current EL, permission fault on a write: {@code esr & !0x103 == 0x9600004C}. */
        DataAbortPermissionFault,
        /** A data abort from the current EL, synchronous external abort on a read: exactly {@code 0x96000010}. */
        DataAbortSyncExternalAbort,
    }

    /**
     * Anything else.
     *
     * @param esr the raw value
     */
    record Unknown(long esr) implements Esr {
        @Override
        public String toString() {
            return "Unknown(" + Long.toUnsignedString(esr) + ")";
        }
    }

    /** {@code From<usize> for Esr}. Total: every value decodes. */
    static Esr decode(long esr) {
        if (esr == EXT_DABT_32BIT) {
            return Unit.DataAbortSyncExternalAbort;
        } else if ((esr & TRANSL_FAULT_ISS_MASK_32BIT) == TRANSL_FAULT_BASE_32BIT) {
            return Unit.DataAbortTranslationFault;
        } else if ((esr & PERM_FAULT_ISS_MASK_32BIT) == PERM_FAULT_BASE_32BIT) {
            return Unit.DataAbortPermissionFault;
        }
        return new Unknown(esr);
    }

    /** The Rust {@code Display} text; {@link Unknown} prints {@code Unknown exception esr={v:#08x}}. */
    default String display() {
        return switch (this) {
            case Unit u -> switch (u) {
                case DataAbortTranslationFault -> "Translation fault";
                case DataAbortPermissionFault -> "Permission fault";
                case DataAbortSyncExternalAbort -> "Synchronous external abort";
            };
            case Unknown u -> "Unknown exception esr=" + hex08(u.esr());
        };
    }

    /** Rust {@code {:#08x}}: {@code 0x} and at least 6 lower-case hex digits (the width 8 counts the {@code 0x}). */
    static String hex08(long value) {
        String hex = Long.toHexString(value);
        return hex.length() >= 6 ? "0x" + hex : "0x" + "0".repeat(6 - hex.length()) + hex;
    }
}
