package dev.pvmfw.era;

import dev.pvmfw.paging.port.MmuOps;
import java.util.List;

/** A pvmfw of some era after its boot ({@link PvmfwBoot}): what the command line shows and drives. */
public interface BootedPvmfw {

    /** The global {@code MEMORY} holding the era's tracker, for the exception handler. */
    MemoryMutex<? extends LazyMmioTracker> memory();

    /** pvmfw's page table, owned by the tracker (the exit drops it). */
    MmuOps pageTable();

    /** The tracked RAM regions, each as {@code start..end read-only} or {@code start..end read-write}. */
    List<String> ramRegions();

    /** The tracked MMIO regions, in the order added. */
    List<MemoryRange> mmioRegions();

    /** Whether MMIO regions were mapped lazily (2023-07 on: only with an MMIO guard; before: always). */
    boolean lazyMmio();

    /**
     * pvmfw's exit sequence after {@code main}: the era's MMIO teardown, memory unsharing, the UART's UNMAP, and the
     * tracker dropped.
     *
     * @throws Exception the era's {@code MemoryTrackerException} (e.g. FailedToUnmap in 2023) or
     *     {@code HypException} (the UART's UNMAP); nothing after the failing step runs
     * @throws InvariantViolation where the era's pvmfw panics (e.g. a refused UNMAP in 2024-05)
     */
    void exit() throws Exception;
}
