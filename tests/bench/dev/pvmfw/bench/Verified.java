package dev.pvmfw.bench;

import dev.pvmfw.oracle.engine.Engine;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.runner.Footprint;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;

/**
 * The verified differential step the throughput benchmarks measure, for either profile's engines
 * ({@code oracle.runner.Engines}): both engines apply the step; what the fuzzer compares per step must be equal —
 * outcome with its texts, updater calls, arena events, hypervisor calls — and so must every table byte the step could
 * have changed, its {@link Footprint} (the tables it allocated or freed and the descriptors its range meets);
 * {@code FootprintTest} proves a step changes nothing outside it, on both profiles. Throws at the first difference.
 */
final class Verified {
    private Verified() {}

    static StepResult step(Scenario scenario, Engine java, Engine rust, Step step, int index) {
        StepResult jr = java.apply(step);
        StepResult rr = rust.apply(step);
        if (!jr.equals(rr)) {
            throw new IllegalStateException("step " + index + " differs: " + jr + " / " + rr);
        }
        long m = Footprint.mismatch(step, jr.events(), java.image(), rust.image(), scenario.paBase(),
                java.rootPa().orElse(scenario.paBase()), scenario.rootLevel(), scenario.vaRange());
        if (m >= 0) {
            throw new IllegalStateException("arena byte " + m + " differs after step " + index + ": " + step.text());
        }
        return jr;
    }

    static void wholeArena(Engine java, Engine rust, String when) {
        if (java.image().mismatch(rust.image()) >= 0) {
            throw new IllegalStateException("arena differs " + when);
        }
    }
}
