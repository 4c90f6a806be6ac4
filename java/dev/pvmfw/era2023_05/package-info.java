/**
 * pvmfw at the seed change, AOSP {@code b99905d3} "pvmfw: Optimize MMIO guard map" (May 2023;
 * {@code docs/pvmfw-2023-05.md}): the {@link dev.pvmfw.era2023_05.MemoryTracker} with lazy MMIO mapping, its fault
 * handler and teardown, its errors ({@link dev.pvmfw.era2023_05.MemoryTrackerError}), the page-table callbacks
 * ({@link dev.pvmfw.era2023_05.PteCallbacks}), memory sharing, the libhyp of the time
 * ({@link dev.pvmfw.era2023_05.Hypervisor}, {@link dev.pvmfw.era2023_05.KvmHypervisor},
 * {@link dev.pvmfw.era2023_05.HypError}) and the boot and exit around {@code main}
 * ({@link dev.pvmfw.era2023_05.MainWrapper}). Written against the port {@link dev.pvmfw.paging.port.MmuOps}, so it
 * runs on any crate version.
 *
 * <p>Arithmetic on addresses wraps, as in a release build of the Rust (how the oracle is built), and compares
 * unsigned, as {@code usize} does.
 */
package dev.pvmfw.era2023_05;
