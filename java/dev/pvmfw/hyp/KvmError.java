package dev.pvmfw.hyp;

/**
 * libhyp's {@code KvmError}: what a KVM hypercall returned when it failed, built from the signed value of x0: −1 →
 * {@code NotSupported}, −3 → {@code InvalidParameter}, anything else → {@link Unknown}. Unchanged from
 * {@code b99905d3:libs/hyp/src/hypervisor/kvm.rs} to {@code 758d65de:vmbase/src/hyp/hypervisor/kvm.rs}.
 *
 * <p>A Rust enum in Java: the unit variants are {@link Unit} (named as in Rust), the payload variant a record;
 * {@link #display()} is the Rust {@code Display} text and {@code toString()} the derived {@code Debug} text.
 */
public sealed interface KvmError {

    /** The variants without a payload. */
    enum Unit implements KvmError {
        /** {@code SMCCC_RET_NOT_SUPPORTED} (−1). */
        NotSupported,
        /** {@code SMCCC_RET_INVALID_PARAMETER} (−3). */
        InvalidParameter,
    }

    /**
     * Any other value.
     *
     * @param value the signed return value
     */
    record Unknown(long value) implements KvmError {
        @Override
        public String toString() {
            return "Unknown(" + value + ")";
        }
    }

    /** {@code From<i64>}: −1 NotSupported, −3 InvalidParameter, otherwise Unknown(value). */
    static KvmError fromI64(long value) {
        if (value == -1) {
            return Unit.NotSupported;
        } else if (value == -3) {
            return Unit.InvalidParameter;
        }
        return new Unknown(value);
    }

    /** {@code From<i32>}: widened to i64, then as {@link #fromI64}. */
    static KvmError fromI32(int value) {
        return fromI64(value);
    }

    /** The value it came from: −1, −3, or the unknown value. */
    default long raw() {
        return switch (this) {
            case Unit u -> switch (u) {
                case NotSupported -> -1;
                case InvalidParameter -> -3;
            };
            case Unknown u -> u.value();
        };
    }

    /**
     * The Rust {@code Display} text; for {@link Unknown}, the value in signed decimal and in two's-complement hex
     * (Rust {@code {:#x}} of an i64), e.g. {@code Unknown return value from KVM -2 (0xfffffffffffffffe)}.
     */
    default String display() {
        return switch (this) {
            case Unit u -> switch (u) {
                case NotSupported -> "KVM call not supported";
                case InvalidParameter -> "KVM call received non-supported value";
            };
            case Unknown u -> "Unknown return value from KVM " + u.value() + " (0x" + Long.toHexString(u.value())
                    + ")";
        };
    }
}
