package dev.pvmfw.era2023_11;

/**
 * libhyp's {@code MmioGuardedHypervisor} at {@code 28e439f4:libs/hyp/src/hypervisor/common.rs}: the MMIO guard calls,
 * each failing with a {@link HypException}.
 */
public interface MmioGuardedHypervisor {

    /** libhyp's {@code MMIO_GUARD_GRANULE_SIZE}, 4 KiB ({@code 92154768}). */
    long MMIO_GUARD_GRANULE_SIZE = 4096;

    /** {@code enroll()}: MMIO_GUARD_ENROLL (NOT_SUPPORTED → MmioGuardNotSupported). */
    void enroll() throws HypException;

    /** {@code map(addr)}: MMIO_GUARD_MAP of the page holding {@code addr}. */
    void map(long addr) throws HypException;

    /** {@code unmap(addr)}: MMIO_GUARD_UNMAP of the page holding {@code addr}. */
    void unmap(long addr) throws HypException;

    /** {@code granule()}: MMIO_GUARD_INFO, the granule in bytes. */
    long granule() throws HypException;

    /**
     * {@code validate_granule()} (default method): the granule must be {@link #MMIO_GUARD_GRANULE_SIZE}.
     *
     * @throws HypException INFO's error, or UnsupportedMmioGuardGranule(g)
     */
    default void validateGranule() throws HypException {
        long granule = granule();
        if (granule != MMIO_GUARD_GRANULE_SIZE) {
            throw new HypException(new HypError.UnsupportedMmioGuardGranule(granule));
        }
    }
}
