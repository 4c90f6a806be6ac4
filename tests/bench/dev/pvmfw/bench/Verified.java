package dev.pvmfw.bench;

import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.rust.RustEngine;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.paging.internal.TableLayout;

/**
 * The verified differential step the throughput benchmarks measure: both engines apply the step; their results
 * (outcome, updater calls, arena events, hypervisor calls) must be equal, and so must every table the step allocated;
 * the whole arena is compared every {@code fullEvery} steps. Throws at the first difference.
 */
final class Verified {
    private Verified() {}

    static StepResult step(JavaEngine java, RustEngine rust, Step step, int index, int fullEvery) {
        StepResult jr = java.apply(step);
        StepResult rr = rust.apply(step);
        if (!jr.equals(rr)) {
            throw new IllegalStateException("step " + index + " differs: " + jr + " / " + rr);
        }
        for (int e : jr.events()) {
            long off = (long) e * TableLayout.TABLE_SIZE;
            if (e >= 0 && java.image().asSlice(off, TableLayout.TABLE_SIZE)
                    .mismatch(rust.image().asSlice(off, TableLayout.TABLE_SIZE)) >= 0) {
                throw new IllegalStateException("new table " + e + " differs at step " + index);
            }
        }
        if ((index + 1) % fullEvery == 0) {
            wholeArena(java, rust, "after step " + index);
        }
        return jr;
    }

    static void wholeArena(JavaEngine java, RustEngine rust, String when) {
        if (java.image().mismatch(rust.image()) >= 0) {
            throw new IllegalStateException("arena differs " + when);
        }
    }
}
