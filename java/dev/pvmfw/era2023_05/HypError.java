package dev.pvmfw.era2023_05;

import dev.pvmfw.hyp.KvmError;
import java.util.Objects;
import java.util.UUID;

/**
 * libhyp's {@code hyp::Error} as of the seed change ({@code b99905d3:libs/hyp/src/error.rs}), in its declaration
 * order: {@code MmioGuardNotsupported}, {@code KvmError(KvmError, u32)}, {@code UnsupportedHypervisorUuid(Uuid)},
 * {@code UnsupportedMmioGuardGranule(usize)}. ({@code GeniezoneError} came in 2023-06 and {@code
 * MmioGuardNotsupported} became {@code MmioGuardNotSupported} in 2023-07; neither is part of this era.)
 *
 * <p>A Rust enum in Java: the unit variant is {@link Unit}, the payload variants records; {@link #display()} is the
 * Rust {@code Display} text and {@code toString()} the derived {@code Debug} text (used in panic messages such as
 * {@code called `Result::unwrap()` on an `Err` value: KvmError(InvalidParameter, 3321888771)}).
 */
public sealed interface HypError {

    /** The variant without a payload. */
    enum Unit implements HypError {
        /** ENROLL returned NOT_SUPPORTED. (Rust spelling: {@code Notsupported}.) */
        MmioGuardNotsupported,
    }

    /**
     * The Rust variant {@code KvmError(KvmError, u32)}: a KVM call failed.
     *
     * @param error the KVM error
     * @param functionId the function ID called (a u32)
     */
    record Kvm(KvmError error, int functionId) implements HypError {
        /** The variant; error must not be null. */
        public Kvm {
            Objects.requireNonNull(error);
        }

        @Override
        public String toString() {
            return "KvmError(" + error + ", " + Integer.toUnsignedString(functionId) + ")";
        }
    }

    /**
     * The Vendor Hyp UID named no known hypervisor.
     *
     * @param uuid the UUID read
     */
    record UnsupportedHypervisorUuid(UUID uuid) implements HypError {
        /** The variant; uuid must not be null. */
        public UnsupportedHypervisorUuid {
            Objects.requireNonNull(uuid);
        }

        @Override
        public String toString() {
            return "UnsupportedHypervisorUuid(" + uuid + ")";
        }
    }

    /**
     * MMIO_GUARD_INFO gave a granule other than 4096.
     *
     * @param granule the granule (a usize)
     */
    record UnsupportedMmioGuardGranule(long granule) implements HypError {
        @Override
        public String toString() {
            return "UnsupportedMmioGuardGranule(" + Long.toUnsignedString(granule) + ")";
        }
    }

    /**
     * The Rust {@code Display} text. The function ID of {@link Kvm} is printed in unsigned decimal (3321888775 for
     * MMIO_GUARD_MAP), the UUID hyphenated in lower case, the granule in unsigned decimal.
     */
    default String display() {
        return switch (this) {
            case Unit u -> switch (u) {
                case MmioGuardNotsupported -> "MMIO guard is not supported";
            };
            case Kvm k -> "Failed to invoke the HVC function with function ID "
                    + Integer.toUnsignedString(k.functionId()) + ": " + k.error().display();
            case UnsupportedHypervisorUuid u -> "Unsupported Hypervisor UUID " + u.uuid();
            case UnsupportedMmioGuardGranule g -> "Unsupported MMIO guard granule: "
                    + Long.toUnsignedString(g.granule());
        };
    }
}
