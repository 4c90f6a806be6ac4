package dev.pvmfw.cpu;

/**
 * What the hypervisor's stage 2 lets the guest do with device memory. A refused device access gets a synchronous
 * external abort injected, {@code 0x96000010} exactly, as KVM does for MMIO the MMIO guard does not allow. For a
 * {@link dev.pvmfw.hyp.RecordingHypervisor} pass {@code hyp::allowsMmioAccess}.
 */
@FunctionalInterface
public interface Stage2 {
    /** Everything allowed (no MMIO guard). */
    Stage2 ALLOW_ALL = ipa -> true;

    /** Whether a device access to {@code ipa} may go through. */
    boolean allowsDeviceAccess(long ipa);
}
