package dev.pvmfw.era2023_11;

import java.util.Optional;

/**
 * libhyp's {@code Hypervisor} trait as split by capability in 2023-07 ({@code 28e439f4:libs/hyp/src/hypervisor/common.rs}):
 * a hypervisor may have an MMIO guard and may share memory; pKVM has both, a regular KVM neither.
 */
public interface Hypervisor {

    /** {@code as_mmio_guard()}: the MMIO guard, if this hypervisor has one (default: none). */
    default Optional<MmioGuardedHypervisor> asMmioGuard() {
        return Optional.empty();
    }

    /** {@code as_mem_sharer()}: dynamic memory sharing, if this hypervisor has it (default: none). */
    default Optional<MemSharingHypervisor> asMemSharer() {
        return Optional.empty();
    }
}
