package dev.pvmfw.oracle.runner;

import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.oracle.rust.RustEngine;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;

import java.util.Optional;

/**
 * Applies a scenario to both engines, one step at a time, and compares after every step: the outcome with its payload
 * and its Debug and Display texts (the crate's, as the library formats them, against Java's), the updater trace, the
 * arena events, the whole arena byte for byte, and the root table's PA ({@code RootTable::to_physical}, as the crate
 * reports it); the crate's Debug dump too, at the end (or after every step on request). Stops at the first difference.
 */
public final class Differential {
    private Differential() {}

    /**
     * What a run found.
     *
     * @param divergence the first difference, if any
     * @param steps how many steps were applied to both engines
     */
    public record Report(Optional<Divergence> divergence, int steps) {}

    /** When to compare the crate's Debug dumps (megabytes of text for big tables, so it is a choice). */
    public enum DumpCheck {
        /** Never (the bytes are compared after every step anyway). */
        NEVER,
        /** After the last step that leaves a live root. */
        AT_END,
        /** After every step. */
        EVERY_STEP
    }

    /** Told about each step once both engines have applied it and it compared equal. */
    @FunctionalInterface
    public interface StepListener {
        /** Step number {@code index} (0-based), {@code step}, gave {@code result} on both engines. */
        void stepAgreed(int index, Step step, StepResult result);
    }

    /** Runs with the Debug dump compared at the end. */
    public static Report run(Scenario scenario) throws OracleUnavailableException {
        return run(scenario, DumpCheck.AT_END);
    }

    /**
     * Runs {@code scenario} on both engines, comparing the crate's Debug dumps as {@code dumps} says.
     *
     * @throws OracleUnavailableException if the Rust oracle is not available
     */
    public static Report run(Scenario scenario, DumpCheck dumps) throws OracleUnavailableException {
        return run(scenario, dumps, (i, step, result) -> { });
    }

    /** As {@link #run(Scenario, DumpCheck)}, telling {@code listener} about every step that agreed. */
    public static Report run(Scenario scenario, DumpCheck dumps, StepListener listener)
            throws OracleUnavailableException {
        try (JavaEngine java = new JavaEngine(scenario); RustEngine rust = new RustEngine(scenario)) {
            int applied = 0;
            for (int i = 0; i < scenario.steps().size(); i++) {
                Step step = scenario.steps().get(i);
                StepResult j = java.apply(step);
                StepResult r = rust.apply(step);
                applied++;
                Optional<Divergence> d = Divergence.compare(scenario, i, j, r, java.image(), rust.image(),
                        scenario.rootLevel(), scenario.vaRange());
                if (d.isPresent()) {
                    return new Report(d, applied);
                }
                java.util.OptionalLong javaRoot = java.rootPa();
                java.util.OptionalLong rustRoot = rust.rootPa();
                if (!javaRoot.equals(rustRoot)) {
                    return new Report(Optional.of(new Divergence(scenario, i, "root", "scenario " + scenario.name()
                            + ", step " + i + ": " + step.text() + "\n  root table PA\n    java " + rootText(javaRoot)
                            + "\n    rust " + rootText(rustRoot))), applied);
                }
                listener.stepAgreed(i, step, j);
                if (i == 0 && !(j.outcome() instanceof Outcome.Ok)) {
                    break; // no table: nothing more to apply
                }
                boolean last = i + 1 == scenario.steps().size() || scenario.steps().get(i + 1) instanceof Step.DropTable;
                boolean dump = dumps == DumpCheck.EVERY_STEP || (dumps == DumpCheck.AT_END && last);
                if (dump && !(step instanceof Step.DropTable)) {
                    java.util.Optional<String> jd = java.debugDump();
                    java.util.Optional<String> rd = rust.debugDump();
                    if (!jd.equals(rd)) {
                        return new Report(Optional.of(new Divergence(scenario, i, "debug", "scenario "
                                + scenario.name() + ", step " + i + ": Debug dumps differ\n"
                                + firstLineDiff(jd.orElse("<panicked>"), rd.orElse("<panicked>")))),
                                applied);
                    }
                }
            }
            return new Report(Optional.empty(), applied);
        }
    }

    static String rootText(java.util.OptionalLong pa) {
        return pa.isPresent() ? Step.hex(pa.getAsLong()) : "none";
    }

    static String firstLineDiff(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String l = i < x.length ? x[i] : "<end>";
            String r = i < y.length ? y[i] : "<end>";
            if (!l.equals(r)) {
                return "  line " + (i + 1) + "\n    java " + l + "\n    rust " + r;
            }
        }
        return "  (identical lines, different lengths)";
    }
}
