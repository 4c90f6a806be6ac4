package dev.pvmfw.exceptions;

/**
 * pvmfw's {@code Esr}: ESR_EL1 compared bitwise against whole-register patterns, in this order (reference §4.2) — not
 * a field decoder:
 * <ol>
 *   <li>{@code esr == 0x96000010} → {@link DataAbortSyncExternalAbort};</li>
 *   <li>{@code esr & !0x143 == 0x96000004} → {@link DataAbortTranslationFault} (bits 0, 1, 6, 8 free: level, WnR,
 *       CM);</li>
 *   <li>{@code esr & !0x103 == 0x9600004C} → {@link DataAbortPermissionFault} (bits 0, 1, 8 free: level, CM; WnR
 *       must be 1);</li>
 *   <li>otherwise {@link Unknown}{@code (esr)}.</li>
 * </ol>
 * The value is a 64-bit {@code usize}: any bit set above bit 31 (ISS2) makes it Unknown. Declaration order (the Rust
 * enum's): DataAbortTranslationFault, DataAbortPermissionFault, DataAbortSyncExternalAbort, Unknown.
 *
 * <p>{@link #display()} is the Rust {@code Display} text; {@link #toString()} the derived {@code Debug} text.
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

    /** {@code From<usize> for Esr}. Total: every value decodes. */
    static Esr decode(long esr) {
        if (esr == EXT_DABT_32BIT) {
            return DataAbortSyncExternalAbort.INSTANCE;
        } else if ((esr & TRANSL_FAULT_ISS_MASK_32BIT) == TRANSL_FAULT_BASE_32BIT) {
            return DataAbortTranslationFault.INSTANCE;
        } else if ((esr & PERM_FAULT_ISS_MASK_32BIT) == PERM_FAULT_BASE_32BIT) {
            return DataAbortPermissionFault.INSTANCE;
        }
        return new Unknown(esr);
    }

    /** The Rust {@code Display} text. */
    String display();

    /** Position in the Rust declaration (0..3). */
    int ordinal();

    /** "Translation fault". */
    record DataAbortTranslationFault() implements Esr {
        public static final DataAbortTranslationFault INSTANCE = new DataAbortTranslationFault();

        @Override
        public String display() {
            return "Translation fault";
        }

        @Override
        public int ordinal() {
            return 0;
        }

        @Override
        public String toString() {
            return "DataAbortTranslationFault";
        }
    }

    /** "Permission fault". */
    record DataAbortPermissionFault() implements Esr {
        public static final DataAbortPermissionFault INSTANCE = new DataAbortPermissionFault();

        @Override
        public String display() {
            return "Permission fault";
        }

        @Override
        public int ordinal() {
            return 1;
        }

        @Override
        public String toString() {
            return "DataAbortPermissionFault";
        }
    }

    /** "Synchronous external abort". */
    record DataAbortSyncExternalAbort() implements Esr {
        public static final DataAbortSyncExternalAbort INSTANCE = new DataAbortSyncExternalAbort();

        @Override
        public String display() {
            return "Synchronous external abort";
        }

        @Override
        public int ordinal() {
            return 2;
        }

        @Override
        public String toString() {
            return "DataAbortSyncExternalAbort";
        }
    }

    /**
     * Anything else: "Unknown exception esr={v:#08x}", e.g. {@code Unknown exception esr=0x96000084}.
     *
     * @param esr the raw value
     */
    record Unknown(long esr) implements Esr {
        @Override
        public String display() {
            return "Unknown exception esr=" + hex08(esr);
        }

        @Override
        public int ordinal() {
            return 3;
        }

        @Override
        public String toString() {
            return "Unknown(" + Long.toUnsignedString(esr) + ")";
        }
    }

    /** Rust {@code {:#08x}}: {@code 0x} and at least 6 lower-case hex digits (the width 8 counts the {@code 0x}). */
    static String hex08(long value) {
        String hex = Long.toHexString(value);
        return hex.length() >= 6 ? "0x" + hex : "0x" + "0".repeat(6 - hex.length()) + hex;
    }
}
