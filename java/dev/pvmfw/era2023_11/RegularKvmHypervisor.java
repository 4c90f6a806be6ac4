package dev.pvmfw.era2023_11;

/**
 * libhyp's {@code RegularKvmHypervisor}: KVM without pKVM's extensions, so no capabilities (no MMIO guard: MMIO is
 * mapped valid at once and nothing faults; no memory sharing).
 */
public final class RegularKvmHypervisor implements Hypervisor {
    /** The one instance. */
    public static final RegularKvmHypervisor INSTANCE = new RegularKvmHypervisor();

    private RegularKvmHypervisor() {}
}
