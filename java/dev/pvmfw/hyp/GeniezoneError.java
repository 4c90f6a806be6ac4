package dev.pvmfw.hyp;

/**
 * libhyp's {@code GeniezoneError} (from AOSP {@code 725bd922}, 2023-06; unchanged through
 * {@code 758d65de:vmbase/src/hyp/hypervisor/geniezone.rs}): what a GenieZone hypercall returned when it failed, from
 * the signed value of x0: −1 → {@code NotSupported}, −2 → {@code NotRequired}, −3 → {@code InvalidParameter},
 * anything else → {@link Unknown}. Only the payload of the eras' {@code GeniezoneError} variant here: no GenieZone
 * backend is reproduced.
 *
 * <p>A Rust enum in Java: {@link #display()} is the Rust {@code Display} text, {@code toString()} the derived
 * {@code Debug} text.
 */
public sealed interface GeniezoneError {

    /** The variants without a payload. */
    enum Unit implements GeniezoneError {
        /** −1. */
        NotSupported,
        /** −2. */
        NotRequired,
        /** −3. */
        InvalidParameter,
    }

    /**
     * Any other value.
     *
     * @param value the signed return value
     */
    record Unknown(long value) implements GeniezoneError {
        @Override
        public String toString() {
            return "Unknown(" + value + ")";
        }
    }

    /** {@code From<i64>}: −1, −2, −3 as named, otherwise Unknown(value). */
    static GeniezoneError fromI64(long value) {
        if (value == -1) {
            return Unit.NotSupported;
        } else if (value == -2) {
            return Unit.NotRequired;
        } else if (value == -3) {
            return Unit.InvalidParameter;
        }
        return new Unknown(value);
    }

    /** The Rust {@code Display} text ({@code Unknown}: the value in decimal, then in two's-complement hex). */
    default String display() {
        return switch (this) {
            case Unit u -> switch (u) {
                case NotSupported -> "GenieZone call not supported";
                case NotRequired -> "GenieZone call not required";
                case InvalidParameter -> "GenieZone call received invalid value";
            };
            case Unknown u -> "Unknown return value from GenieZone " + u.value() + " (0x"
                    + Long.toHexString(u.value()) + ")";
        };
    }
}
