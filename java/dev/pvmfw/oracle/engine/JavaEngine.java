package dev.pvmfw.oracle.engine;

import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;

import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.era.ScenarioTracker;
import dev.pvmfw.era.TrackerException;
import dev.pvmfw.era.TrackerFactory;
import dev.pvmfw.era2023_05.MemoryTracker;
import dev.pvmfw.era2023_05.HypException;
import dev.pvmfw.paging.port.MmuOpsException;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.MapException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.v0_4_0.PteUpdater;
import dev.pvmfw.paging.v0_4_0.RootTable;
import dev.pvmfw.paging.TableArena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** The Java engine: a {@link RootTable} over a {@link TableArena}, as the scenario describes. */
public final class JavaEngine implements Engine {
    private final TableArena arena;
    private RootTable root;
    private final TrackerFactory trackers;
    private ScenarioTracker tracker;
    private TracingMmuOps trackerTable;
    private RecordingHypervisor hyp;
    // The later era's tracker step, its factory and whether its hypervisor has an MMIO guard (console-unmap's).
    private Step.NewTracker laterTracker;
    private TrackerFactory laterFactory;
    private boolean laterGuard;

    /**
     * An engine for {@code scenario}: a new arena of its slot count at its PA base, released by {@link #close}; the
     * table itself is made by the scenario's steps; a tracker step runs the tracker of the era it names
     * ({@code era=}), or the 2023-05 one.
     */
    public JavaEngine(Scenario scenario) {
        this(scenario, dev.pvmfw.era2023_05.ScenarioTrackers.INSTANCE);
    }

    /**
     * As {@link #JavaEngine(Scenario)}, with a tracker step that names no era run on the tracker {@code trackers}
     * makes (an era's: {@code run --era}); one that names its era runs that era's. The steps only the 2023-05 tracker
     * has (allocations, shrink, the hypervisor and shared-memory steps) are {@link Outcome.Invalid} on another era's
     * tracker.
     */
    public JavaEngine(Scenario scenario, TrackerFactory trackers) {
        this.arena = TableArena.create(scenario.slots(), scenario.paBase());
        this.trackers = java.util.Objects.requireNonNull(trackers);
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public StepResult apply(Step step) {
        int logBefore = arena.eventCount();
        int hypBefore = hyp == null ? 0 : hyp.callCount();
        List<TraceEntry> trace = trackerTable == null || step instanceof Step.ModifyRange ? new ArrayList<>()
                : trackerTable.newTrace();
        Outcome outcome = new Outcome.Ok();
        try {
            switch (step) {
                case Step.NewTable t -> root = new RootTable(arena, t.level(), t.vaRange());
                case Step.MapRange m -> live().mapRange(MemoryRegion.of(m.start(), m.end()),
                        new PhysicalAddress(m.pa()), Attributes.fromBitsRetain(m.flags().bits()));
                case Step.ModifyRange m -> live().modifyRange(MemoryRegion.of(m.start(), m.end()),
                        tracing(JavaUpdaters.of(m.updater()), trace));
                case Step.DropTable d -> {
                    RootTable dropping = live();
                    root = null;
                    ScenarioTracker closing = tracker;
                    tracker = null;
                    if (closing != null) {
                        closing.close();
                    } else {
                        dropping.close();
                    }
                }
                case Step.NewTracker t -> {
                    hyp = new RecordingHypervisor().setMmioGuardGranule(t.granule())
                            .setMmioGuardSupported(t.mmioGuard());
                    PvmfwPageTable pageTable = new PvmfwPageTable(arena);
                    root = pageTable.rootTable();
                    trackerTable = new TracingMmuOps(pageTable);
                    trace = trackerTable.newTrace();
                    TrackerFactory factory = trackersOf(t);
                    // pvmfw's entry (entry=on) runs before its page table; made first here, as in the Rust engine
                    boolean guard = t.entry() ? factory.entry(hyp, t.compatAndroid13()) : t.mmioGuard();
                    tracker = factory.newTracker(trackerTable, hyp, t.ramEnd(), t.compatAndroid13(), guard);
                    if (!(tracker instanceof MemoryTracker)) {
                        laterTracker = t;
                        laterFactory = factory;
                        laterGuard = guard;
                    }
                }
                case Step.ConsoleUnmap c -> {
                    tracker();
                    if (laterTracker == null) {
                        throw new SeedOnlyStep(laterOnlyOutcome(step).message());
                    }
                    laterFactory.consoleUnmap(hyp, laterGuard, laterTracker.compatAndroid13());
                }
                case Step.PageTableMap m -> {
                    var table = tracker().pageTable();
                    switch (m.set()) {
                        case CODE -> table.mapCode(m.start(), m.end());
                        case DATA -> table.mapData(m.start(), m.end());
                        case RODATA -> table.mapRodata(m.start(), m.end());
                        case DEVICE -> table.mapDevice(m.start(), m.end());
                    }
                }
                case Step.MmioMap m -> tracker().mapMmioRange(m.start(), m.end());
                case Step.Fault f -> tracker().handleMmioFault(f.addr());
                case Step.MmioUnmapAll u -> tracker().mmioTeardown();
                case Step.AllocRange a -> {
                    MemoryRange range = new MemoryRange(a.start(), a.end());
                    if (a.readWrite()) {
                        seed(step).allocRangeMut(range);
                    } else {
                        seed(step).allocRange(range);
                    }
                }
                case Step.Alloc a -> {
                    if (a.readWrite()) {
                        seed(step).allocMut(a.base(), a.size());
                    } else {
                        seed(step).alloc(a.base(), a.size());
                    }
                }
                case Step.Shrink s -> seed(step).shrink(new MemoryRange(s.start(), s.end()));
                case Step.HypInit h -> seed(step).hypervisor().mmioGuardInit();
                case Step.HypGuard h -> {
                    if (h.unmap()) {
                        seed(step).hypervisor().mmioGuardUnmap(h.ipa());
                    } else {
                        seed(step).hypervisor().mmioGuardMap(h.ipa());
                    }
                }
                case Step.SharedPoolDynamic d -> seed(step).initDynamicSharedPool();
                case Step.SharedPoolStatic p -> seed(step).initStaticSharedPool(new MemoryRange(p.start(), p.end()));
                case Step.AllocShared a -> outcome = new Outcome.Value(seed(step).allocShared(a.size(), a.align()));
                case Step.DeallocShared d -> seed(step).deallocShared(d.addr(), d.size(), d.align());
                case Step.UnshareAll u -> seed(step).unshareAllMemory();
                case Step.InjectAtCall i -> hyp.injectAtCall(i.call(), i.x0());
                case Step.InjectNth i -> hyp.injectNth(i.function().functionId(), i.n(), i.x0());
                case Step.InjectFor i -> hyp.injectFor(i.functionId(), i.argument(), i.x0());
                case Step.ClearInjections c -> hyp.clearInjections();
                case Step.WalkRange w -> throw new SeedOnlyStep(V0121 + w.text());
                case Step.CompactSubtables c -> throw new SeedOnlyStep(V0121 + c.text());
                case Step.Activate a -> throw new SeedOnlyStep(V0121 + a.text());
                case Step.Deactivate d -> throw new SeedOnlyStep(V0121 + d.text());
                case Step.MarkActive a -> throw new SeedOnlyStep(V0121 + a.text());
                case Step.MarkInactive i -> throw new SeedOnlyStep(V0121 + i.text());
            }
        } catch (MapException | TrackerException | HypException | dev.pvmfw.era.HypCallException | CratePanic e) {
            outcome = Outcome.ofJava(e);
        } catch (MmuOpsException e) {
            outcome = Outcome.ofJava(e.getCause()); // the crate's MapException
        } catch (UpdaterFailure f) {
            outcome = f.outcome;
        } catch (SeedOnlyStep e) {
            outcome = new Outcome.Invalid(e.getMessage());
        } catch (dev.pvmfw.paging.UpdaterException u) {
            if (!(u.getCause() instanceof UpdaterFailure f)) {
                throw u;
            }
            outcome = f.outcome; // the crate wraps what the updater threw; the failure is the tracing's
        }
        List<HypCall> calls = hyp == null ? List.of() : hyp.callsSince(hypBefore);
        return new StepResult(outcome, trace, arena.eventsSince(logBefore), calls);
    }

    /** Why a 0.12 step is invalid here (a {@link Scenario} of profile 0.4.0 refuses them before any engine). */
    private static final String V0121 = "0.4.0 has no Mapping: ";

    /** The tracker factory of the step's era ({@code era=}), or this engine's when the step names none. */
    private TrackerFactory trackersOf(Step.NewTracker t) {
        return t.era() == null ? trackers : dev.pvmfw.catalog.Eras.byId(t.era()).orElseThrow().trackers();
    }

    private ScenarioTracker tracker() {
        if (tracker == null) {
            throw new CratePanic("no tracker (the 'tracker' step failed or 'drop' already ran)");
        }
        return tracker;
    }

    /**
     * Whether {@code step} is one of the steps only the 2023-05 tracker has (the allocations, {@code shrink}, the
     * hypervisor and shared-memory steps; on 0.12.1 {@code activate}, the 2023-05 {@code main_wrapper}'s):
     * {@link Outcome.Invalid} on a later era's tracker, in both engines.
     */
    public static boolean seedOnly(Step step) {
        return switch (step) {
            case Step.AllocRange a -> true;
            case Step.Alloc a -> true;
            case Step.Shrink a -> true;
            case Step.HypInit a -> true;
            case Step.Activate a -> true;
            case Step.HypGuard a -> true;
            case Step.SharedPoolDynamic a -> true;
            case Step.SharedPoolStatic a -> true;
            case Step.AllocShared a -> true;
            case Step.DeallocShared a -> true;
            case Step.UnshareAll a -> true;
            default -> false;
        };
    }

    /** The {@link Outcome.Invalid} of a {@link #seedOnly} step on a later era's tracker (the same in both engines). */
    public static Outcome.Invalid seedOnlyOutcome(Step step) {
        return new Outcome.Invalid("step '" + step.text() + "' runs on the 2023-05 tracker only");
    }

    /**
     * The {@link Outcome.Invalid} of a step only the later eras' trackers have ({@code console-unmap}) on the 2023-05
     * tracker (the same in both engines).
     */
    public static Outcome.Invalid laterOnlyOutcome(Step step) {
        return new Outcome.Invalid("step '" + step.text() + "' runs on a later era's tracker only (2023-05: hyp-unmap)");
    }

    /** The tracker as the 2023-05 one, for the steps only it has; another era's is a {@link SeedOnlyStep}. */
    private MemoryTracker seed(Step step) {
        if (tracker() instanceof MemoryTracker seed) {
            return seed;
        }
        throw new SeedOnlyStep(seedOnlyOutcome(step).message());
    }

    /** A step of the 2023-05 tracker's on another era's tracker. */
    static final class SeedOnlyStep extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SeedOnlyStep(String message) {
            super(message, null, false, false);
        }
    }

    /** The hypervisor's currently guard-mapped IPAs (tracker scenarios), ascending. */
    @Override
    public List<Long> guardMapped() {
        return hyp == null ? List.of() : List.copyOf(hyp.guardMapped());
    }

    private RootTable live() {
        if (root == null) {
            throw new CratePanic("no root table (the 'table' step failed or 'drop' already ran)");
        }
        return root;
    }

    /**
     * Records each invocation. A {@link CratePanic} from the updater (the seed's {@code expect}/{@code assert!}) is a
     * panic of the step, as in Rust; any other exception is the updater failing, reported as {@code updater aborted}.
     */
    static PteUpdater tracing(PteUpdater inner, List<TraceEntry> trace) {
        return (range, entry, level) -> {
            long before = entry.bits();
            try {
                boolean ok = inner.update(range, entry, level);
                trace.add(new TraceEntry(range.startValue(), range.endValue(), level, before, entry.bits()));
                return ok;
            } catch (CratePanic p) {
                trace.add(new TraceEntry(range.startValue(), range.endValue(), level, before, entry.bits()));
                throw new UpdaterFailure(new Outcome.Panicked(Outcome.PanicKind.NONE, p.getMessage()));
            } catch (RuntimeException | AssertionError e) {
                trace.add(new TraceEntry(range.startValue(), range.endValue(), level, before, entry.bits()));
                throw new UpdaterFailure(new Outcome.Panicked(Outcome.PanicKind.CALLBACK, Outcome.UPDATER_ABORTED));
            }
        };
    }

    /** Carries an updater's failure out of the walk. */
    static final class UpdaterFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Outcome outcome;

        UpdaterFailure(Outcome outcome) {
            super(outcome.text(), null, false, false);
            this.outcome = outcome;
        }
    }

    @Override
    public MemorySegment image() {
        return arena.segment();
    }

    @Override
    public java.util.OptionalLong rootPa() {
        return root == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(root.toPhysical().value());
    }

    @Override
    public java.util.Optional<String> debugDump() {
        if (root == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(root.debug());
        } catch (CratePanic e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            if (tracker != null) {
                tracker.close();
            } else if (root != null) {
                root.close();
            }
        } catch (CratePanic ignored) {
            // A table left in a state the crate cannot drop (e.g. a bogus table); the arena goes anyway.
        } finally {
            arena.close();
        }
    }
}
