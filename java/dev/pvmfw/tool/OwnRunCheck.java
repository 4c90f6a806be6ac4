package dev.pvmfw.tool;

import dev.pvmfw.catalog.Profiles;
import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.oracle.engine.Engine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.runner.Divergence;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.port.CrateProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Checks a run of pvmfw's own Java code (the demo's boot, guest accesses and exit) against another engine that is
 * told, phase by phase, the tracker steps the run made: after the run does a phase, the shadow engine applies its
 * steps, and every hypervisor call the shadow makes is compared with the run's next call (function, argument,
 * answer), one by one; at the end of the phase, the run's own arena (every byte), its arena events since the last
 * phase (allocations and frees, in order), its hypervisor's guard-mapped IPAs and the count of its calls are compared
 * with the shadow's. Nothing of the run is replayed: the Java side is the run's own arena and hypervisor.
 *
 * <p>The shadow is the real crate with our Rust transcription of pvmfw's tracker (a {@code RustEngine}), or, without
 * the oracle, a {@code JavaEngine}, which shows that the steps describe the run. The first difference stops the
 * check ({@link #divergence()}); later phases are then ignored.
 *
 * <p>Every call of the run is a step's (2023-05: the boot's {@code hyp-*} steps; the later eras: the {@code tracker}
 * step's {@code entry=on}, {@code detect_hypervisor} and {@code try_console_init}, and the exit's
 * {@code console-unmap}), so every answer is compared and no guard-mapped IPA is left out.
 */
final class OwnRunCheck {
    /** One shadow step that agreed with the run: the step, its outcome, and the run's calls it matched. */
    record Agreed(int index, Step step, Outcome outcome, List<HypCall> calls) {}

    /**
     * A tracker step the shadow applies.
     *
     * @param step the step
     * @param failure empty when the run's call succeeded; else how it failed, which the shadow's step must match: the
     *     {@code MemoryTrackerError}'s Debug text (a {@code tracker-err} outcome) or the panic message
     */
    record Shadowed(Step step, Optional<String> failure) {
        /** A step whose call succeeded in the run. */
        Shadowed(Step step) {
            this(step, Optional.empty());
        }
    }

    private final Engine shadow;
    private final TableArena arena;
    private final RecordingHypervisor hyp;
    private final CrateProfile profile;
    private final List<Step> steps = new ArrayList<>();
    private final List<Agreed> agreed = new ArrayList<>();
    private int callsSeen;
    private int eventsSeen;
    private Divergence divergence;

    /**
     * The check of a run from its start: every call {@code hyp} logged and every event of {@code arena} is the run's.
     *
     * @param shadow the engine to compare with, fresh (its arena the run's slot count and PA base)
     * @param arena the run's arena
     * @param hyp the run's hypervisor
     */
    OwnRunCheck(Engine shadow, TableArena arena, RecordingHypervisor hyp) {
        this(shadow, arena, hyp, Profiles.defaultProfile());
    }

    /**
     * As {@link #OwnRunCheck(Engine, TableArena, RecordingHypervisor)}, for a run on {@code profile} (the steps'
     * vocabulary, for the scenario a divergence names).
     */
    OwnRunCheck(Engine shadow, TableArena arena, RecordingHypervisor hyp, CrateProfile profile) {
        this.shadow = shadow;
        this.arena = arena;
        this.hyp = hyp;
        this.profile = profile;
    }

    /**
     * The run has just done phase {@code name}, which made {@code phaseSteps} (in order): the shadow applies them and
     * the two are compared. Does nothing once a difference was found.
     *
     * @return the steps of this phase that agreed (all of them, unless this phase diverged)
     */
    List<Agreed> phase(String name, List<Step> phaseSteps) {
        return items(name, phaseSteps.stream().map(Shadowed::new).toList());
    }

    /**
     * As {@link #phase}, with the run's failures the shadow's steps must match ({@link Shadowed#failure}).
     *
     * @return the steps of this phase that agreed (all of them, unless this phase diverged)
     */
    List<Agreed> items(String name, List<Shadowed> phaseItems) {
        List<Agreed> out = new ArrayList<>();
        if (divergence != null) {
            return out;
        }
        List<HypCall> runCalls = hyp.log();
        List<Integer> events = new ArrayList<>();
        for (Shadowed shadowed : phaseItems) {
            Step step = shadowed.step();
            steps.add(step);
            int index = steps.size() - 1;
            StepResult r = shadow.apply(step);
            for (int e : r.events()) {
                events.add(e);
            }
            boolean ok = r.outcome() instanceof Outcome.Ok || r.outcome() instanceof Outcome.Value;
            if (shadowed.failure().isEmpty() && !ok) {
                return fail(index, "outcome", "  the run went on, the " + shadow.name() + " step returned "
                        + r.outcome().text());
            }
            if (shadowed.failure().isPresent() && !failedAs(r.outcome(), shadowed.failure().get())) {
                return fail(index, "outcome", "  the run's call failed: " + shadowed.failure().get() + "\n    the "
                        + shadow.name() + " step returned " + r.outcome().text());
            }
            List<HypCall> mine = new ArrayList<>();
            for (HypCall c : r.hypCalls()) {
                HypCall run = callsSeen < runCalls.size() ? runCalls.get(callsSeen) : null;
                if (!c.equals(run)) {
                    return fail(index, "hypervisor", "  hypervisor call " + callsSeen + " of the run\n    run  "
                            + (run == null ? "none (the run made " + runCalls.size() + " calls)" : run) + "\n    "
                            + shadow.name() + " " + c);
                }
                mine.add(run);
                callsSeen++;
            }
            Agreed a = new Agreed(index, step, r.outcome(), mine);
            agreed.add(a);
            out.add(a);
        }
        int last = Math.max(0, steps.size() - 1);
        if (callsSeen != runCalls.size()) {
            return fail(last, "hypervisor", "  after " + name + ": the run made " + (runCalls.size() - callsSeen)
                    + " more hypervisor calls, the first " + runCalls.get(callsSeen));
        }
        int[] runEvents = arena.eventsSince(eventsSeen);
        eventsSeen = arena.eventCount();
        int[] shadowEvents = events.stream().mapToInt(Integer::intValue).toArray();
        if (!Arrays.equals(runEvents, shadowEvents)) {
            return fail(last, "events", "  arena events of " + name + "\n    run  " + Arrays.toString(runEvents)
                    + "\n    " + shadow.name() + " " + Arrays.toString(shadowEvents));
        }
        long mismatch = arena.segment().mismatch(shadow.image());
        if (mismatch >= 0) {
            // imageReport names its sides java and rust: here they are the run and the shadow
            return fail(last, "image", Divergence.imageReport(arena.segment(), shadow.image(), mismatch,
                    arena.paBase(), 1, VaRange.LOWER).replace("only in java:", "only in the run:")
                    .replace("only in rust:", "only in " + shadow.name() + ":").replace("    java ", "    run  ")
                    .replace("    rust ", "    " + shadow.name() + " "));
        }
        List<Long> runGuard = List.copyOf(hyp.guardMapped());
        if (!runGuard.equals(shadow.guardMapped())) {
            return fail(last, "guard-mapped", "  guard-mapped IPAs after " + name + "\n    run  " + hex(runGuard)
                    + "\n    " + shadow.name() + " " + hex(shadow.guardMapped()));
        }
        return out;
    }

    private static boolean failedAs(Outcome outcome, String failure) {
        return switch (outcome) {
            case Outcome.TrackerFailed t -> t.debug().equals(failure);
            case Outcome.Panicked p -> p.message().equals(failure);
            default -> false;
        };
    }

    private static List<String> hex(List<Long> values) {
        return values.stream().map(Step::hex).toList();
    }

    private <T> List<T> fail(int index, String what, String report) {
        Scenario scenario = scenario();
        divergence = new Divergence(scenario, index, what, "the run, step " + index + ": "
                + scenario.steps().get(index).text() + "\n" + report);
        return List.of();
    }

    /** The steps applied so far, as a scenario (the run's arena: its slots and PA base). */
    Scenario scenario() {
        return new Scenario("demo-run", profile, arena.slotCount(), arena.paBase(), steps);
    }

    /** The first difference, if any. */
    Optional<Divergence> divergence() {
        return Optional.ofNullable(divergence);
    }

    /** The steps that agreed, in order. */
    List<Agreed> agreed() {
        return List.copyOf(agreed);
    }
}
