/**
 * pvmfw's lazy MMIO path in the 2023-11 era ({@code docs/pvmfw-2023-11.md}): vmbase's
 * {@link dev.pvmfw.era2023_11.MemoryTracker} as at AOSP {@code 28e439f4}, the end of the aarch64-paging 0.5.0 series
 * ({@code 5815c8b4} … {@code b4310bc9}, merged 2023-11-09), with the 2023-06/07 vmbase changes before it: the MMIO
 * window check, lazy mapping only with an MMIO guard, {@code check_allocatable} / {@code check_no_overlap}, vmbase's
 * overlap rule, and a fault handler that sets VALID in place with one {@code modify_range} before the MMIO_GUARD_MAP.
 * Also that era's libhyp ({@link dev.pvmfw.era2023_11.Hypervisor} split by capability, pKVM and regular KVM,
 * detection) and the boot and exit. Written against the port, with 0.5's walks from
 * {@link dev.pvmfw.era.LeafWalks}, so it runs on any crate version.
 *
 * <p>Arithmetic on addresses wraps and compares unsigned, as {@code usize} in a release build.
 */
package dev.pvmfw.era2023_11;
