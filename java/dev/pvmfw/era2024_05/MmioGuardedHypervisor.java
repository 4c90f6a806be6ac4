package dev.pvmfw.era2024_05;

/**
 * libhyp's {@code MmioGuardedHypervisor} at {@code c08e63cb:vmbase/src/hyp/hypervisor/common.rs}: the MMIO guard
 * calls, each failing with a {@link HypException}. The granule check ({@code validate_granule}) has moved to the
 * tracker's {@link MmioSharer} ({@code 32d96796}).
 */
public interface MmioGuardedHypervisor {

    /** {@code enroll()}: MMIO_GUARD_ENROLL (NOT_SUPPORTED → MmioGuardNotSupported). */
    void enroll() throws HypException;

    /** {@code map(addr)}: MMIO_GUARD_MAP of the 4 KiB page holding {@code addr} ({@code page_4kb_of}). */
    void map(long addr) throws HypException;

    /** {@code unmap(addr)}: MMIO_GUARD_UNMAP of the 4 KiB page holding {@code addr} ({@code page_4kb_of}). */
    void unmap(long addr) throws HypException;

    /** {@code granule()}: MMIO_GUARD_INFO, the granule in bytes. */
    long granule() throws HypException;
}
