package dev.pvmfw.era2023_11;

import dev.pvmfw.hyp.GeniezoneError;
import dev.pvmfw.hyp.KvmError;
import java.util.Objects;
import java.util.UUID;

/**
 * libhyp's {@code hyp::Error} as at {@code 28e439f4:libs/hyp/src/error.rs}, in its declaration order:
 * {@code MmioGuardNotSupported} (renamed from {@code Notsupported} by {@code 5430a93b}, 2023-07), {@code KvmError(KvmError,
 * u32)}, {@code GeniezoneError(GeniezoneError, u32)} (from {@code 725bd922}, 2023-06),
 * {@code UnsupportedHypervisorUuid(Uuid)}, {@code UnsupportedMmioGuardGranule(usize)}.
 *
 * <p>A Rust enum in Java: {@link #display()} is the Rust {@code Display} text, {@code toString()} the derived
 * {@code Debug} text (function IDs in unsigned decimal).
 */
public sealed interface HypError {

    /** The variant without a payload. */
    enum Unit implements HypError {
        /** ENROLL returned NOT_SUPPORTED. */
        MmioGuardNotSupported,
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
     * The Rust variant {@code GeniezoneError(GeniezoneError, u32)}: a GenieZone call failed (no GenieZone backend is
     * reproduced; the variant is kept for its text).
     *
     * @param error the GenieZone error
     * @param functionId the function ID called (a u32)
     */
    record Geniezone(GeniezoneError error, int functionId) implements HypError {
        /** The variant; error must not be null. */
        public Geniezone {
            Objects.requireNonNull(error);
        }

        @Override
        public String toString() {
            return "GeniezoneError(" + error + ", " + Integer.toUnsignedString(functionId) + ")";
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
     * {@code validate_granule}: MMIO_GUARD_INFO gave a granule other than 4096.
     *
     * @param granule the granule (a usize)
     */
    record UnsupportedMmioGuardGranule(long granule) implements HypError {
        @Override
        public String toString() {
            return "UnsupportedMmioGuardGranule(" + Long.toUnsignedString(granule) + ")";
        }
    }

    /** The Rust {@code Display} text. */
    default String display() {
        return switch (this) {
            case Unit u -> switch (u) {
                case MmioGuardNotSupported -> "MMIO guard is not supported";
            };
            case Kvm k -> "Failed to invoke the HVC function with function ID "
                    + Integer.toUnsignedString(k.functionId()) + ": " + k.error().display();
            case Geniezone g -> "Failed to invoke GenieZone HVC function with function ID "
                    + Integer.toUnsignedString(g.functionId()) + ": " + g.error().display();
            case UnsupportedHypervisorUuid u -> "Unsupported Hypervisor UUID " + u.uuid();
            case UnsupportedMmioGuardGranule g -> "Unsupported MMIO guard granule: "
                    + Long.toUnsignedString(g.granule());
        };
    }
}
