package dev.pvmfw.era2023_11;

import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.hyp.KvmError;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.hyp.SmcccConduit;
import java.util.UUID;

/**
 * libhyp's {@code get_hypervisor()} detection at {@code 28e439f4:libs/hyp/src/hypervisor.rs} (from {@code cf215857},
 * 2023-07): the Vendor Hyp UID; for KVM's UUID, an MMIO_GUARD_INFO probe tells pKVM (Ok) from a regular KVM
 * (NOT_SUPPORTED). GenieZone and Gunyah are not reproduced: their UUIDs are refused here like an unknown one.
 */
public final class Hypervisors {
    /** The panic message of {@code detect_hypervisor}'s {@code expect}. */
    public static final String DETECT_FAILED = "Failed to detect hypervisor";

    private Hypervisors() {}

    /**
     * {@code detect_hypervisor()}.
     *
     * @return a {@link ProtectedKvmHypervisor} or {@link RegularKvmHypervisor#INSTANCE}
     * @throws InvariantViolation {@code Failed to detect hypervisor: <error>} for another UUID
     *     ({@code UnsupportedHypervisorUuid}) or any other INFO error
     */
    public static Hypervisor detect(SmcccConduit conduit) {
        long[] ret = conduit.hvc64(Smccc.ARM_SMCCC_VENDOR_HYP_CALL_UID, Smccc.args(0));
        UUID uuid = Smccc.uuidFromRegisters(ret[0], ret[1], ret[2], ret[3]);
        if (!uuid.equals(Smccc.KVM_UUID)) {
            throw new InvariantViolation(DETECT_FAILED + ": " + new HypError.UnsupportedHypervisorUuid(uuid));
        }
        ProtectedKvmHypervisor pkvm = new ProtectedKvmHypervisor(conduit);
        try {
            pkvm.granule();
            return pkvm;
        } catch (HypException e) {
            if (e.error() instanceof HypError.Kvm k && k.error() == KvmError.Unit.NotSupported) {
                return RegularKvmHypervisor.INSTANCE;
            }
            throw new InvariantViolation(DETECT_FAILED + ": " + e.error());
        }
    }
}
