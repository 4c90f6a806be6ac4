/**
 * pvmfw's memory layer at the lazy-MMIO change (AOSP {@code b99905d3}, May 2023, on aarch64-paging 0.4.0): the
 * page-table wrapper of {@code mmu.rs} ({@link dev.pvmfw.memory.PageTable}), the {@code MemoryTracker} of
 * {@code memory.rs} with its lazy MMIO mapping, fault handler, teardown and shared-memory pool
 * ({@link dev.pvmfw.memory.MemoryTracker}), the seed's page-table callbacks ({@link dev.pvmfw.memory.PteCallbacks}),
 * the errors with their exact {@code Display} text ({@link dev.pvmfw.memory.MemoryTrackerError}), pvmfw's panics
 * ({@link dev.pvmfw.memory.InvariantViolation}), the global tracker lock ({@link dev.pvmfw.memory.MemoryMutex}) and
 * the crosvm layout fixture ({@link dev.pvmfw.memory.CrosvmLayout}).
 *
 * <p>Arithmetic on addresses wraps, as in a release build of the Rust (which is how the oracle is built), and compares
 * unsigned, as {@code usize} does.
 */
package dev.pvmfw.era2023_05;
