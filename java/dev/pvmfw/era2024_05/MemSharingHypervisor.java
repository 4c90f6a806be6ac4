package dev.pvmfw.era2024_05;

/**
 * libhyp's {@code MemSharingHypervisor} at {@code c08e63cb:vmbase/src/hyp/hypervisor/common.rs}. This era's tracker
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
