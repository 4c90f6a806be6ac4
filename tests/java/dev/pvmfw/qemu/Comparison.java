package dev.pvmfw.qemu;

import dev.pvmfw.cpu.Access;
import dev.pvmfw.cpu.Cpu;
import dev.pvmfw.cpu.DataAbort;
import dev.pvmfw.mmu.AccessKind;
import dev.pvmfw.mmu.Syndrome;
import dev.pvmfw.mmu.UnmodelledMemoryException;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.mmu.Walker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The model's answers against QEMU's for the cases of one run: for {@code AT S1E1R} and {@code AT S1E1W}, fault or
 * not, the fault status code (PAR_EL1.FST, the DFSC encoding) or the output address, memory attribute (PAR.ATTR,
 * the MAIR byte) and shareability (PAR.SH); for an {@code AT} that takes an exception (QEMU 7.2, a walk into
 * unassigned memory), the ESR; for each real LDR and STR, whether it aborts, and ESR_EL1 (every field) and FAR_EL1.
 * A difference that a detected QEMU bug explains ({@link QemuQuirks}) is counted apart, by name; anything else is a
 * disagreement.
 */
final class Comparison {
    /** One difference. */
    record Disagreement(String caseName, long va, String what, String qemu, String model) {
        @Override
        public String toString() {
            return caseName + " VA 0x" + Long.toHexString(va) + " " + what + ": QEMU " + qemu + ", model " + model;
        }
    }

    private final QemuQuirks quirks;
    final List<Disagreement> disagreements = new ArrayList<>();
    final Map<String, Integer> explained = new TreeMap<>();
    final Map<String, Integer> notCompared = new TreeMap<>();
    final Map<String, Integer> outcomes = new TreeMap<>();
    int addresses;
    int atCompared;
    int realCompared;
    int realFaults;

    Comparison(QemuQuirks quirks) {
        this.quirks = quirks;
    }

    void compare(OracleCase c, long[] at, long[] real, OracleRun run) {
        List<Long> addrs = c.addresses();
        for (int i = 0; i < addrs.size(); i++) {
            long va = addrs.get(i);
            addresses++;
            compareAt(c, va, false, at[4 * i], at[4 * i + 2]);
            compareAt(c, va, true, at[4 * i + 1], at[4 * i + 3]);
            if (real.length > 0) {
                int g = (int) real[8 * i + 7];
                if ((g & 1) != 0) {
                    compareReal(c, va, false, real[8 * i], real[8 * i + 1], real[8 * i + 2], run.ldrPa());
                } else {
                    count(notCompared, "real load not performed (AT gives a PA outside the windows)");
                }
                if ((g & 2) != 0) {
                    compareReal(c, va, true, real[8 * i + 4], real[8 * i + 5], real[8 * i + 6], run.strPa());
                } else {
                    count(notCompared, "real store not performed (AT gives a PA outside the windows)");
                }
            }
        }
    }

    /** The model's answer for an access, or empty where it cannot say (a walk through unmodelled memory). */
    private Optional<WalkResult> model(OracleCase c, long va, AccessKind kind) {
        try {
            return Optional.of(Walker.access(c.memory(), c.config(), c.rootPa(), va, kind));
        } catch (UnmodelledMemoryException e) {
            count(notCompared, "walk reads a table in memory the model does not know (" + e.region().name() + ")");
            return Optional.empty();
        }
    }

    private void compareAt(OracleCase c, long va, boolean write, long par, long exception) {
        String what = write ? "AT S1E1W" : "AT S1E1R";
        Optional<WalkResult> m = model(c, va, AccessKind.data(write));
        if (m.isEmpty()) {
            return;
        }
        WalkResult r = m.get();
        if (r instanceof WalkResult.Faulted f && f.kind() == WalkResult.FaultKind.EXTERNAL_ABORT) {
            r = Walker.walk(c.memory(), c.config(), c.rootPa(), va); // AT translates; only an access would abort
        }
        atCompared++;
        String qemu;
        String model;
        if (OracleRun.taken(exception)) {
            qemu = String.format("exception ESR 0x%x", exception & 0xffff_ffffL);
        } else if ((par & 1) != 0) {
            qemu = String.format("fault FST 0x%02x", (par >>> 1) & 0x3f);
        } else {
            qemu = String.format("PA 0x%x ATTR 0x%02x SH %d", par & 0x0000_ffff_ffff_f000L, par >>> 56,
                    (par >>> 7) & 3);
        }
        if (r instanceof WalkResult.Faulted f) {
            count(outcomes, "AT " + f.kind().name().toLowerCase() + " fault");
            // An external abort on the walk of an AT: reported in PAR or taken as a Data Abort, IMPLEMENTATION
            // DEFINED (QEMU 7.2 takes it); either is compared exactly.
            model = f.kind() == WalkResult.FaultKind.EXTERNAL_ABORT_ON_WALK && OracleRun.taken(exception)
                    ? String.format("exception ESR 0x%x", Syndrome.ofAddressTranslation(f))
                    : String.format("fault FST 0x%02x", Syndrome.faultStatusCode(f));
        } else {
            count(outcomes, "AT translated");
            WalkResult.Leaf leaf = r.leafIfTranslated().orElseThrow();
            int attr = c.config().attribute(leaf.attrIndx());
            int descriptorSh = (int) (leaf.descriptor() >>> 8) & 3;
            boolean device = (attr & 0xf0) == 0;
            boolean nonCacheable = attr == 0x44;
            int sh = device || nonCacheable ? 0b10 : descriptorSh;
            if (!(device || nonCacheable) && descriptorSh == 0b01) {
                count(notCompared, "PAR.SH of a Normal leaf with the reserved SH 0b01");
                sh = (int) (par >>> 7) & 3;
            }
            if ((device || nonCacheable) && quirks.deviceShFromDescriptor() && descriptorSh != 0b10) {
                String q = String.format("PA 0x%x ATTR 0x%02x SH %d", leaf.pa() & ~0xfffL, attr, descriptorSh);
                if (q.equals(qemu)) {
                    count(explained, QemuQuirks.DEVICE_SH);
                    return;
                }
            }
            model = String.format("PA 0x%x ATTR 0x%02x SH %d", leaf.pa() & ~0xfffL, attr, sh);
        }
        if (!qemu.equals(model)) {
            if (level0Block(r)) {
                count(explained, QemuQuirks.LEVEL0_BLOCK);
                return;
            }
            disagreements.add(new Disagreement(c.name(), va, what, qemu, model));
        }
    }

    /** A walk the model faults at a level-0 block descriptor, which QEMU 7.2 accepts if the probe found it so. */
    private boolean level0Block(WalkResult r) {
        return quirks.level0BlockAccepted() && r instanceof WalkResult.Faulted f
                && f.kind() == WalkResult.FaultKind.TRANSLATION && f.level() == 0 && !f.steps().isEmpty()
                && f.steps().getLast().level() == 0 && (f.steps().getLast().descriptor() & 0b11) == 0b01;
    }

    private void compareReal(OracleCase c, long va, boolean write, long esr, long far, long elr, long insnPa) {
        String what = write ? "STR" : "LDR";
        Optional<DataAbort> m;
        try {
            m = Cpu.dataAbortFor(c.memory(), c.config(), c.rootPa(), va, write ? Access.WRITE : Access.READ,
                    ipa -> true);
        } catch (UnmodelledMemoryException e) {
            count(notCompared, "walk reads a table in memory the model does not know (" + e.region().name() + ")");
            return;
        }
        realCompared++;
        String qemu = OracleRun.taken(esr)
                ? String.format("abort%s ESR 0x%x (%s) FAR 0x%x", (esr & 1L << 62) != 0 ? " to EL2" : "",
                        esr & 0xffff_ffffL,
                        Syndrome.Fields.of(esr & 0xffff_ffffL), far)
                : "completes";
        String model = m.map(d -> String.format("abort ESR 0x%x (%s) FAR 0x%x", d.esr(), d.fields(), d.far()))
                .orElse("completes");
        if (m.isPresent()) {
            realFaults++;
            count(outcomes, String.format("%s ESR 0x%x", what, m.get().esr()));
        }
        if (OracleRun.taken(esr) && elr != insnPa + OracleJob.HARNESS_OFFSET) {
            disagreements.add(new Disagreement(c.name(), va, what + " ELR", Long.toHexString(elr),
                    Long.toHexString(insnPa + OracleJob.HARNESS_OFFSET)));
        }
        if (!qemu.equals(model)) {
            if (level0Block(Walker.walk(c.memory(), c.config(), c.rootPa(), va))) {
                count(explained, QemuQuirks.LEVEL0_BLOCK);
                return;
            }
            disagreements.add(new Disagreement(c.name(), va, what, qemu, model));
        }
    }

    private static void count(Map<String, Integer> m, String key) {
        m.merge(key, 1, Integer::sum);
    }

    /** Summary for the log. */
    String summary() {
        return addresses + " addresses, " + atCompared + " AT answers and " + realCompared
                + " real accesses compared (" + realFaults + " aborting), " + disagreements.size()
                + " disagreements; explained by QEMU bugs " + explained + "; not compared " + notCompared
                + "; the model's answers " + outcomes;
    }

    /** Asserts no disagreement, listing the first ones. */
    void assertNone() {
        if (!disagreements.isEmpty()) {
            StringBuilder sb = new StringBuilder(summary()).append('\n');
            disagreements.stream().limit(30).forEach(d -> sb.append("  ").append(d).append('\n'));
            throw new AssertionError(sb.toString());
        }
    }
}
