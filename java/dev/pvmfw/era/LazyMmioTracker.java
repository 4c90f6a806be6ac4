package dev.pvmfw.era;

/**
 * What pvmfw's exception path asks of the memory tracker in every era: {@code handle_mmio_fault(addr)} for a
 * translation fault on a lazily mapped MMIO page. How it does it (check, then MMIO_GUARD_MAP, then map; or MAP first;
 * one page or a whole granule) is the era's.
 */
public interface LazyMmioTracker {

    /**
     * Handles a translation fault at {@code addr} (the FAR, as is).
     *
     * @throws TrackerException the era's error (InvalidPte, Hypervisor, …)
     * @throws InvariantViolation where pvmfw panics
     */
    void handleMmioFault(long addr) throws TrackerException;
}
