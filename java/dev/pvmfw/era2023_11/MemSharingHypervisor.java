package dev.pvmfw.era2023_11;

/**
 * libhyp's {@code MemSharingHypervisor} at {@code 28e439f4:libs/hyp/src/hypervisor/common.rs}. This era's tracker
 * does not share memory here (memory sharing is not reproduced for it), so only the calls are given.
 */
public interface MemSharingHypervisor {

    /** {@code share(base_ipa)}: MEM_SHARE. */
    void share(long baseIpa) throws HypException;

    /** {@code unshare(base_ipa)}: MEM_UNSHARE. */
    void unshare(long baseIpa) throws HypException;

    /** {@code granule()}: HYP_MEMINFO, the memory-protection granule in bytes. */
    long granule() throws HypException;
}
