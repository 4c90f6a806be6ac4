package dev.pvmfw.oracle.runner;

import dev.pvmfw.oracle.engine.Engine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;

import java.util.Optional;

/**
 * Applies a scenario to both engines, one step at a time, and compares after every step: the outcome with its payload
 * and its Debug and Display texts (the crate's, as the library formats them, against Java's), the updater trace (for
 * tracker steps, the calls of pvmfw's own callbacks inside them), the hypervisor calls, the arena events, the whole
 * arena byte for byte, the root table's PA ({@code RootTable::to_physical}, as the crate reports it) and, for tracker
 * scenarios, the set of guard-mapped IPAs; the crate's Debug dump too, at the end (or after every step on request).
 * Stops at the first difference.
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
        /**
         * Step number {@code index} (0-based), {@code step}, gave {@code result} on both engines.
         *
         * @param index the step's index
         * @param step the step
         * @param result what it did (the Java engine's result, equal to the crate's)
         * @param image the arena after it (the Java engine's, equal to the crate's), valid during the call
         */
        void stepAgreed(int index, Step step, StepResult result, java.lang.foreign.MemorySegment image);
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
        return run(scenario, dumps, (i, step, result, image) -> { });
    }

    /**
     * As {@link #run(Scenario, DumpCheck)}, telling {@code listener} about every step that agreed. A scenario that
     * does not end with a {@code drop} gets one (listed as its last step in reports), so that the free order (and a
     * tracker's last UNSHAREs) is compared at the end of every scenario.
     */
    public static Report run(Scenario scenario, DumpCheck dumps, StepListener listener)
            throws OracleUnavailableException {
        Scenario compared = withFinalDrop(scenario);
        try (Engine java = Engines.java(compared); Engine rust = Engines.rust(compared)) {
            int applied = 0;
            for (int i = 0; i < compared.steps().size(); i++) {
                Step step = compared.steps().get(i);
                StepResult j = java.apply(step);
                StepResult r = rust.apply(step);
                applied++;
                Optional<Divergence> d = Divergence.compare(compared, i, j, r, java.image(), rust.image(),
                        compared.rootLevel(), compared.vaRange());
                if (d.isEmpty()) {
                    d = Divergence.compareState(compared, i, java.rootPa(), rust.rootPa(), java.guardMapped(),
                            rust.guardMapped());
                }
                if (d.isPresent()) {
                    return new Report(d, applied);
                }
                listener.stepAgreed(i, step, j, java.image());
                if (i == 0 && !(j.outcome() instanceof Outcome.Ok)) {
                    break; // no table: nothing more to apply
                }
                boolean last = i + 1 == compared.steps().size() || compared.steps().get(i + 1) instanceof Step.DropTable;
                boolean dump = dumps == DumpCheck.EVERY_STEP || (dumps == DumpCheck.AT_END && last);
                if (dump && !(step instanceof Step.DropTable)) {
                    d = Divergence.compareDumps(compared, i, java.debugDump(), rust.debugDump());
                    if (d.isPresent()) {
                        return new Report(d, applied);
                    }
                }
            }
            return new Report(Optional.empty(), applied);
        }
    }

    /** {@code scenario}, or, if its last step is not a {@code drop}, the same scenario with one appended. */
    public static Scenario withFinalDrop(Scenario scenario) {
        if (scenario.steps().getLast() instanceof Step.DropTable) {
            return scenario;
        }
        java.util.List<Step> steps = new java.util.ArrayList<>(scenario.steps());
        steps.add(new Step.DropTable());
        return scenario.withSteps(steps);
    }
}
