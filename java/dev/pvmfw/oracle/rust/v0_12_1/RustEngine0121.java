package dev.pvmfw.oracle.rust.v0_12_1;

import static dev.pvmfw.bindings.v0_12_1.PvmfwPagingOracle0121.*;

import dev.pvmfw.bindings.v0_12_1.PvpAction;
import dev.pvmfw.bindings.v0_12_1.PvpHypCall;
import dev.pvmfw.bindings.v0_12_1.PvpResult;
import dev.pvmfw.bindings.v0_12_1.PvpTraceEntry;
import dev.pvmfw.bindings.v0_12_1.PvpUpdater;
import dev.pvmfw.bindings.v0_12_1.PvpVisitor;
import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.oracle.engine.Engine;
import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.engine.TraceEntry;
import dev.pvmfw.oracle.engine.v0_12_1.Errors;
import dev.pvmfw.oracle.engine.v0_12_1.JavaTrackerEngine0121;
import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.oracle.scenario.Updater;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.VirtualAddress;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.v0_12_1.MapError;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The real aarch64-paging 0.12.1, through its oracle library: a {@code Mapping} of the scenario's regime over an arena
 * that is a segment of ours, read directly and read-only (Java never writes the crate's memory). Each step is one
 * downcall. For an edit, the library calls a Java upcall for each leaf; the upcall asks the scenario's
 * {@link Updater.Edit#decide edit} (the decision the Java engine applies), writes the action into the
 * {@code PvpAction} the library handed it, and the library performs it through the crate's own
 * {@code UpdatableDescriptor::set} or {@code modify_flags} and traces what became of it. Every downcall goes through
 * {@code Calls.call}, so FFM failures are {@link OracleCallException}s.
 *
 * <p>A tracker scenario ({@code tracker} first) runs pvmfw's tracker of the step's era on the crate
 * ({@code pvp0121_tracker_*}: our Rust transcription of that era's tracker over 0.12.1, {@code native/
 * aarch64-paging-0.12.1/src}); the calls of pvmfw's own callbacks inside each step are read from the handle's trace,
 * the hypervisor's calls from its log, as {@code RustEngine} does on 0.4.0. This project's corrected flows
 * ({@code 2024-05+fix}) have no Rust side: their {@code tracker} step is {@link Outcome.Invalid}.
 *
 * <p>Confined to the thread that made it. {@link OracleLibrary0121#require()} must have succeeded.
 */
public final class RustEngine0121 implements Engine {
    /** The bits of a descriptor's output address (bits 12..47). */
    private static final long OUTPUT_ADDRESS = 0x0000_ffff_ffff_f000L;

    private final Arena arena = Arena.ofConfined();
    private final Scenario scenario;
    private final MemorySegment tables;
    private final MemorySegment tablesReadOnly;
    private final MemorySegment result;
    private final MemorySegment traceLen;
    private final MemorySegment updater;
    private final MemorySegment visitor;
    /**
     * The library's trace of the callback calls of a step: at most one call per leaf in the dry run and one in the
     * real pass, and every leaf is an entry of one of at most {@code slots} tables, so {@code 2 · 512 · slots} entries
     * always suffice (capped at {@link #MAX_TRACE}); allocated at the first modify or walk.
     */
    private MemorySegment trace = MemorySegment.NULL;
    private final long traceCap;
    /** The most trace entries an engine allocates (48 MiB); a step that makes more calls is {@code invalid}. */
    static final long MAX_TRACE = 1 << 20;
    private MemorySegment logBuf;
    private int logSeen;
    private static final int[] NO_EVENTS = new int[0];
    private final BitSet allocated = new BitSet();
    private MemorySegment handle = MemorySegment.NULL;
    private boolean dropped;
    private boolean leaked;
    /** The handle is a tracker's ({@code pvp0121_tracker_new}), of a later era ({@code laterEra}) or the seed's. */
    private boolean tracker;
    private boolean laterEra;
    private final MemorySegment handleOut;
    private static final long HYP_BUF = 256;
    private final MemorySegment hypBuf;
    private MemorySegment trackerTraceBuf;
    private long hypSeen;
    private long trackerTraceSeen;

    // The callback of the step in progress, read by the upcalls, and its calls so far.
    private Updater.Edit currentEdit;
    private Updater.Failure currentWalk;
    private int calls;

    /**
     * An engine for {@code scenario}: memory for an arena of its slot count, in which the library builds the crate's
     * tables at the scenario's PA base, held until {@link #close}; the mapping itself is made by the steps.
     *
     * @throws OracleUnavailableException if the library is not loaded and verified
     */
    public RustEngine0121(Scenario scenario) throws OracleUnavailableException {
        OracleLibrary0121.require();
        this.scenario = scenario;
        this.tables = arena.allocate((long) scenario.slots() * TableLayout.TABLE_SIZE, TableLayout.TABLE_ALIGNMENT);
        this.tablesReadOnly = tables.asReadOnly();
        this.result = PvpResult.allocate(arena);
        this.traceLen = arena.allocate(ValueLayout.JAVA_LONG);
        this.traceCap = Math.min(MAX_TRACE, 2L * TableLayout.ENTRIES_PER_TABLE * scenario.slots() + 16);
        this.logBuf = arena.allocate(ValueLayout.JAVA_INT, 1024);
        this.updater = PvpUpdater.allocate(this::onUpdate, arena);
        this.visitor = PvpVisitor.allocate(this::onVisit, arena);
        this.handleOut = arena.allocate(ValueLayout.ADDRESS);
        this.hypBuf = PvpHypCall.allocateArray(HYP_BUF, arena);
        this.trackerTraceBuf = PvpTraceEntry.allocateArray(64, arena);
    }

    @Override
    public String name() {
        return "rust";
    }

    @Override
    public StepResult apply(Step step) {
        if (step instanceof Step.NewTracker || tracker) {
            return applyTracker(step);
        }
        List<TraceEntry> traced = new ArrayList<>();
        if (!(step instanceof Step.NewTable) && live().equals(MemorySegment.NULL)) {
            // As the Java engine: no mapping to call (the 'table' step failed, or 'drop' ran).
            return new StepResult(new Outcome.Panicked(Outcome.PanicKind.NONE, Errors.NO_MAPPING), traced,
                    newEvents());
        }
        Outcome outcome = switch (step) {
            case Step.NewTable t -> {
                MemorySegment h = Calls.call("table_new", () -> pvp0121_table_new(tables, scenario.slots(),
                        scenario.paBase(), regime(t.regime()), t.level(), vaRange(t.vaRange()), t.asid(), result));
                handle = h;
                yield outcome(PvpResult.code(result));
            }
            case Step.MapRange m -> outcome(Calls.callInt("map_range", () -> pvp0121_table_map_range(live(),
                    m.start(), m.end(), m.pa(), m.flags().bits(), m.constraints(), result)));
            case Step.ModifyRange m -> {
                if (!(m.updater() instanceof Updater.Edit e)) {
                    yield new Outcome.Invalid("the 0.12.1 oracle runs edit: updaters only");
                }
                currentEdit = e;
                calls = 0;
                traceBuffer();
                try {
                    yield traced(traced, Calls.callInt("modify_range", () -> pvp0121_table_modify_range(live(),
                            m.start(), m.end(), updater, MemorySegment.NULL, trace, traceCap, traceLen, result)));
                } finally {
                    currentEdit = null;
                }
            }
            case Step.WalkRange w -> {
                currentWalk = w.fail();
                calls = 0;
                traceBuffer();
                try {
                    yield traced(traced, Calls.callInt("walk_range", () -> pvp0121_table_walk_range(live(),
                            w.start(), w.end(), visitor, MemorySegment.NULL, trace, traceCap, traceLen, result)));
                } finally {
                    currentWalk = null;
                }
            }
            case Step.CompactSubtables c -> outcome(Calls.callInt("compact_subtables",
                    () -> pvp0121_table_compact_subtables(live(), result)));
            case Step.Activate a -> {
                Outcome o = outcome(Calls.callInt("activate", () -> pvp0121_table_activate(live(), result)));
                yield o instanceof Outcome.Ok ? new Outcome.Value(PvpResult.value0(result)) : o;
            }
            case Step.Deactivate d -> outcome(Calls.callInt("deactivate",
                    () -> pvp0121_table_deactivate(live(), d.previousTtbr(), result)));
            case Step.MarkActive a -> outcome(Calls.callInt("mark_active",
                    () -> pvp0121_table_mark_active(live(), result)));
            case Step.MarkInactive i -> outcome(Calls.callInt("mark_inactive",
                    () -> pvp0121_table_mark_inactive(live(), result)));
            case Step.DropTable d -> drop();
            default -> new Outcome.Invalid("'" + step.text() + "' is no step of profile 0.12.1");
        };
        return new StepResult(outcome, traced, newEvents());
    }

    /**
     * The library's {@code PVP_ERA_*} code of an era id ({@code 2023-05} or none named, {@code 2023-11},
     * {@code 2024-05}); -1 for an era the library does not have (this project's corrected flows).
     */
    static int eraCode(String eraId) {
        if (eraId == null) {
            return PVP_ERA_2023_05();
        }
        return switch (eraId) {
            case "2023-05" -> PVP_ERA_2023_05();
            case "2023-11" -> PVP_ERA_2023_11();
            case "2024-05" -> PVP_ERA_2024_05();
            default -> -1;
        };
    }

    /** One step of a tracker scenario. */
    private StepResult applyTracker(Step step) {
        List<TraceEntry> traced = new ArrayList<>();
        if (!(step instanceof Step.NewTracker) && live().equals(MemorySegment.NULL)) {
            return new StepResult(new Outcome.Panicked(Outcome.PanicKind.NONE, JavaTrackerEngine0121.NO_TRACKER),
                    traced, newEvents(), newHypCalls());
        }
        if (laterEra && JavaEngine.seedOnly(step)) {
            // A step the later eras' trackers do not have: refused before the library, as the Java engine refuses it.
            return new StepResult(JavaEngine.seedOnlyOutcome(step), traced, newEvents(), newHypCalls());
        }
        if (!laterEra && step instanceof Step.ConsoleUnmap) {
            // A step only the later eras' trackers have: refused before the library, as the Java engine refuses it.
            return new StepResult(JavaEngine.laterOnlyOutcome(step), traced, newEvents(), newHypCalls());
        }
        MemorySegment h = live();
        Outcome outcome = switch (step) {
            case Step.NewTracker t when eraCode(t.era()) < 0 -> new Outcome.Invalid("the Rust oracle has no era "
                    + t.era() + " (this project's corrected flows have no Rust side)");
            case Step.NewTracker t -> {
                int era = eraCode(t.era());
                Outcome o = outcome(Calls.callInt("tracker_new", () -> pvp0121_tracker_new(tables, scenario.slots(),
                        scenario.paBase(), era, t.ramEnd(), t.compatAndroid13() ? 1 : 0, t.mmioGuard() ? 1 : 0,
                        t.granule(), t.entry() ? 1 : 0, handleOut, result)));
                MemorySegment made = handleOut.get(ValueLayout.ADDRESS, 0);
                if (!made.equals(MemorySegment.NULL)) {
                    // Also when making the tracker panicked: the handle keeps the page table the era made.
                    handle = made;
                    tracker = true;
                    laterEra = era != PVP_ERA_2023_05();
                }
                yield o;
            }
            case Step.PageTableMap m -> outcome(Calls.callInt("tracker_map", () -> pvp0121_tracker_map(h,
                    pageTableSet(m.set()), m.start(), m.end(), result)));
            case Step.MapRange m -> outcome(Calls.callInt("map_range", () -> pvp0121_table_map_range(h,
                    m.start(), m.end(), m.pa(), m.flags().bits(), m.constraints(), result)));
            case Step.Activate a -> {
                // pvmfw's page_table.activate() (2023-05 main_wrapper) on the tracker's Mapping
                Outcome o = outcome(Calls.callInt("activate", () -> pvp0121_table_activate(h, result)));
                yield o instanceof Outcome.Ok ? new Outcome.Value(PvpResult.value0(result)) : o;
            }
            case Step.ModifyRange m -> {
                if (!(m.updater() instanceof Updater.Edit e)) {
                    yield new Outcome.Invalid("the 0.12.1 oracle runs edit: updaters only");
                }
                currentEdit = e;
                calls = 0;
                traceBuffer();
                try {
                    yield traced(traced, Calls.callInt("modify_range", () -> pvp0121_table_modify_range(h,
                            m.start(), m.end(), updater, MemorySegment.NULL, trace, traceCap, traceLen, result)));
                } finally {
                    currentEdit = null;
                }
            }
            case Step.MmioMap m -> outcome(Calls.callInt("tracker_map_mmio_range",
                    () -> pvp0121_tracker_map_mmio_range(h, m.start(), m.end(), result)));
            case Step.Fault f -> outcome(Calls.callInt("tracker_handle_mmio_fault",
                    () -> pvp0121_tracker_handle_mmio_fault(h, f.addr(), result)));
            case Step.MmioUnmapAll u -> outcome(Calls.callInt("tracker_mmio_unmap_all",
                    () -> pvp0121_tracker_mmio_unmap_all(h, result)));
            case Step.ConsoleUnmap c -> outcome(Calls.callInt("tracker_console_unmap",
                    () -> pvp0121_tracker_console_unmap(h, result)));
            case Step.AllocRange a -> outcome(Calls.callInt("tracker_alloc_range", () -> pvp0121_tracker_alloc_range(h,
                    a.start(), a.end(), a.readWrite() ? 1 : 0, result)));
            case Step.Alloc a -> outcome(Calls.callInt("tracker_alloc", () -> pvp0121_tracker_alloc(h, a.base(),
                    a.size(), a.readWrite() ? 1 : 0, result)));
            case Step.Shrink s -> outcome(Calls.callInt("tracker_shrink", () -> pvp0121_tracker_shrink(h, s.start(),
                    s.end(), result)));
            case Step.HypInit i -> outcome(Calls.callInt("tracker_mmio_guard_init",
                    () -> pvp0121_tracker_mmio_guard_init(h, result)));
            case Step.HypGuard g -> outcome(Calls.callInt("tracker_mmio_guard", () -> pvp0121_tracker_mmio_guard(h,
                    g.ipa(), g.unmap() ? 1 : 0, result)));
            case Step.SharedPoolDynamic d -> outcome(Calls.callInt("tracker_init_dynamic_shared_pool",
                    () -> pvp0121_tracker_init_dynamic_shared_pool(h, result)));
            case Step.SharedPoolStatic p -> outcome(Calls.callInt("tracker_init_static_shared_pool",
                    () -> pvp0121_tracker_init_static_shared_pool(h, p.start(), p.end(), result)));
            case Step.AllocShared a -> {
                Outcome o = outcome(Calls.callInt("tracker_alloc_shared", () -> pvp0121_tracker_alloc_shared(h,
                        a.size(), a.align(), result)));
                yield o instanceof Outcome.Ok ? new Outcome.Value(PvpResult.value0(result)) : o;
            }
            case Step.DeallocShared d -> outcome(Calls.callInt("tracker_dealloc_shared",
                    () -> pvp0121_tracker_dealloc_shared(h, d.addr(), d.size(), d.align(), result)));
            case Step.UnshareAll u -> outcome(Calls.callInt("tracker_unshare_all_memory",
                    () -> pvp0121_tracker_unshare_all_memory(h, result)));
            case Step.InjectAtCall i -> outcome(Calls.callInt("tracker_inject_at_call",
                    () -> pvp0121_tracker_inject_at_call(h, i.call(), i.x0(), result)));
            case Step.InjectNth i -> outcome(Calls.callInt("tracker_inject_nth", () -> pvp0121_tracker_inject_nth(h,
                    i.function().functionId(), i.n(), i.x0(), result)));
            case Step.InjectFor i -> outcome(Calls.callInt("tracker_inject_for", () -> pvp0121_tracker_inject_for(h,
                    i.functionId(), i.argument(), i.x0(), result)));
            case Step.ClearInjections c -> outcome(Calls.callInt("tracker_clear_injections",
                    () -> pvp0121_tracker_clear_injections(h, result)));
            case Step.DropTable d -> {
                dropped = true;
                yield outcome(Calls.callInt("tracker_drop", () -> pvp0121_tracker_drop(h, result)));
            }
            default -> new Outcome.Invalid(JavaTrackerEngine0121.NOT_A_TRACKER_STEP + step.text());
        };
        if (!(step instanceof Step.ModifyRange)) {
            traced.addAll(newTrackerTrace());
        }
        return new StepResult(outcome, traced, newEvents(), newHypCalls());
    }

    /** The library's {@code PVP_PAGE_TABLE_MAP_*} code of one of pvmfw's page-table mapping functions. */
    static int pageTableSet(Step.PageTableSet set) {
        return switch (set) {
            case CODE -> PVP_PAGE_TABLE_MAP_CODE();
            case DATA -> PVP_PAGE_TABLE_MAP_DATA();
            case RODATA -> PVP_PAGE_TABLE_MAP_RODATA();
            case DEVICE -> PVP_PAGE_TABLE_MAP_DEVICE();
        };
    }

    /**
     * The calls of pvmfw's own callbacks inside tracker calls since the last step, from the handle's trace
     * ({@code pvp0121_tracker_trace}: the library records them; Java only reads the record).
     */
    private List<TraceEntry> newTrackerTrace() {
        if (handle.equals(MemorySegment.NULL)) {
            return List.of();
        }
        long cap = trackerTraceBuf.byteSize() / PvpTraceEntry.sizeof();
        long total = Calls.call("tracker_trace", () -> pvp0121_tracker_trace(handle, trackerTraceSeen,
                trackerTraceBuf, cap));
        if (total <= trackerTraceSeen) {
            return List.of();
        }
        long n = total - trackerTraceSeen;
        if (n > cap) {
            trackerTraceBuf = PvpTraceEntry.allocateArray(Math.max(n, 2 * cap), arena);
            MemorySegment bigger = trackerTraceBuf;
            Calls.call("tracker_trace", () -> pvp0121_tracker_trace(handle, trackerTraceSeen, bigger, n));
        }
        List<TraceEntry> fresh = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            MemorySegment e = PvpTraceEntry.asSlice(trackerTraceBuf, i);
            fresh.add(new TraceEntry(PvpTraceEntry.start(e), PvpTraceEntry.end(e), PvpTraceEntry.level(e),
                    PvpTraceEntry.before(e), PvpTraceEntry.after(e)));
        }
        trackerTraceSeen = total;
        return fresh;
    }

    /** The hypervisor calls since the last step, from the handle's log ({@code pvp0121_tracker_hyp_log}). */
    private List<HypCall> newHypCalls() {
        if (!tracker || handle.equals(MemorySegment.NULL)) {
            return List.of();
        }
        long total = Calls.call("tracker_hyp_log", () -> pvp0121_tracker_hyp_log(handle, hypSeen, hypBuf, HYP_BUF));
        List<HypCall> fresh = new ArrayList<>();
        while (hypSeen < total) {
            long n = Math.min(total - hypSeen, HYP_BUF);
            for (long i = 0; i < n; i++) {
                MemorySegment c = PvpHypCall.asSlice(hypBuf, i);
                fresh.add(new HypCall(PvpHypCall.function_id(c), PvpHypCall.argument(c), PvpHypCall.x0(c)));
            }
            hypSeen += n;
            if (hypSeen < total) {
                long from = hypSeen;
                Calls.call("tracker_hyp_log", () -> pvp0121_tracker_hyp_log(handle, from, hypBuf, HYP_BUF));
            }
        }
        return fresh;
    }

    /** The handle, NULL if the mapping was not made or is dropped (the library answers PVP_INVALID_ARGUMENT). */
    private MemorySegment live() {
        return dropped || leaked ? MemorySegment.NULL : handle;
    }

    /**
     * The crate's drop. Dropping an active mapping panics in {@code Drop} and frees the tables while unwinding; a
     * table entry that points at no allocated table (an updater can write one) would make that free panic too, and a
     * panic while panicking aborts the process, which no outcome can report: then the drop is not made (the handle is
     * kept, never freed) and the step is {@link Outcome.Invalid}.
     */
    private Outcome drop() {
        String bogus = activeDropWouldAbort();
        if (bogus != null) {
            leaked = true;
            return new Outcome.Invalid(ABORT + bogus);
        }
        dropped = true;
        return outcome(Calls.callInt("table_drop", () -> pvp0121_table_drop(handle, result)));
    }

    /** The message of a drop the crate would abort on. */
    public static final String ABORT = "the crate would abort the process (a panic while the drop of an active "
            + "mapping unwinds): ";

    /** Why dropping the live handle would abort the process, or null if it would not. */
    private String activeDropWouldAbort() {
        newEvents();
        int active = Calls.callInt("active", () -> pvp0121_table_active(handle));
        long rootPa = Calls.call("root_pa", () -> pvp0121_table_root_pa(handle));
        if (active != 1 || rootPa == -1L) {
            return null;
        }
        BitSet seen = new BitSet();
        return bogusTable(slotOf(rootPa), Math.max(0, scenario.rootLevel()), seen);
    }

    private String bogusTable(int slot, int level, BitSet seen) {
        if (slot < 0 || !allocated.get(slot) || seen.get(slot)) {
            return "a table entry points at slot " + slot + ", which is no table of its own";
        }
        seen.set(slot);
        if (level >= 3) {
            return null;
        }
        for (int i = 0; i < TableLayout.ENTRIES_PER_TABLE; i++) {
            long d = tablesReadOnly.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) slot * TableLayout.TABLE_SIZE + 8L * i);
            if ((d & 3) == 3) {
                String why = bogusTable(slotOf(d & OUTPUT_ADDRESS), level + 1, seen);
                if (why != null) {
                    return why;
                }
            }
        }
        return null;
    }

    private int slotOf(long pa) {
        long off = pa - scenario.paBase();
        return off < 0 || off / TableLayout.TABLE_SIZE >= scenario.slots() || off % TableLayout.TABLE_SIZE != 0 ? -1
                : (int) (off / TableLayout.TABLE_SIZE);
    }

    private void traceBuffer() {
        if (trace.equals(MemorySegment.NULL)) {
            trace = PvpTraceEntry.allocateArray(traceCap, arena);
        }
    }

    /** The outcome of a modify or walk, with the library's trace of the calls added to {@code into}. */
    private Outcome traced(List<TraceEntry> into, int code) {
        long n = traceLen.get(ValueLayout.JAVA_LONG, 0);
        Outcome o = outcome(code);
        if (n > traceCap) {
            return new Outcome.Invalid("the step made " + n + " callback calls, more than the " + traceCap + " traced");
        }
        for (long i = 0; i < n; i++) {
            MemorySegment e = PvpTraceEntry.asSlice(trace, i);
            into.add(new TraceEntry(PvpTraceEntry.start(e), PvpTraceEntry.end(e), PvpTraceEntry.level(e),
                    PvpTraceEntry.before(e), PvpTraceEntry.after(e), TraceEntry.status(PvpTraceEntry.applied(e),
                            PvpTraceEntry.updated(e) != 0, PvpTraceEntry.result(e) != PVP_UPDATER_OK())));
        }
        return o;
    }

    /**
     * The updater upcall: Java decides, the crate applies. Never throws (an exception cannot cross the upcall):
     * anything unexpected — no edit in progress, a ctx that is not ours, a NULL action — answers
     * {@code PVP_UPDATER_ABORT}, which the step reports as a callback panic, a divergence from the Java engine.
     */
    private int onUpdate(MemorySegment ctx, long start, long end, long bits, int level, MemorySegment action) {
        try {
            Updater.Edit e = currentEdit;
            if (e == null || ctx.address() != 0) {
                return PVP_UPDATER_ABORT();
            }
            MemorySegment out = NativeAccess0121.sized(action, PvpAction.sizeof());
            Updater.Decision d = e.decide(++calls, start, level, bits);
            switch (d.action()) {
                case Updater.Action.None n -> PvpAction.kind(out, PVP_ACTION_NONE());
                case Updater.Action.ModifyFlags f -> {
                    PvpAction.kind(out, PVP_ACTION_MODIFY_FLAGS());
                    PvpAction.arg0(out, f.set().bits());
                    PvpAction.arg1(out, f.clear().bits());
                }
                case Updater.Action.Set s -> {
                    PvpAction.kind(out, PVP_ACTION_SET());
                    PvpAction.arg0(out, s.pa());
                    PvpAction.arg1(out, s.flags().bits());
                }
            }
            return d.ok() ? PVP_UPDATER_OK() : PVP_UPDATER_ERR();
        } catch (RuntimeException ex) {
            return PVP_UPDATER_ABORT();
        }
    }

    /** The visitor upcall: Err where the walk's failure says. Never throws. */
    private int onVisit(MemorySegment ctx, long start, long end, long bits, int level) {
        try {
            Updater.Failure f = currentWalk;
            if (f == null || ctx.address() != 0) {
                return PVP_UPDATER_ABORT();
            }
            return f.fails(++calls, start, level, bits) ? PVP_UPDATER_ERR() : PVP_UPDATER_OK();
        } catch (RuntimeException ex) {
            return PVP_UPDATER_ABORT();
        }
    }

    /**
     * The outcome the library reported: {@code code} and the {@code PvpResult} it filled in. Every text is the
     * library's; the payload is Java's Debug text of the error rebuilt from {@code value0}/{@code value1}.
     */
    private Outcome outcome(int code) {
        if (code == PVP_OK()) {
            return new Outcome.Ok();
        }
        String message = text(PvpResult.message(result), PvpResult.message_len(result));
        String debug = text(PvpResult.debug(result), PvpResult.debug_len(result));
        if (code == PVP_PANIC()) {
            return new Outcome.Panicked(panicKind(PvpResult.kind(result)), message);
        }
        if (code == PVP_ERR_TRACKER()) {
            return new Outcome.TrackerFailed(debug, message);
        }
        if (code == PVP_ERR_HYP()) {
            return new Outcome.HypFailed(debug, message);
        }
        MapError error = mapError(code, PvpResult.value0(result), PvpResult.value1(result));
        return error == null ? new Outcome.Invalid("code " + code + ": " + message)
                : new Outcome.Err(error.toString(), debug, message);
    }

    /** The {@code MapError} a {@code PVP_ERR_*} code and payload name, or null for another code. */
    static MapError mapError(int code, long v0, long v1) {
        if (code == PVP_ERR_ADDRESS_RANGE()) {
            return new MapError.AddressRange(new VirtualAddress(v0));
        } else if (code == PVP_ERR_INVALID_VIRTUAL_ADDRESS()) {
            return new MapError.InvalidVirtualAddress(new VirtualAddress(v0));
        } else if (code == PVP_ERR_REGION_BACKWARDS()) {
            return new MapError.RegionBackwards(MemoryRegion.of(v0, v1));
        } else if (code == PVP_ERR_PTE_UPDATE_FAULT()) {
            return new MapError.PteUpdateFault(v0);
        } else if (code == PVP_ERR_INVALID_FLAGS()) {
            return new MapError.InvalidFlags(v0);
        } else if (code == PVP_ERR_BREAK_BEFORE_MAKE_VIOLATION()) {
            return new MapError.BreakBeforeMakeViolation(MemoryRegion.of(v0, v1));
        }
        return null;
    }

    /** The panic kind the library reports as {@code PVP_KIND_*}. */
    static Outcome.PanicKind panicKind(int kind) {
        if (kind == PVP_KIND_NONE()) {
            return Outcome.PanicKind.NONE;
        } else if (kind == PVP_KIND_EXHAUSTED()) {
            return Outcome.PanicKind.EXHAUSTED;
        } else if (kind == PVP_KIND_BAD_ADDRESS()) {
            return Outcome.PanicKind.BAD_ADDRESS;
        } else if (kind == PVP_KIND_BAD_FREE()) {
            return Outcome.PanicKind.BAD_FREE;
        }
        return Outcome.PanicKind.CALLBACK;
    }

    /** The library's {@code PVP_REGIME_*} code of a regime. */
    static int regime(TranslationRegime regime) {
        return switch (regime) {
            case EL1_AND_0 -> PVP_REGIME_EL1_AND_0();
            case EL2_AND_0 -> PVP_REGIME_EL2_AND_0();
            case EL2 -> PVP_REGIME_EL2();
            case EL3 -> PVP_REGIME_EL3();
            case STAGE2 -> PVP_REGIME_STAGE2();
        };
    }

    /** The library's {@code PVP_VA_RANGE_*} code of a VA range. */
    static int vaRange(VaRange range) {
        return switch (range) {
            case LOWER -> PVP_VA_RANGE_LOWER();
            case UPPER -> PVP_VA_RANGE_UPPER();
        };
    }

    private static String text(MemorySegment bytes, int len) {
        return new String(bytes.asSlice(0, Math.min(Math.max(len, 0), bytes.byteSize())).toArray(
                ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /**
     * The arena events since the last call. {@code pvp0121_table_event_log} copies the whole log, so it is first asked
     * for the count alone (a NULL buffer copies nothing) and only copied when the count grew: most steps allocate and
     * free nothing.
     */
    private int[] newEvents() {
        if (handle.equals(MemorySegment.NULL)) {
            return NO_EVENTS;
        }
        long count = Calls.call("event_log", () -> pvp0121_table_event_log(handle, MemorySegment.NULL, 0));
        if (count == logSeen) {
            return NO_EVENTS;
        }
        long cap = logBuf.byteSize() / Integer.BYTES;
        long total = Calls.call("event_log", () -> pvp0121_table_event_log(handle, logBuf, logBuf.byteSize()
                / Integer.BYTES));
        if (total > cap) {
            logBuf = arena.allocate(ValueLayout.JAVA_INT, Math.max(total, 2 * cap));
            long all = logBuf.byteSize() / Integer.BYTES;
            total = Calls.call("event_log", () -> pvp0121_table_event_log(handle, logBuf, all));
        }
        int[] fresh = logBuf.asSlice((long) logSeen * Integer.BYTES, (total - logSeen) * Integer.BYTES)
                .toArray(ValueLayout.JAVA_INT);
        logSeen = (int) total;
        for (int e : fresh) {
            if (e >= 0) {
                allocated.set(e);
            } else {
                allocated.clear(~e);
            }
        }
        return fresh;
    }

    /** The Rust side's arena, read-only: Java never writes the crate's memory. */
    @Override
    public MemorySegment image() {
        return tablesReadOnly;
    }

    /** The crate's {@code root_address()}, as {@code pvp0121_table_root_pa} reports it. */
    @Override
    public OptionalLong rootPa() {
        if (live().equals(MemorySegment.NULL)) {
            return OptionalLong.empty();
        }
        long pa = Calls.call("root_pa", () -> pvp0121_table_root_pa(handle));
        return pa == -1L ? OptionalLong.empty() : OptionalLong.of(pa);
    }

    /** The crate's {@code Debug} of the {@code Mapping}; empty without one or when formatting panics (length 0). */
    @Override
    public Optional<String> debugDump() {
        if (live().equals(MemorySegment.NULL)) {
            return Optional.empty();
        }
        long len = Calls.call("table_debug", () -> pvp0121_table_debug(handle, MemorySegment.NULL, 0));
        if (len == 0) {
            return Optional.empty();
        }
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment buf = scratch.allocate(len);
            long n = Calls.call("table_debug", () -> pvp0121_table_debug(handle, buf, len));
            return Optional.of(new String(buf.asSlice(0, Math.min(n, len)).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8));
        }
    }

    /** The hypervisor's currently guard-mapped IPAs (tracker scenarios), ascending; none for a table scenario. */
    @Override
    public List<Long> guardMapped() {
        if (!tracker || handle.equals(MemorySegment.NULL)) {
            return List.of();
        }
        long n = Calls.call("tracker_guard_mapped", () -> pvp0121_tracker_guard_mapped(handle, MemorySegment.NULL, 0));
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment buf = scratch.allocate(ValueLayout.JAVA_LONG, Math.max(1, n));
            Calls.call("tracker_guard_mapped", () -> pvp0121_tracker_guard_mapped(handle, buf, n));
            List<Long> out = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                out.add(buf.getAtIndex(ValueLayout.JAVA_LONG, i));
            }
            return out;
        }
    }

    /**
     * Frees the handle (dropping the mapping first if no step did) and the memory. A handle whose drop would abort
     * the process is never freed: the library keeps it, and the arena memory with it.
     */
    @Override
    public void close() {
        if (leaked) {
            return; // the library still points into the arena: it must outlive the handle
        }
        try {
            if (!handle.equals(MemorySegment.NULL)) {
                if (tracker && !dropped) {
                    // The tracker's drop first (it deactivates pvmfw's live table), so freeing drops nothing active.
                    Calls.callInt("tracker_drop", () -> pvp0121_tracker_drop(handle, result));
                    dropped = true;
                }
                if (!dropped && activeDropWouldAbort() != null) {
                    leaked = true;
                    return;
                }
                Calls.call("table_free", () -> {
                    pvp0121_table_free(handle);
                    return null;
                });
                handle = MemorySegment.NULL;
            }
        } finally {
            if (!leaked) {
                arena.close();
            }
        }
    }
}
