/**
 * What every pvmfw era shares: the global memory lock ({@link dev.pvmfw.era.MemoryMutex}), pvmfw's panics
 * ({@link dev.pvmfw.era.InvariantViolation}), {@code Range<usize>} ({@link dev.pvmfw.era.MemoryRange}), the crosvm
 * platform ({@link dev.pvmfw.era.CrosvmLayout}), the simulated heap, and the era-neutral face of a memory tracker
 * ({@link dev.pvmfw.era.LazyMmioTracker}, {@link dev.pvmfw.era.TrackerError},
 * {@link dev.pvmfw.era.TrackerException}). Each era is a package of its own ({@code dev.pvmfw.era2023_05}).
 */
package dev.pvmfw.era;
