package dev.pvmfw.era2023_05;

import dev.pvmfw.hyp.KvmError;

import java.util.Objects;
import java.util.UUID;

/**
 * libhyp's {@code hyp::Error} as of 2023-04/05 (the lazy-MMIO change), in its declaration order:
 * {@code MmioGuardNotsupported}, {@code KvmError(KvmError, u32)}, {@code UnsupportedHypervisorUuid(Uuid)},
 * {@code UnsupportedMmioGuardGranule(usize)}. ({@code GeniezoneError} came in 2023-06 and is not part of this era.)
 *
 * <p>{@link #display()} is the Rust {@code Display} text; {@link #toString()} the derived {@code Debug} text (used in
 * panic messages such as {@code called `Result::unwrap()` on an `Err` value: KvmError(InvalidParameter,
 * 3321888771)}).
 */
public sealed interface HypError {

    /** The Rust {@code Display} text. */
    String display();

    /** Position in the Rust declaration (0..3). */
    int ordinal();

    /** ENROLL returned NOT_SUPPORTED: "MMIO guard is not supported". (Rust spelling: {@code Notsupported}.) */
    record MmioGuardNotsupported() implements HypError {
        public static final MmioGuardNotsupported INSTANCE = new MmioGuardNotsupported();

        @Override
        public String display() {
            return "MMIO guard is not supported";
        }

        @Override
        public int ordinal() {
            return 0;
        }

        @Override
        public String toString() {
            return "MmioGuardNotsupported";
        }
    }

    /**
     * The Rust variant {@code KvmError(KvmError, u32)}: "Failed to invoke the HVC function with function ID
     * {function_id}: {e}", the ID in unsigned decimal (e.g. 3321888775 for MMIO_GUARD_MAP).
     *
     * @param error the KVM error
     * @param functionId the function ID called (a u32)
     */
    record Kvm(KvmError error, int functionId) implements HypError {
        public Kvm {
            Objects.requireNonNull(error);
        }

        @Override
        public String display() {
            return "Failed to invoke the HVC function with function ID " + Integer.toUnsignedString(functionId) + ": "
                    + error.display();
        }

        @Override
        public int ordinal() {
            return 1;
        }

        @Override
        public String toString() {
            return "KvmError(" + error + ", " + Integer.toUnsignedString(functionId) + ")";
        }
    }

    /**
     * The Vendor Hyp UID named no known hypervisor: "Unsupported Hypervisor UUID {u}" (hyphenated lower case).
     *
     * @param uuid the UUID read
     */
    record UnsupportedHypervisorUuid(UUID uuid) implements HypError {
        public UnsupportedHypervisorUuid {
            Objects.requireNonNull(uuid);
        }

        @Override
        public String display() {
            return "Unsupported Hypervisor UUID " + uuid;
        }

        @Override
        public int ordinal() {
            return 2;
        }

        @Override
        public String toString() {
            return "UnsupportedHypervisorUuid(" + uuid + ")";
        }
    }

    /**
     * MMIO_GUARD_INFO gave a granule other than 4096: "Unsupported MMIO guard granule: {g}" (unsigned decimal).
     *
     * @param granule the granule (a usize)
     */
    record UnsupportedMmioGuardGranule(long granule) implements HypError {
        @Override
        public String display() {
            return "Unsupported MMIO guard granule: " + Long.toUnsignedString(granule);
        }

        @Override
        public int ordinal() {
            return 3;
        }

        @Override
        public String toString() {
            return "UnsupportedMmioGuardGranule(" + Long.toUnsignedString(granule) + ")";
        }
    }
}
