package dev.pvmfw.hyp;

/**
 * The MMIO guard granules a {@link RecordingHypervisor} can be told to report (MMIO_GUARD_INFO) and to align MAP and
 * UNMAP to: the ones pKVM uses (4 KiB, 16 KiB), one a 2024-05 pvmfw accepts although no pKVM reports it (8 KiB), and
 * bad ones. What each era makes of them ({@code docs/pvmfw-2024-05.md}, "MmioSharer"): 2023-05 and 2023-11 accept
 * exactly 4 KiB (libhyp's {@code UnsupportedMmioGuardGranule} otherwise); 2024-05 accepts any multiple of 4 KiB and
 * then asserts a power of two, so 6 KiB fails the first check, 12 KiB and 0 the assertion.
 */
public enum GuardGranule {
    /** 4 KiB, pKVM with 4 KiB pages. */
    KIB_4(4096),
    /** 8 KiB: a multiple of 4 KiB and a power of two. */
    KIB_8(8192),
    /** 16 KiB, pKVM with 16 KiB pages. */
    KIB_16(16384),
    /** 6 KiB: not a multiple of 4 KiB. */
    KIB_6(6144),
    /** 12 KiB: a multiple of 4 KiB, not a power of two. */
    KIB_12(12288),
    /** 0: a multiple of 4 KiB ({@code 0 % 4096 == 0}), not a power of two. */
    ZERO(0);

    private final long bytes;

    GuardGranule(long bytes) {
        this.bytes = bytes;
    }

    /** The granule in bytes. */
    public long bytes() {
        return bytes;
    }
}
