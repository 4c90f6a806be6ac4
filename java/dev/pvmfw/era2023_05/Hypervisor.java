package dev.pvmfw.era2023_05;

/**
 * libhyp's {@code Hypervisor} trait (2023-04/05): what pvmfw asks of the hypervisor. Every failure is a
 * {@link HypException} carrying a {@link HypError}, as the Rust methods return {@code hyp::Result}.
 */
public interface Hypervisor {

    /** Enrolls in the MMIO guard and checks its granule is 4 KiB ({@code mmio_guard_init}). */
    void mmioGuardInit() throws HypException;

    /** MMIO_GUARD_MAP of the 4 KiB page holding {@code addr} ({@code mmio_guard_map}). */
    void mmioGuardMap(long addr) throws HypException;

    /** MMIO_GUARD_UNMAP of the 4 KiB page holding {@code addr} ({@code mmio_guard_unmap}). */
    void mmioGuardUnmap(long addr) throws HypException;

    /** MEM_SHARE of the granule at {@code baseIpa} ({@code mem_share}). */
    void memShare(long baseIpa) throws HypException;

    /** MEM_UNSHARE of the granule at {@code baseIpa} ({@code mem_unshare}). */
    void memUnshare(long baseIpa) throws HypException;

    /** HYP_MEMINFO: the memory-protection granule in bytes ({@code memory_protection_granule}). */
    long memoryProtectionGranule() throws HypException;
}
