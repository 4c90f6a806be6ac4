package dev.pvmfw.qemu;

import dev.pvmfw.mmu.CpuFeatures;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.SlotMemory;
import dev.pvmfw.paging.VaRange;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Hand-made images, one per class of difference issue 12 found, run in QEMU: each answer is checked against the
 * value the Arm ARM gives (written out here: PAR_EL1.FST and ESR_ELx encodings, DDI 0487, D19.2), and the model
 * against QEMU; plus the probes of QEMU's own bugs ({@link QemuQuirks}), whose outcome is reported.
 */
class QemuProbesTest {
    static final long PA = Campaign.IMAGE_PA;
    static final long AF = 1L << 10;
    static final long NORMAL = 1L << 2;
    static final long TABLE = 0b11;
    static final long PAGE = 0b11;

    /** Root L1 (slot 0), L2 (slot 1), L3 (slot 2); see {@link #expected}. */
    static byte[] image() {
        ByteBuffer b = ByteBuffer.allocate(3 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, (PA + 0x1000) | TABLE);                       // VA 0: L2
        b.putLong(8, (PA + 0x1000) | TABLE | 1L << 62);            // VA 1 GiB: the same L2 under APTable[1]
        b.putLong(16, 0x7_0000_0000L | TABLE);                     // VA 2 GiB: a table in unassigned memory
        b.putLong(4096, (PA + 0x2000) | TABLE);                    // L2[0]: L3
        b.putLong(8192 + 8, 0x4010_0000L | AF | NORMAL | PAGE);     // VA 0x1000: a page of RAM
        b.putLong(8192 + 16, 0x4010_1000L | NORMAL | PAGE);         // 0x2000: AF clear
        b.putLong(8192 + 24, 0x8000_0000L | AF | NORMAL | PAGE);    // 0x3000: nothing behind the PA
        b.putLong(8192 + 32, 0x4010_2000L | AF | NORMAL | PAGE | 1L << 7 | 1L << 51); // 0x4000: read-only, DBM
        b.putLong(8192 + 40, (1L << 44) | AF | NORMAL | PAGE);      // 0x5000: PA 2^44
        return b.array();
    }

    static final List<Long> VAS = List.of(0x1000L, 0x2000L, 0x3000L, 0x4000L, 0x5000L, 0x4000_1000L, 0x8000_0000L,
            0xC000_0000L, 1L << 39);

    /**
     * What the Arm ARM gives for each VA, with HA = HD = 0: AT S1E1R, AT S1E1W (PA, "F" + FST, or "X" + the ESR of
     * the exception QEMU takes), then the ESR of a real LDR and STR ("ok" where it completes).
     */
    static List<String[]> expected(boolean a57) {
        List<String[]> e = new ArrayList<>();
        e.add(new String[] {"0x40100000", "0x40100000", "ok", "ok"});
        e.add(new String[] {"F0x0b", "F0x0b", "0x9600000b", "0x9600004b"}); // Access flag, level 3
        e.add(new String[] {"0x80000000", "0x80000000", "0x96000010", "0x96000050"}); // external abort on the access
        e.add(new String[] {"0x40102000", "F0x0f", "ok", "0x9600004f"}); // permission, level 3 (DBM without HD)
        e.add(a57 ? new String[] {"F0x03", "F0x03", "0x96000003", "0x96000043"} // address size, level 3 (44 bits)
                : new String[] {"0x100000000000", "0x100000000000", "0x96000010", "0x96000050"});
        e.add(new String[] {"0x40100000", "F0x0f", "ok", "0x9600004f"}); // APTable[1]: permission at the leaf
        // External abort on the walk, level 2: AT takes it as a Data Abort with CM and WnR (QEMU's IMPLEMENTATION
        // DEFINED choice), the LDR and STR as plain ones.
        e.add(new String[] {"X0x96000156", "X0x96000156", "0x96000016", "0x96000056"});
        e.add(new String[] {"F0x05", "F0x05", "0x96000005", "0x96000045"}); // translation, level 1
        e.add(new String[] {"F0x04", "F0x04", "0x96000004", "0x96000044"}); // translation, level 0 (out of range)
        return e;
    }

    static String at(long par, long exception) {
        if (OracleRun.taken(exception)) {
            return String.format("X0x%x", exception & 0xffff_ffffL);
        }
        return (par & 1) != 0 ? String.format("F0x%02x", (par >>> 1) & 0x3f)
                : "0x" + Long.toHexString(par & 0x0000_ffff_ffff_f000L);
    }

    static String real(long esr) {
        return OracleRun.taken(esr) ? String.format("0x%x", esr & 0xffff_ffffL) : "ok";
    }

    static OracleCase handMade(CpuFeatures features, boolean ha, boolean hd) {
        byte[] img = image();
        MmuConfig config = MmuConfig.forTnsz(25, VaRange.LOWER).withHardwareManagement(ha, hd)
                .withFeatures(features).withMemoryMap(Campaign.BOARD);
        OracleJob job = new OracleJob(img, PA, VAS, OracleJob.tcr(25, false, 25, true, 5, ha, hd), PA, 0,
                MmuConfig.PVMFW_MAIR, OracleJob.SCTLR_MMU_ON, true, OracleJob.tcr(25, false, 25, false, 5, ha, hd), PA,
                Campaign.READ_WINDOWS, Campaign.WRITE_WINDOWS);
        return new OracleCase("hand-made HA=" + ha + " HD=" + hd, new SlotMemory(MemorySegment.ofArray(img), PA),
                config, PA, job);
    }

    /** T0SZ 43 (root level 3, a 2 MiB range): entry 1 maps VA 0x1000. Needs FEAT_TTST, which cortex-a57 lacks. */
    static OracleCase smallTable(CpuFeatures features) {
        byte[] img = new byte[4096];
        ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 0x4010_0000L | AF | NORMAL | PAGE);
        MmuConfig config = MmuConfig.forTnsz(43, VaRange.LOWER).withFeatures(features).withMemoryMap(Campaign.BOARD);
        OracleJob job = new OracleJob(img, PA, List.of(0x1000L), OracleJob.tcr(43, false, 25, true, 5, false, false),
                PA, 0, MmuConfig.PVMFW_MAIR, OracleJob.SCTLR_MMU_ON, true,
                OracleJob.tcr(43, false, 25, false, 5, false, false), PA, Campaign.READ_WINDOWS,
                Campaign.WRITE_WINDOWS);
        return new OracleCase("T0SZ=43", new SlotMemory(MemorySegment.ofArray(img), PA), config, PA, job);
    }

    @Test
    void eachClassOfDifferenceGivesTheArchitecturesAnswerInQemuAndInTheModel() throws Exception {
        Path elf = QemuTools.program();
        for (String cpu : List.of("max", "cortex-a57")) {
            boolean a57 = cpu.equals("cortex-a57");
            CpuFeatures features = a57 ? CpuFeatures.CORTEX_A57 : CpuFeatures.QEMU_MAX;
            List<OracleCase> cases = List.of(handMade(features, false, false), handMade(features, true, true),
                    handMade(features, false, true), smallTable(features));
            List<OracleJob> jobs = new ArrayList<>(QemuQuirks.jobs());
            cases.forEach(c -> jobs.add(c.job()));
            OracleRun run = OracleRun.run(elf, cpu, jobs);
            QemuQuirks quirks = QemuQuirks.of(run.at().get(0), run.at().get(1));
            System.err.println("pvmfw-paging: QEMU -cpu " + cpu + " probes: " + quirks);

            List<String[]> want = expected(a57);
            long[] at = run.at().get(2);
            long[] real = run.real().get(2);
            for (int i = 0; i < VAS.size(); i++) {
                String[] got = {at(at[4 * i], at[4 * i + 2]), at(at[4 * i + 1], at[4 * i + 3]), real(real[8 * i]),
                        real(real[8 * i + 4])};
                assertEquals(List.of(want.get(i)), List.of(got), cpu + " VA 0x" + Long.toHexString(VAS.get(i)));
                if (OracleRun.taken(real[8 * i])) {
                    assertEquals(VAS.get(i), real[8 * i + 1], "FAR_EL1 is the VA");
                }
            }
            // HA = HD = 1: the AF-clear page and the DBM page are accessible where the core has FEAT_HAFDBS.
            at = run.at().get(3);
            assertEquals(a57 ? "F0x0b" : "0x40101000", at(at[4], at[6]), cpu + " HA, AF clear");
            assertEquals(a57 ? "F0x0f" : "0x40102000", at(at[13], at[15]), cpu + " HA+HD, DBM write");
            // HD without HA: HD does nothing (TCR_EL1.HD needs HA).
            at = run.at().get(4);
            assertEquals("F0x0f", at(at[13], at[15]), cpu + " HD alone, DBM write");
            // T0SZ 43: allowed with FEAT_TTST; else QEMU's IMPLEMENTATION DEFINED choice, a level-0 fault.
            at = run.at().get(5);
            assertEquals(a57 ? "F0x04" : "0x40100000", at(at[0], at[2]), cpu + " T0SZ 43");

            Comparison c = new Comparison(quirks);
            for (int i = 0; i < cases.size(); i++) {
                c.compare(cases.get(i), run.at().get(i + 2), run.real().get(i + 2), run);
            }
            c.assertNone();
        }
    }
}
