package dev.pvmfw.era;

import dev.pvmfw.paging.port.MmuOps;

/**
 * A memory tracker of some era as the oracle's scenario language drives it ({@code docs/scenarios.md}): its page
 * table, {@code map_mmio_range}, the fault handler, the era's MMIO teardown, and the drop.
 */
public interface ScenarioTracker extends LazyMmioTracker, AutoCloseable {

    /** pvmfw's page table, which the tracker owns. */
    MmuOps pageTable();

    /**
     * {@code map_mmio_range(start..end)}.
     *
     * @throws TrackerException the era's error (OutOfRange, Overlaps, Full, FailedToMap)
     */
    void mapMmioRange(long start, long end) throws TrackerException;

    /**
     * The era's MMIO teardown: {@code mmio_unmap_all} (2023-05, 2023-11) or {@code unshare_all_mmio} (2024-05).
     *
     * @throws TrackerException the era's error (FailedToUnmap in 2023)
     * @throws InvariantViolation where the era panics (a refused UNMAP in 2024-05)
     */
    void mmioTeardown() throws TrackerException;

    /** Drop: the era's drop order (the page table freed, and in 2024-05 then the MMIO sharer). */
    @Override
    void close();
}
