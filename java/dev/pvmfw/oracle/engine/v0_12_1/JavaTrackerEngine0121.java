package dev.pvmfw.oracle.engine.v0_12_1;

import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.era.ScenarioTracker;
import dev.pvmfw.era.TrackerException;
import dev.pvmfw.era.TrackerFactory;
import dev.pvmfw.era2023_05.HypException;
import dev.pvmfw.era2023_05.MemoryTracker;
import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.oracle.engine.Engine;
import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.engine.TraceEntry;
import dev.pvmfw.oracle.engine.TracingMmuOps;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.paging.port.MmuOpsException;
import dev.pvmfw.paging.v0_12_1.El1Attributes;
import dev.pvmfw.paging.v0_12_1.MapException;
import dev.pvmfw.paging.v0_12_1.Mapping;
import dev.pvmfw.paging.v0_12_1.profile.PvmfwPageTable;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The Java engine of a profile-0.12.1 <em>tracker</em> scenario: pvmfw's tracker of the step's era over pvmfw's page
 * table on 0.12.1 ({@link PvmfwPageTable} over a {@link TableArena} of the scenario's slots, libvmbase's attribute
 * sets for crates from 0.6 on) and a {@link RecordingHypervisor} — the era × crate port of
 * {@code docs/pvmfw-2024-05.md}, "The port per cell", as {@code matrix} and {@code upgrade} run it. The tracker gets
 * the page table wrapped in a {@link TracingMmuOps}, so the calls of pvmfw's own callbacks are traced; the era's code
 * is unchanged. {@code map} and {@code modify} act on the page table's {@link Mapping} as {@link JavaEngine0121} does
 * on a table scenario's (an edit's decision applied through the mirror's {@code UpdatableDescriptor}). The Rust side is
 * {@code RustEngine0121} over the library's {@code pvp0121_tracker_*}.
 */
public final class JavaTrackerEngine0121 implements Engine {
    private final TableArena arena;
    private final TrackerFactory trackers;
    private PvmfwPageTable pageTable;
    private TracingMmuOps trackerTable;
    private ScenarioTracker tracker;
    private RecordingHypervisor hyp;
    private boolean dropped;
    // The later era's tracker step, its factory and whether its hypervisor has an MMIO guard (console-unmap's).
    private Step.NewTracker laterTracker;
    private TrackerFactory laterFactory;
    private boolean laterGuard;

    /**
     * An engine for {@code scenario}: a new arena of its slot count at its PA base, released by {@link #close}; a
     * {@code tracker} step that names no era runs the tracker {@code trackers} makes, one that names its era that
     * era's.
     */
    public JavaTrackerEngine0121(Scenario scenario, TrackerFactory trackers) {
        this.arena = TableArena.create(scenario.slots(), scenario.paBase());
        this.trackers = Objects.requireNonNull(trackers);
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
            if (!(tracker instanceof MemoryTracker) && tracker != null && JavaEngine.seedOnly(step)) {
                outcome = JavaEngine.seedOnlyOutcome(step);
            } else {
                outcome = run(step, trace);
            }
        } catch (MapException e) {
            outcome = Errors.of(e.error());
        } catch (MmuOpsException e) {
            outcome = e.getCause() instanceof MapException m ? Errors.of(m.error())
                    : new Outcome.Panicked(Outcome.PanicKind.NONE, e.getMessage());
        } catch (TrackerException e) {
            outcome = new Outcome.TrackerFailed(e.error().toString(), e.error().display());
        } catch (HypException e) {
            outcome = new Outcome.HypFailed(e.error().toString(), e.error().display());
        } catch (dev.pvmfw.era.HypCallException e) {
            outcome = new Outcome.HypFailed(e.debug(), e.display());
        } catch (TranslationPanic p) {
            outcome = new Outcome.Panicked(Errors.panicKind(p.kind()), p.getMessage());
        } catch (CratePanic p) {
            outcome = new Outcome.Panicked(Outcome.PanicKind.NONE, p.getMessage());
        }
        List<HypCall> calls = hyp == null ? List.of() : hyp.callsSince(hypBefore);
        return new StepResult(outcome, trace, arena.eventsSince(logBefore), calls);
    }

    private Outcome run(Step step, List<TraceEntry> trace) throws MapException, MmuOpsException, TrackerException,
            HypException, dev.pvmfw.era.HypCallException {
        switch (step) {
            case Step.NewTracker t -> {
                hyp = new RecordingHypervisor().setMmioGuardGranule(t.granule())
                        .setMmioGuardSupported(t.mmioGuard());
                pageTable = new PvmfwPageTable(arena);
                trackerTable = new TracingMmuOps(pageTable);
                List<TraceEntry> made = trackerTable.newTrace();
                TrackerFactory factory = trackersOf(t);
                try {
                    // pvmfw's entry (entry=on) runs before its page table; made first here, as in the Rust engine
                    boolean guard = t.entry() ? factory.entry(hyp, t.compatAndroid13()) : t.mmioGuard();
                    tracker = factory.newTracker(trackerTable, hyp, t.ramEnd(), t.compatAndroid13(), guard);
                    if (!(tracker instanceof MemoryTracker)) {
                        laterTracker = t;
                        laterFactory = factory;
                        laterGuard = guard;
                    }
                } finally {
                    trace.addAll(made);
                }
            }
            case Step.ConsoleUnmap c -> {
                tracker();
                if (laterTracker == null) {
                    return JavaEngine.laterOnlyOutcome(step);
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
            case Step.MapRange m -> JavaEngine0121.map(mapping(), m);
            case Step.ModifyRange m -> JavaEngine0121.modify(mapping(), m, trace);
            case Step.Activate a -> {
                // pvmfw's page_table.activate() in the 2023-05 main_wrapper, through the tracker's table
                tracker().pageTable().activate();
                return new Outcome.Value(pageTable.previousTtbr());
            }
            case Step.MmioMap m -> tracker().mapMmioRange(m.start(), m.end());
            case Step.Fault f -> tracker().handleMmioFault(f.addr());
            case Step.MmioUnmapAll u -> tracker().mmioTeardown();
            case Step.AllocRange a -> {
                MemoryRange range = new MemoryRange(a.start(), a.end());
                if (a.readWrite()) {
                    seed().allocRangeMut(range);
                } else {
                    seed().allocRange(range);
                }
            }
            case Step.Alloc a -> {
                if (a.readWrite()) {
                    seed().allocMut(a.base(), a.size());
                } else {
                    seed().alloc(a.base(), a.size());
                }
            }
            case Step.Shrink s -> seed().shrink(new MemoryRange(s.start(), s.end()));
            case Step.HypInit h -> seed().hypervisor().mmioGuardInit();
            case Step.HypGuard h -> {
                if (h.unmap()) {
                    seed().hypervisor().mmioGuardUnmap(h.ipa());
                } else {
                    seed().hypervisor().mmioGuardMap(h.ipa());
                }
            }
            case Step.SharedPoolDynamic d -> seed().initDynamicSharedPool();
            case Step.SharedPoolStatic p -> seed().initStaticSharedPool(new MemoryRange(p.start(), p.end()));
            case Step.AllocShared a -> {
                return new Outcome.Value(seed().allocShared(a.size(), a.align()));
            }
            case Step.DeallocShared d -> seed().deallocShared(d.addr(), d.size(), d.align());
            case Step.UnshareAll u -> seed().unshareAllMemory();
            case Step.InjectAtCall i -> hypervisor().injectAtCall(i.call(), i.x0());
            case Step.InjectNth i -> hypervisor().injectNth(i.function().functionId(), i.n(), i.x0());
            case Step.InjectFor i -> hypervisor().injectFor(i.functionId(), i.argument(), i.x0());
            case Step.ClearInjections c -> hypervisor().clearInjections();
            case Step.DropTable d -> {
                live();
                dropped = true;
                ScenarioTracker closing = tracker;
                tracker = null;
                if (closing != null) {
                    closing.close();
                } else {
                    pageTable.close();
                }
            }
            default -> {
                return new Outcome.Invalid(NOT_A_TRACKER_STEP + step.text());
            }
        }
        return new Outcome.Ok();
    }

    /** Why a step that is not a tracker scenario's is invalid here (the scenario refuses it before any engine). */
    public static final String NOT_A_TRACKER_STEP = "not a step of a tracker scenario on 0.12.1: ";

    /** The tracker factory of the step's era ({@code era=}), or this engine's when the step names none. */
    private TrackerFactory trackersOf(Step.NewTracker t) {
        return t.era() == null ? trackers : dev.pvmfw.catalog.Eras.byId(t.era()).orElseThrow().trackers();
    }

    private ScenarioTracker tracker() {
        if (tracker == null) {
            throw new CratePanic(NO_TRACKER);
        }
        return tracker;
    }

    /** The panic of a step with no tracker to call (the {@code tracker} step failed, or {@code drop} ran). */
    public static final String NO_TRACKER = "no tracker (the 'tracker' step failed or 'drop' already ran)";

    /** The 2023-05 tracker, for the steps only it has (another era's is refused before this). */
    private MemoryTracker seed() {
        return (MemoryTracker) tracker();
    }

    private RecordingHypervisor hypervisor() {
        live();
        return hyp;
    }

    private void live() {
        if (pageTable == null || dropped) {
            throw new CratePanic(NO_TRACKER);
        }
    }

    private Mapping<El1Attributes> mapping() {
        live();
        return pageTable.idMap().mapping();
    }

    @Override
    public MemorySegment image() {
        return arena.segment();
    }

    @Override
    public OptionalLong rootPa() {
        return pageTable == null || dropped ? OptionalLong.empty() : OptionalLong.of(pageTable.rootPa());
    }

    /** The crate's {@code Debug} of pvmfw's {@code Mapping}; empty without one or when formatting panics. */
    @Override
    public Optional<String> debugDump() {
        if (pageTable == null || dropped) {
            return Optional.empty();
        }
        try {
            return Optional.of(pageTable.idMap().mapping().toString());
        } catch (CratePanic e) {
            return Optional.empty();
        }
    }

    @Override
    public List<Long> guardMapped() {
        return hyp == null ? List.of() : List.copyOf(hyp.guardMapped());
    }

    @Override
    public void close() {
        try {
            if (!dropped) {
                if (tracker != null) {
                    tracker.close();
                } else if (pageTable != null) {
                    pageTable.close();
                }
            }
        } catch (CratePanic ignored) {
            // A table the crate cannot drop; the arena goes anyway.
        } finally {
            arena.close();
        }
    }
}
