package dev.pvmfw.qemu;

import dev.pvmfw.mmu.MmuConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * QEMU's own bugs that the comparison must not count against the model, each detected by a probe of QEMU's
 * behaviour with a minimal image that triggers only it (not by QEMU's version: distributions backport fixes). The
 * probe jobs run first in every boot; {@link #of} reads their answers.
 *
 * @param level0BlockAccepted QEMU translates through a level-0 block descriptor with the 4 KiB granule, which the
 *     Arm ARM makes a level-0 Translation fault (fixed upstream in 2023-08, as issue 12 reports: "target/arm/ptw:
 *     Check for block descriptors at invalid levels")
 * @param deviceShFromDescriptor QEMU's PAR_EL1.SH for Device and Normal Non-cacheable memory is the descriptor's
 *     SH, where the Arm ARM gives 0b10 (Outer Shareable) for both (issue 12 reports that later QEMU gives 0b10; the
 *     upstream commit is not identified here)
 */
record QemuQuirks(boolean level0BlockAccepted, boolean deviceShFromDescriptor) {
    static final String LEVEL0_BLOCK = "QEMU accepts a level-0 block descriptor (4 KiB granule)";
    static final String DEVICE_SH = "QEMU reports the descriptor's SH in PAR_EL1 for Device and Normal NC memory";

    /** Where the probes' images go (RAM the campaign's images do not use). */
    static final long PROBE_PA = 0x5f00_0000L;
    private static final long AF = 1L << 10;
    private static final long NORMAL = 1L << 2; // AttrIndx 1: Normal write-back in pvmfw's MAIR

    /** The probe jobs: the level-0 block, then the Device SH. */
    static List<OracleJob> jobs() {
        // T0SZ 16, root level 0: entry 0 is a block at PA 0 (flash) — a level-0 block. VA 0x1000.
        byte[] l0 = image(0, 0L | AF | NORMAL | 0b01);
        OracleJob level0 = new OracleJob(l0, PROBE_PA, List.of(0x1000L),
                OracleJob.tcr(16, false, 25, true, 5, false, false), PROBE_PA, 0, MmuConfig.PVMFW_MAIR,
                OracleJob.SCTLR_MMU_ON, false, 0, 0, List.of(), List.of());
        // T0SZ 25, root level 1: entry 1 is a 1 GiB Device (AttrIndx 0) block at RAM with SH 0b01, entry 2 the same
        // Normal Non-cacheable (AttrIndx 2, MAIR 0x44). VA 0x4000_1000 and 0x8000_1000.
        byte[] dev = image(1, 0x4000_0000L | AF | 1L << 8 | 0b01);
        ByteBuffer.wrap(dev).order(ByteOrder.LITTLE_ENDIAN).putLong(16, 0x4000_0000L | AF | 2L << 2 | 1L << 8 | 0b01);
        OracleJob device = new OracleJob(dev, PROBE_PA, List.of(0x4000_1000L, 0x8000_1000L),
                OracleJob.tcr(25, false, 25, true, 5, false, false), PROBE_PA, 0, 0x44_ff04L,
                OracleJob.SCTLR_MMU_ON, false, 0, 0, List.of(), List.of());
        return List.of(level0, device);
    }

    /**
     * The quirks the probe jobs' AT records show.
     *
     * @throws AssertionError if a probe gives neither the architecture's answer nor the known bug's
     */
    static QemuQuirks of(long[] level0At, long[] deviceAt) {
        long par = level0At[0];
        boolean l0;
        if ((par & 1) == 1 && ((par >>> 1) & 0x3f) == 0x04) {
            l0 = false; // Translation fault, level 0: the architecture
        } else if ((par & 1) == 0 && (par & 0x0000_ffff_ffff_f000L) == 0x1000) {
            l0 = true;
        } else {
            throw new AssertionError("level-0 block probe: PAR 0x" + Long.toHexString(par));
        }
        int dev = shareability(deviceAt[0], 0x04);
        int nc = shareability(deviceAt[4], 0x44);
        if (dev != nc) {
            throw new AssertionError("SH probe: Device " + dev + ", Normal NC " + nc + ": not one behaviour");
        }
        return new QemuQuirks(l0, dev == 0b01);
    }

    private static int shareability(long par, int attr) {
        if ((par & 1) != 0 || (par >>> 56) != attr) {
            throw new AssertionError("SH probe: PAR 0x" + Long.toHexString(par));
        }
        int sh = (int) (par >>> 7) & 3;
        if (sh != 0b10 && sh != 0b01) {
            throw new AssertionError("SH probe: SH " + sh);
        }
        return sh;
    }

    private static byte[] image(int index, long descriptor) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(8 * index, descriptor);
        return b.array();
    }
}
