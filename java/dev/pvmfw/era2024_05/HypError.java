package dev.pvmfw.era2024_05;

import dev.pvmfw.hyp.GeniezoneError;
import dev.pvmfw.hyp.KvmError;
import java.util.Objects;
import java.util.UUID;

/**
 * vmbase's {@code hyp::Error} as at {@code c08e63cb:vmbase/src/hyp/error.rs} (libhyp folded into vmbase by
 * {@code a9b345f3}), in its declaration order: {@code MmioGuardNotSupported}, {@code KvmError(KvmError, u32)},
 * {@code GeniezoneError(GeniezoneError, u32)}, {@code UnsupportedHypervisorUuid(Uuid)}. Its
 * {@code UnsupportedMmioGuardGranule} moved to {@link MemoryTrackerError} with {@code 32d96796}.
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
        };
    }
}
