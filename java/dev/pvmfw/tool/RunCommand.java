package dev.pvmfw.tool;

import dev.pvmfw.oracle.runner.Differential;
import dev.pvmfw.oracle.golden.ImageCodec;
import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.oracle.engine.StepResult;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

final class RunCommand implements Command {
    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "execute a scenario file on the Java engine (and with --against-rust on both); print each step";
    }

    @Override
    public String help() {
        return """
                usage: pvmfw-paging run SCENARIO [--against-rust] [--save IMAGE]

                SCENARIO is the oracle's text form (see tests/resources/dev/pvmfw/oracle/named-scenarios.txt):
                  table level=1 va-range=lower
                  map 0x0 0x1000 pa=0x80000000 flags=VALID|NORMAL
                  modify 0x0 0x1000 updater=builtin:verify-lazy
                  drop
                Prints each step's outcome, arena events and updater calls, then the digest of the final arena.
                  --against-rust   also apply every step to the real crate (the Rust oracle) and compare after each
                                   step; exit 1 at the first divergence, with a report
                  --save IMAGE     write the final arena (raw tables in slot order) for dump/check/diff
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException, IOException {
        Args a = Args.parse(argv, 1, Set.of("save"), Set.of("against-rust"));
        a.expectPositionals(1, 1, "pvmfw-paging run SCENARIO [--against-rust] [--save IMAGE]");
        Scenario scenario = Inputs.scenario(Path.of(a.positional.getFirst()));
        out.println("scenario " + scenario.name() + " (" + scenario.steps().size() + " steps, " + scenario.slots()
                + " slots at PA 0x" + Long.toHexString(scenario.paBase()) + ")");
        if (a.flag("against-rust")) {
            try {
                Differential.Report report = Differential.run(scenario, Differential.DumpCheck.EVERY_STEP,
                        (i, step, result) -> out.println(line(i, step, result) + "  [identical in Rust]"));
                if (report.divergence().isPresent()) {
                    out.println("DIVERGENCE\n" + report.divergence().get().report());
                    return 1;
                }
                out.println("cross-check: all " + report.steps() + " steps identical in Java and Rust");
            } catch (OracleUnavailableException e) {
                err.println("pvmfw-paging: cannot cross-check: " + e.getMessage());
                return 1;
            }
        }
        try (JavaEngine engine = new JavaEngine(scenario)) {
            for (int i = 0; i < scenario.steps().size(); i++) {
                Step step = scenario.steps().get(i);
                StepResult r = engine.apply(step);
                if (!a.flag("against-rust")) {
                    out.println(line(i, step, r));
                }
                if (i == 0 && !(r.outcome() instanceof Outcome.Ok)) {
                    break;
                }
            }
            out.println("final arena: " + engine.image().byteSize() / 4096 + " slots, sha256 "
                    + ImageCodec.digest(engine.image()));
            if (a.has("save")) {
                Path save = Path.of(a.option("save", ""));
                Files.write(save, engine.image().toArray(ValueLayout.JAVA_BYTE));
                out.println("saved to " + save);
            }
        }
        return 0;
    }

    static String line(int i, Step step, StepResult r) {
        return String.format("%3d  %-60s -> %s%s%s%s", i, step.text(), r.outcome().text(),
                r.events().length == 0 ? "" : "  events " + eventsText(r.events()),
                r.trace().isEmpty() ? "" : "  calls " + r.trace().size(),
                r.hypCalls().isEmpty() ? "" : "  hyp " + r.hypCalls());
    }

    static String eventsText(int[] events) {
        StringBuilder b = new StringBuilder();
        for (int e : events) {
            b.append(b.isEmpty() ? "" : ",").append(e >= 0 ? "+" + e : "-" + ~e);
        }
        return b.toString();
    }
}
