package dev.pvmfw.tool;

import dev.pvmfw.catalog.Era;
import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.image.AttributeText;
import dev.pvmfw.image.UpgradeJson;
import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.port.CrateProfile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "upgrade", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"What changes if pvmfw upgrades: one scenario on two crate versions and/or two eras.", "",
            "Runs the scenario as A (--from-era on --from) and as B (--to-era on --to) and reports, step by step, "
                + "what changed: the outcome, the tables allocated and freed, the descriptors each run changed (old "
                + "and new, decoded), the hypervisor calls. It flags what the hardware would reject or pvmfw's "
                + "invariants forbid: a valid level-3 entry with low bits 0b01, a valid device leaf whose output "
                + "address is not its identity address, a valid device page with no MMIO guard map, a guard map left "
                + "after teardown (and a faulted page that does not translate to its identity PA as Device memory). "
                + "Scenarios: seed (the seed's own: a lazy 2 MiB block at 0x9000000 faulted at 0x9001000) and demo "
                + "(the demo's boot, guest accesses and exit).", "",
            "With --json: the same as one document (docs/json.md, \"upgrade\").", "",
            "Exit status: 0 if B breaks no rule, 1 if it does."})
final class UpgradeCommand extends ToolCommand {
    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "seed",
            description = "seed or demo (default: ${DEFAULT-VALUE})")
    String scenario;

    @Option(names = "--from", paramLabel = "VERSION", defaultValue = "0.4.0", converter = Converters.Profile.class,
            completionCandidates = Converters.ProfileIds.class,
            description = "crate version of A (default: ${DEFAULT-VALUE})")
    CrateProfile from;

    @Option(names = "--to", paramLabel = "VERSION", defaultValue = "0.12.1", converter = Converters.Profile.class,
            completionCandidates = Converters.ProfileIds.class,
            description = "crate version of B (default: ${DEFAULT-VALUE})")
    CrateProfile to;

    @Option(names = "--era", paramLabel = "ERA", defaultValue = "2023-05", converter = Converters.EraId.class,
            description = "era of both runs unless --from-era/--to-era name one (default: ${DEFAULT-VALUE}; "
                    + "2023-11+fix and 2024-05+fix are the corrected flows)")
    Era era;

    @Option(names = "--from-era", paramLabel = "ERA", converter = Converters.EraId.class, description = "era of A")
    Era fromEra;

    @Option(names = "--to-era", paramLabel = "ERA", converter = Converters.EraId.class, description = "era of B")
    Era toEra;

    @Mixin
    JsonOption json = new JsonOption();

    UpgradeCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    int execute() throws UsageException {
        EraRun.Scenario s = switch (scenario) {
            case "seed" -> EraRun.Scenario.SEED;
            case "demo" -> EraRun.Scenario.DEMO;
            default -> throw new UsageException("--scenario: '" + dev.pvmfw.paging.NumberText.echo(scenario)
                    + "' is not a scenario: seed, demo");
        };
        EraRun a = EraRun.run(fromEra != null ? fromEra : era, from, s);
        EraRun b = EraRun.run(toEra != null ? toEra : era, to, s);
        if (json.json) {
            writeJson(a, b);
        } else {
            out.print(report(a, b));
        }
        return b.firstBroken().isEmpty() ? Main.OK : Main.FINDINGS;
    }

    /** The report of A → B. */
    static String report(EraRun a, EraRun b) {
        StringBuilder out = new StringBuilder();
        out.append("upgrade, scenario ").append(a.scenario.id()).append('\n');
        out.append("  A: era ").append(a.era.id()).append(" on ").append(a.profile.describe()).append('\n');
        out.append("  B: era ").append(b.era.id()).append(" on ").append(b.profile.describe()).append('\n');
        int n = Math.max(a.steps.size(), b.steps.size());
        for (int i = 0; i < n; i++) {
            EraStep sa = i < a.steps.size() ? a.steps.get(i) : null;
            EraStep sb = i < b.steps.size() ? b.steps.get(i) : null;
            String name = sa != null ? sa.name() : sb.name();
            out.append('\n').append("step ").append(i + 1).append(": ").append(name).append('\n');
            pair(out, "outcome", sa == null ? "(no such step)" : sa.outcome(),
                    sb == null ? "(no such step)" : sb.outcome());
            pair(out, "tables", sa == null ? "-" : tables(sa), sb == null ? "-" : tables(sb));
            pair(out, "hypervisor", sa == null ? "-" : calls(sa.calls()), sb == null ? "-" : calls(sb.calls()));
            List<String> da = sa == null ? List.of() : changes(a, i);
            List<String> db = sb == null ? List.of() : changes(b, i);
            if (da.equals(db)) {
                out.append("  descriptors: same").append(da.isEmpty() ? ": none changed" : "").append('\n');
                da.forEach(l -> out.append("    ").append(l).append('\n'));
            } else {
                out.append("  descriptors:\n");
                out.append("    A:").append(da.isEmpty() ? " none changed" : "").append('\n');
                da.forEach(l -> out.append("      ").append(l).append('\n'));
                out.append("    B:").append(db.isEmpty() ? " none changed" : "").append('\n');
                db.forEach(l -> out.append("      ").append(l).append('\n'));
            }
            for (String f : sa == null ? List.<String>of() : sa.broken()) {
                out.append("  FLAG A: ").append(f).append('\n');
            }
            for (String f : sb == null ? List.<String>of() : sb.broken()) {
                out.append("  FLAG B: ").append(f).append('\n');
            }
        }
        out.append('\n').append("summary\n");
        out.append("  A: ").append(MatrixCommand.verdict(a)).append('\n');
        out.append("  B: ").append(MatrixCommand.verdict(b)).append('\n');
        return out.toString();
    }

    private static void pair(StringBuilder out, String what, String a, String b) {
        if (a.equals(b)) {
            out.append("  ").append(what).append(": same: ").append(a).append('\n');
        } else {
            out.append("  ").append(what).append(":\n    A: ").append(a).append("\n    B: ").append(b).append('\n');
        }
    }

    private static String tables(EraStep s) {
        return "allocated " + s.allocated() + ", freed " + s.freed();
    }

    private static String calls(List<HypCall> calls) {
        return calls.isEmpty() ? "none" : String.join(", ", calls.stream().map(HypCall::toString).toList());
    }

    /** The entries step {@code i} of {@code run} changed, each "L3 0x9001000: old -> new", decoded. */
    static List<String> changes(EraRun run, int i) {
        EraStep step = run.steps.get(i);
        NavigableMap<String, EraStep.Entry> before = i == 0 ? java.util.Collections.emptyNavigableMap()
                : run.steps.get(i - 1).entries();
        NavigableMap<String, EraStep.Entry> after = step.entries();
        List<String> out = new ArrayList<>();
        if (after.isEmpty() && !before.isEmpty() && step.name().equals("teardown")) {
            out.add("the page table dropped (" + before.size() + " non-zero entries)");
            return out;
        }
        List<EraStep.Entry[]> changed = changedEntries(run, i);
        // Runs of entries of one level whose old and new values each step by 0 or one granule are one line.
        for (int j = 0; j < changed.size(); ) {
            EraStep.Entry[] first = changed.get(j);
            EraStep.Entry any = Objects.requireNonNullElse(first[1], first[0]);
            long gran = dev.pvmfw.paging.Geometry.granularityAtLevel(any.level());
            int count = 1;
            long oldStep = 0;
            long newStep = 0;
            if (j + 1 < changed.size()) {
                EraStep.Entry[] second = changed.get(j + 1);
                oldStep = value(second[0]) - value(first[0]);
                newStep = value(second[1]) - value(first[1]);
            }
            boolean steps = (oldStep == 0 || oldStep == gran) && (newStep == 0 || newStep == gran);
            while (steps && j + count < changed.size()) {
                EraStep.Entry[] next = changed.get(j + count);
                EraStep.Entry n = Objects.requireNonNullElse(next[1], next[0]);
                if (n.level() != any.level() || n.va() != any.va() + count * gran
                        || (next[0] == null) != (first[0] == null) || (next[1] == null) != (first[1] == null)
                        || value(next[0]) != value(first[0]) + count * oldStep
                        || value(next[1]) != value(first[1]) + count * newStep) {
                    break;
                }
                count++;
            }
            String where = "L" + any.level() + " 0x" + Long.toHexString(any.va());
            if (count == 1) {
                out.add(where + ": " + decode(first[0], run.mmu) + " -> " + decode(first[1], run.mmu));
            } else {
                out.add(where + "..0x" + Long.toHexString(any.va() + count * gran) + " (" + count + " entries, the "
                        + "first shown" + (oldStep != 0 || newStep != 0 ? ", each next one granule further" : ", all "
                        + "the same") + "): " + decode(first[0], run.mmu) + " -> " + decode(first[1], run.mmu));
            }
            j += count;
        }
        return out;
    }

    /** The entries step {@code i} of {@code run} changed, by level and VA: {@code {before, after}}, null for none. */
    static List<EraStep.Entry[]> changedEntries(EraRun run, int i) {
        NavigableMap<String, EraStep.Entry> before = i == 0 ? java.util.Collections.emptyNavigableMap()
                : run.steps.get(i - 1).entries();
        NavigableMap<String, EraStep.Entry> after = run.steps.get(i).entries();
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        List<EraStep.Entry[]> changed = new ArrayList<>();
        for (String k : keys) {
            EraStep.Entry o = before.get(k);
            EraStep.Entry nw = after.get(k);
            if (o == null || nw == null || o.descriptor() != nw.descriptor()) {
                changed.add(new EraStep.Entry[] {o, nw});
            }
        }
        return changed;
    }

    /** {@code upgrade --json}: the report's data ({@link UpgradeJson}). */
    void writeJson(EraRun a, EraRun b) {
        List<UpgradeJson.Step> steps = new ArrayList<>();
        int n = Math.max(a.steps.size(), b.steps.size());
        for (int i = 0; i < n; i++) {
            EraStep sa = i < a.steps.size() ? a.steps.get(i) : null;
            EraStep sb = i < b.steps.size() ? b.steps.get(i) : null;
            steps.add(new UpgradeJson.Step(sa != null ? sa.name() : sb.name(), side(a, i), side(b, i)));
        }
        UpgradeJson.write(a.scenario.id(), run(a), run(b), steps, out);
        out.flush();
    }

    private static UpgradeJson.Run run(EraRun r) {
        return new UpgradeJson.Run(r.era.id(), r.profile, MatrixCommand.verdict(r), r.firstBroken().isPresent());
    }

    private static UpgradeJson.Side side(EraRun run, int i) {
        if (i >= run.steps.size()) {
            return null;
        }
        EraStep s = run.steps.get(i);
        List<UpgradeJson.Change> changes = new ArrayList<>();
        for (EraStep.Entry[] c : changedEntries(run, i)) {
            EraStep.Entry any = Objects.requireNonNullElse(c[1], c[0]);
            changes.add(new UpgradeJson.Change(any.level(), any.va(), value(c[0]), value(c[1]),
                    decode(c[0], run.mmu), decode(c[1], run.mmu)));
        }
        return new UpgradeJson.Side(s.outcome(), s.allocated(), s.freed(), s.calls().stream()
                .map(c -> new UpgradeJson.Call(c.functionId(), dev.pvmfw.hyp.Smccc.functionName(c.functionId()),
                        c.argument(), c.x0())).toList(), changes, s.broken());
    }

    private static long value(EraStep.Entry e) {
        return e == null ? 0 : e.descriptor();
    }

    /** One entry, decoded on one line: its bits, what the MMU sees, its output address and attributes. */
    static String decode(EraStep.Entry e, MmuConfig mmu) {
        if (e == null) {
            return "0";
        }
        long d = e.descriptor();
        String kind = e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
        if (e.kind() == DescriptorKind.TABLE) {
            return String.format("0x%016x (table at 0x%x)", d, DescriptorKind.outputAddress(d));
        }
        return String.format("0x%016x (%s, OA 0x%x, %s)", d, kind, DescriptorKind.outputAddress(d),
                AttributeText.columns(d, mmu).trim().replaceAll(" +", " "));
    }
}
