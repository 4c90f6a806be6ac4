package dev.pvmfw.hyp;

/**
 * An error returned by a KVM hypercall (libhyp {@code KvmError}), built from the signed value of x0: −1 →
 * {@link NotSupported}, −3 → {@link InvalidParameter}, anything else → {@link Unknown}. Declaration order (the Rust
 * enum's): NotSupported, InvalidParameter, Unknown.
 *
 * <p>{@link #display()} is the Rust {@code Display} text; {@link #toString()} the derived {@code Debug} text.
 */
public sealed interface KvmError {

    /** The Rust {@code Display} text. */
    String display();

    /** Position in the Rust declaration (0, 1, 2). */
    int ordinal();

    /** {@code From<i64>}: −1 NotSupported, −3 InvalidParameter, otherwise Unknown(value). */
    static KvmError fromI64(long value) {
        if (value == -1) {
            return NotSupported.INSTANCE;
        } else if (value == -3) {
            return InvalidParameter.INSTANCE;
        }
        return new Unknown(value);
    }

    /** {@code From<i32>}: widened to i64, then as {@link #fromI64}. */
    static KvmError fromI32(int value) {
        return fromI64(value);
    }

    /** {@code SMCCC_RET_NOT_SUPPORTED}: "KVM call not supported". */
    record NotSupported() implements KvmError {
        public static final NotSupported INSTANCE = new NotSupported();

        @Override
        public String display() {
            return "KVM call not supported";
        }

        @Override
        public int ordinal() {
            return 0;
        }

        @Override
        public String toString() {
            return "NotSupported";
        }
    }

    /** {@code SMCCC_RET_INVALID_PARAMETER}: "KVM call received non-supported value". */
    record InvalidParameter() implements KvmError {
        public static final InvalidParameter INSTANCE = new InvalidParameter();

        @Override
        public String display() {
            return "KVM call received non-supported value";
        }

        @Override
        public int ordinal() {
            return 1;
        }

        @Override
        public String toString() {
            return "InvalidParameter";
        }
    }

    /**
     * Any other value: "Unknown return value from KVM {e} ({e:#x})", the value in signed decimal and in
     * two's-complement hex (Rust {@code {:#x}} of an i64), e.g. {@code Unknown return value from KVM -2
     * (0xfffffffffffffffe)}.
     *
     * @param value the signed return value
     */
    record Unknown(long value) implements KvmError {
        @Override
        public String display() {
            return "Unknown return value from KVM " + value + " (0x" + Long.toHexString(value) + ")";
        }

        @Override
        public int ordinal() {
            return 2;
        }

        @Override
        public String toString() {
            return "Unknown(" + value + ")";
        }
    }
}
