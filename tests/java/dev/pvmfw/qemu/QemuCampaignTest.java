package dev.pvmfw.qemu;

import dev.pvmfw.mmu.CpuFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The QEMU campaign (docs/qemu-oracle.md): the model's answers for {@code AT S1E1R}/{@code AT S1E1W} and for real
 * loads and stores at EL1 against QEMU's, on images made by the project's tools, for {@code -cpu max} and
 * {@code -cpu cortex-a57}. The default run compares at least 50,000 addresses; more with
 * {@code -Dpvmfw.qemu.images=N} (images per core; 160 by default) and another {@code -Dpvmfw.qemu.seed=S}.
 */
class QemuCampaignTest {
    static final int PER_IMAGE = 160;

    @Test
    void theModelAgreesWithQemuOnEveryAddressOfTheCampaign() throws Exception {
        assumeFalse(Boolean.getBoolean("pvmfw.test.modulePath"),
                "the QEMU campaign checks the model, not the packaging: it runs once, in the class-path run");
        Path elf = QemuTools.program();
        int images = Integer.getInteger("pvmfw.qemu.images", 160);
        long seed = Long.getLong("pvmfw.qemu.seed", 0x5eedL);
        long t0 = System.nanoTime();
        List<Campaign.Image> all = new ArrayList<>();
        Files.createDirectories(QemuTools.WORK);
        all.add(Campaign.demo(QemuTools.WORK)); // the demo's own table, under pvmfw's configuration
        all.addAll(Campaign.images(seed, images));
        int addresses = 0;
        List<String> summaries = new ArrayList<>();
        List<Comparison> comparisons = new ArrayList<>();
        for (String cpu : List.of("max", "cortex-a57")) {
            CpuFeatures features = cpu.equals("max") ? CpuFeatures.QEMU_MAX : CpuFeatures.CORTEX_A57;
            List<OracleCase> cases = Campaign.cases(all, features, seed ^ cpu.hashCode(), PER_IMAGE);
            Comparison c = null;
            long qemuMillis = 0;
            for (List<OracleCase> boot : boots(cases)) {
                List<OracleJob> jobs = new ArrayList<>(QemuQuirks.jobs());
                boot.forEach(k -> jobs.add(k.job()));
                OracleRun run = OracleRun.run(elf, cpu, jobs);
                qemuMillis += run.millis();
                assertEquals(features, CpuFeatures.fromIdRegisters(run.mmfr0(), run.mmfr1(), run.mmfr2()),
                        "the features the model assumes for -cpu " + cpu + " are the ones QEMU's ID registers give");
                QemuQuirks quirks = QemuQuirks.of(run.at().get(0), run.at().get(1));
                if (c == null) {
                    c = new Comparison(quirks);
                }
                for (int i = 0; i < boot.size(); i++) {
                    c.compare(boot.get(i), run.at().get(i + 2), run.real().get(i + 2), run);
                }
            }
            addresses += c.addresses;
            summaries.add("-cpu " + cpu + ": " + c.summary() + "; QEMU " + qemuMillis + " ms");
            comparisons.add(c);
        }
        System.err.println("pvmfw-paging: QEMU campaign, " + all.size() + " images, "
                + (System.nanoTime() - t0) / 1_000_000 + " ms:\n  " + String.join("\n  ", summaries));
        if (images >= 160) {
            assertTrue(addresses >= 50_000, "the campaign compares at least 50,000 addresses: " + addresses);
        }
        for (Comparison c : comparisons) {
            c.assertNone();
        }
    }

    /** Cases split into boots whose batch fits the program's 256 MiB and whose results fit its 240 MiB. */
    static List<List<OracleCase>> boots(List<OracleCase> cases) {
        List<List<OracleCase>> out = new ArrayList<>();
        List<OracleCase> cur = new ArrayList<>();
        long batch = 0;
        long results = 0;
        for (OracleCase k : cases) {
            long b = k.job().image().length + 16L * k.addresses().size() + 4096;
            long r = 96L * k.addresses().size();
            if (!cur.isEmpty() && (batch + b > 200L << 20 || results + r > 200L << 20)) {
                out.add(cur);
                cur = new ArrayList<>();
                batch = 0;
                results = 0;
            }
            cur.add(k);
            batch += b;
            results += r;
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }
}
