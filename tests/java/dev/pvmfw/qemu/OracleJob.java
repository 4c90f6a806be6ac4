package dev.pvmfw.qemu;

import java.util.List;
import java.util.Objects;

/**
 * One job of a batch for the QEMU program ({@code tests/qemu/mmu-oracle.S}, whose header comment gives the layout):
 * an image copied to {@code imagePa}, the EL1&amp;0 registers for the {@code AT} phase, the addresses, and, if
 * {@code real}, the registers and windows of the EL1 phase of real loads and stores.
 *
 * @param image the tables (a multiple of 4096 bytes), copied to {@code imagePa} before each phase and zeroed after
 * @param readWindows PA ranges [start, end) a real load may touch when {@code AT S1E1R} translates to them
 * @param writeWindows the same for a real store and {@code AT S1E1W}
 */
record OracleJob(byte[] image, long imagePa, List<Long> addresses, long tcr, long ttbr0, long ttbr1, long mair,
        long sctlr, boolean real, long realTcr, long realTtbr0, List<long[]> readWindows, List<long[]> writeWindows) {

    /** SCTLR_EL1: the RES1 bits, M, C, I. */
    static final long SCTLR_MMU_ON = 0x30D0_0800L | 1 | 1 << 2 | 1 << 12;
    /** EL1 sees the harness at PA + this (TTBR1 with T1SZ 25, the harness table's entry 1: RAM). */
    static final long HARNESS_OFFSET = -(1L << 39);
    /** Where the program finds the batch (QEMU's loader puts it there). */
    static final long BATCH_PA = 0x6000_0000L;

    OracleJob {
        Objects.requireNonNull(image);
        if (image.length % 4096 != 0 || image.length == 0) {
            throw new IllegalArgumentException("image of " + image.length + " bytes");
        }
        if (imagePa < 0x4000_0000L || imagePa + image.length > BATCH_PA) {
            throw new IllegalArgumentException("image at 0x" + Long.toHexString(imagePa)
                    + " is outside the RAM the program leaves to images, [0x4000_0000, 0x6000_0000)");
        }
        addresses = List.copyOf(addresses);
        readWindows = List.copyOf(readWindows);
        writeWindows = List.copyOf(writeWindows);
    }

    /**
     * TCR_EL1 for the 4 KiB granule, write-back inner-shareable walks: T0SZ/T1SZ, EPD0/EPD1, IPS, HA, HD.
     *
     * @param ips the IPS encoding (5: 48 bits)
     */
    static long tcr(int t0sz, boolean epd0, int t1sz, boolean epd1, int ips, boolean ha, boolean hd) {
        long v = t0sz | (epd0 ? 1L << 7 : 0) | 1L << 8 | 1L << 10 | 3L << 12;
        v |= (long) t1sz << 16 | (epd1 ? 1L << 23 : 0) | 1L << 24 | 1L << 26 | 3L << 28 | 2L << 30;
        v |= (long) ips << 32 | (ha ? 1L << 39 : 0) | (hd ? 1L << 40 : 0);
        return v;
    }
}
