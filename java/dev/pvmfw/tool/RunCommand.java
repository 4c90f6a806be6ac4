package dev.pvmfw.tool;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import dev.pvmfw.catalog.Eras;
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
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import dev.pvmfw.paging.NumberText;
import java.nio.file.Files;
import java.nio.file.Path;

@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Execute a scenario file on the Java engine (with --against-rust, on both engines, compared "
                + "after every step) and print each step.", "",
            "SCENARIO is the oracle's text form (see tests/resources/dev/pvmfw/oracle/named-scenarios.txt):",
            "  table level=1 va-range=lower", "  map 0x0 0x1000 pa=0x80000000 flags=VALID|NORMAL",
            "  modify 0x0 0x1000 updater=builtin:verify-lazy", "  drop",
            "Prints each step's outcome, arena events, hypervisor calls and the digest of the arena after it; then each",
            "call of an updater (modify) or of pvmfw's own callbacks inside a tracker step (verify_lazy_mapped_block in",
            "a fault, mmio_guard_unmap_page in mmio-unmap-all): level, range, descriptor before -> after; then the",
            "digest of the final arena.", "",
            "Tracker steps run the --era's tracker; only the 2023-05 one has a Rust side, and the steps only it has",
            "(alloc, shrink, the hypervisor and shared-memory steps) are invalid on a later era's.", "",
            "An 'expect OUTCOME' line after a step says what it must end in (docs/scenarios.md).", "",
            "Exit status: 0 ok (a panic or an error a step records is an outcome, not a failure), 1 a divergence, the "
                + "oracle missing, an expect line that does not hold, or steps not executed (the first step failed), "
                + "2 usage."})
final class RunCommand extends ToolCommand {
    @Parameters(index = "0", paramLabel = "SCENARIO", description = "the scenario file")
    Path file;

    @Option(names = "--against-rust", description = "also apply every step to the real crate (the Rust oracle) and "
            + "compare after each step; exit 1 at the first divergence, with a report")
    boolean againstRust;

    @Option(names = "--save", paramLabel = "IMAGE",
            description = "write the final arena (raw tables in slot order) for dump, check and diff")
    Path save;

    @Mixin
    LimitOptions limits = new LimitOptions();

    @Mixin
    EraOption era = new EraOption();

    RunCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    int execute() throws UsageException, IOException {
        dev.pvmfw.catalog.Era selected = era.selected();
        if (againstRust && selected != Eras.defaultEra()) {
            throw new UsageException("--against-rust runs the " + Eras.defaultEra().id() + " tracker only: the Rust "
                    + "side of era " + selected.id() + " is not written");
        }
        ScenarioFile read = Inputs.scenario(file, limits);
        Scenario scenario = read.scenario();
        if (save != null) {
            checkWritable(save);
        }
        out.println("scenario " + scenario.name() + " (" + scenario.steps().size() + " steps, " + scenario.slots()
                + " slots at PA 0x" + Long.toHexString(scenario.paBase()) + ")");
        Expectations expected = new Expectations(read.expectations());
        if (againstRust) {
            try {
                Differential.Report report = Differential.run(scenario, Differential.DumpCheck.EVERY_STEP,
                        (i, step, result, image) -> {
                            out.println(line(i, step, result, ImageCodec.digest(image)) + "  [identical in Rust]"
                                    + (i == scenario.steps().size() ? "  (appended: every comparison ends with a drop)"
                                    : ""));
                            printTrace(step, result);
                            expected.check(i, result.outcome());
                        });
                if (report.divergence().isPresent()) {
                    out.println("DIVERGENCE\n" + report.divergence().get().report());
                    return Main.FINDINGS;
                }
                out.println("cross-check: all " + report.steps() + " steps identical in Java and Rust");
            } catch (OracleUnavailableException e) {
                err.println("pvmfw-paging run: cannot cross-check: " + e.getMessage());
                return Main.FINDINGS;
            }
        }
        int notExecuted = 0;
        try (JavaEngine engine = new JavaEngine(scenario, selected.trackers())) {
            for (int i = 0; i < scenario.steps().size(); i++) {
                Step step = scenario.steps().get(i);
                StepResult r = engine.apply(step);
                if (!againstRust) {
                    out.println(line(i, step, r, ImageCodec.digest(engine.image())));
                    printTrace(step, r);
                    expected.check(i, r.outcome());
                }
                if (i == 0 && !(r.outcome() instanceof Outcome.Ok)) {
                    // No table or tracker: nothing after this step can run.
                    notExecuted = scenario.steps().size() - 1;
                    break;
                }
            }
            out.println("final arena: " + engine.image().byteSize() / 4096 + " slots, sha256 "
                    + ImageCodec.digest(engine.image()));
            if (save != null) {
                write(save, engine.image());
                out.println("saved to " + save);
            }
        }
        int status = Main.OK;
        if (notExecuted > 0) {
            err.println("pvmfw-paging run: " + file + ": the first step (" + NumberText.echo(scenario.steps()
                    .getFirst().text()) + ") failed, so " + notExecuted + " later step" + (notExecuted == 1 ? " was"
                    : "s were") + " not executed");
            status = Main.FINDINGS;
        }
        for (String failure : expected.failures) {
            err.println("pvmfw-paging run: " + file + ": " + failure);
            status = Main.FINDINGS;
        }
        if (expected.unchecked() > 0) {
            status = Main.FINDINGS;
        }
        return status;
    }

    /** The expect lines, checked as the steps run. */
    private final class Expectations {
        final List<Expectation> all;
        final List<String> failures = new ArrayList<>();
        int next;

        Expectations(List<Expectation> all) {
            this.all = all;
        }

        void check(int step, Outcome outcome) {
            while (next < all.size() && all.get(next).step() == step) {
                Expectation e = all.get(next++);
                if (!e.holds(outcome)) {
                    failures.add("line " + e.line() + ": expected " + e.expected() + ", step " + step + " gave "
                            + outcome.text());
                }
            }
        }

        /** The expectations left unchecked (about steps that did not run), each reported; how many. */
        int unchecked() {
            for (int i = next; i < all.size(); i++) {
                err.println("pvmfw-paging run: " + file + ": line " + all.get(i).line() + ": expected "
                        + all.get(i).expected() + ", but step " + all.get(i).step() + " was not executed");
            }
            return all.size() - next;
        }
    }

    /** Refuses, before anything runs, a --save target that cannot be written: a directory, or in none. */
    private static void checkWritable(Path target) throws UsageException {
        Path parent = target.toAbsolutePath().getParent();
        if (Files.isDirectory(target)) {
            throw new UsageException(target + ": cannot write: it is a directory");
        }
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UsageException(target + ": cannot write: no such directory " + parent);
        }
    }

    /** Writes the arena to {@code target} from its memory (never copied into the heap). */
    private static void write(Path target, MemorySegment image) throws UsageException {
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = image.asByteBuffer();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw new UsageException(target + ": cannot write: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    static String line(int i, Step step, StepResult r, String digest) {
        return String.format("%3d  %-60s -> %s%s%s%s  arena %s", i, step.text(), r.outcome().text(),
                r.events().length == 0 ? "" : "  events " + eventsText(r.events()),
                r.trace().isEmpty() ? "" : "  calls " + r.trace().size(),
                r.hypCalls().isEmpty() ? "" : "  hyp " + r.hypCalls(), digest.substring(0, Math.min(16, digest.length())));
    }

    /** Each updater call of a modify, and each call of pvmfw's own callbacks inside a tracker step, one per line. */
    private void printTrace(Step step, StepResult r) {
        String who = step instanceof Step.ModifyRange ? "updater" : "callback";
        for (var e : r.trace()) {
            out.println("       " + who + " " + e);
        }
    }

    static String eventsText(int[] events) {
        StringBuilder b = new StringBuilder();
        for (int e : events) {
            b.append(b.isEmpty() ? "" : ",").append(e >= 0 ? "+" + e : "-" + ~e);
        }
        return b.toString();
    }
}
