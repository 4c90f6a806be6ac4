package dev.pvmfw.oracle.rust;

import dev.pvmfw.oracle.engine.Engine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.engine.TraceEntry;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.oracle.scenario.Updater;

import static dev.pvmfw.bindings.v0_4_0.PvmfwPagingOracle040.*;

import dev.pvmfw.bindings.v0_4_0.PvpAction;
import dev.pvmfw.bindings.v0_4_0.PvpHypCall;
import dev.pvmfw.bindings.v0_4_0.PvpResult;
import dev.pvmfw.bindings.v0_4_0.PvpTraceEntry;
import dev.pvmfw.bindings.v0_4_0.PvpUpdater;
import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.paging.v0_4_0.MapError;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.VirtualAddress;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The real aarch64-paging 0.4.0, through the oracle library: a {@code RootTable<ArenaTranslation>} whose arena is a
 * segment of ours, so its bytes are read directly (read-only: Java never writes the crate's memory). Each step is one
 * downcall; for an {@link Updater.Edit} the library asks a Java upcall what to do with each entry and applies the
 * answer with the crate's own {@code Descriptor::modify_flags}.
 *
 * <p>Not thread-safe; one engine per thread. {@link OracleLibrary#require()} must have succeeded.
 */
public final class RustEngine implements Engine {
    private final Arena arena = Arena.ofShared();
    private final int slots;
    private final long paBase;
    private final MemorySegment tables;
    private final MemorySegment tablesReadOnly;
    private final MemorySegment result;
    private final MemorySegment handleOut;
    private final MemorySegment traceLen;
    private final MemorySegment upcall;
    private MemorySegment handle = MemorySegment.NULL;
    private MemorySegment logBuf;
    private int logSeen;
    private long hypSeen;
    private long traceSeen;
    private static final long HYP_BUF = 256;
    private final MemorySegment hypBuf;
    private MemorySegment traceBuf;
    // Whether the handle is a tracker's: only a tracker has a hypervisor log (pvp040_tracker_hyp_log answers 0 for a
    // table's handle, so a table scenario does not ask).
    private boolean tracker;

    // The edit of the modify in progress, read by the upcall.
    private Updater.Edit current;

    /**
     * An engine for {@code scenario}: memory for an arena of its slot count, in which the library builds the crate's
     * tables at the scenario's PA base, held until {@link #close}; the table itself is made by the steps.
     *
     * @throws OracleUnavailableException if the library is not loaded and verified
     */
    public RustEngine(Scenario scenario) throws OracleUnavailableException {
        OracleLibrary.require();
        this.slots = scenario.slots();
        this.paBase = scenario.paBase();
        this.tables = arena.allocate((long) slots * TableLayout.TABLE_SIZE, TableLayout.TABLE_ALIGNMENT);
        this.tablesReadOnly = tables.asReadOnly();
        this.result = PvpResult.allocate(arena);
        this.handleOut = arena.allocate(ValueLayout.ADDRESS);
        this.traceLen = arena.allocate(ValueLayout.JAVA_LONG);
        this.logBuf = arena.allocate(ValueLayout.JAVA_INT, 1024);
        this.upcall = PvpUpdater.allocate(this::onUpdate, arena);
        this.hypBuf = arena.allocate(PvpHypCall.layout(), HYP_BUF);
        this.traceBuf = arena.allocate(PvpTraceEntry.layout(), 64);
    }

    @Override
    public String name() {
        return "rust";
    }

    /** The handle is a later era's tracker ({@code pvp040_era_tracker_new}). */
    private boolean laterEra;

    /**
     * The ABI's {@code PVP_ERA_*} code of a later era's id ({@code 2023-11}, {@code 2024-05}); 0 for the seed's
     * ({@code 2023-05}, or none named), which {@code pvp040_tracker_new} makes; -1 for an era the library does not
     * have (this project's corrected flows, {@code 2024-05+fix}).
     */
    static int eraCode(String eraId) {
        if (eraId == null || eraId.equals("2023-05")) {
            return 0;
        }
        return switch (eraId) {
            case "2023-11" -> PVP_ERA_2023_11();
            case "2024-05" -> PVP_ERA_2024_05();
            default -> -1;
        };
    }

    @Override
    public StepResult apply(Step step) {
        if (laterEra && dev.pvmfw.oracle.engine.JavaEngine.seedOnly(step)) {
            // A step the later eras' trackers do not have: refused before the library, as the Java engine refuses it.
            return new StepResult(dev.pvmfw.oracle.engine.JavaEngine.seedOnlyOutcome(step), List.of(), newEvents(),
                    newHypCalls());
        }
        if (tracker && !laterEra && step instanceof Step.ConsoleUnmap) {
            // A step only the later eras' trackers have: refused before the library, as the Java engine refuses it.
            return new StepResult(dev.pvmfw.oracle.engine.JavaEngine.laterOnlyOutcome(step), List.of(), newEvents(),
                    newHypCalls());
        }
        List<TraceEntry> trace = new ArrayList<>();
        Outcome outcome = switch (step) {
            case Step.NewTable t -> {
                Outcome o = outcome(pvp040_table_new(tables, slots, paBase, t.level(), vaRange(t.vaRange()), handleOut,
                        result));
                if (o instanceof Outcome.Ok) {
                    handle = handleOut.get(ValueLayout.ADDRESS, 0);
                }
                yield o;
            }
            case Step.MapRange m -> outcome(pvp040_table_map_range(handle, m.start(), m.end(), m.pa(), m.flags().bits(),
                    result));
            case Step.ModifyRange m -> {
                // The updater's calls are read from the handle's trace below (pvp040_table_trace), which no number
                // of calls cuts short; the caller-buffer trace is not used.
                Outcome o = switch (m.updater()) {
                    case Updater.Edit e -> {
                        current = e;
                        calls = 0;
                        try {
                            yield outcome(pvp040_table_modify_range(handle, m.start(), m.end(), upcall,
                                    MemorySegment.NULL, MemorySegment.NULL, 0, traceLen, result));
                        } finally {
                            current = null;
                        }
                    }
                    case Updater.Builtin b -> outcome(pvp040_table_modify_range_builtin(handle, m.start(), m.end(),
                            builtinId(b.kind()), MemorySegment.NULL, 0, traceLen, result));
                };
                long len = traceLen.get(ValueLayout.JAVA_LONG, 0);
                List<TraceEntry> logged = newTrace();
                trace.addAll(logged);
                yield len != logged.size() ? new Outcome.Invalid("the modify made " + len + " updater calls, the "
                        + "handle's trace has " + logged.size()) : o;
            }
            case Step.DropTable d -> outcome(pvp040_table_drop_root(handle, result));
            case Step.NewTracker t when eraCode(t.era()) < 0 -> new Outcome.Invalid("the Rust oracle has no era "
                    + t.era() + " (this project's corrected flows have no Rust side)");
            case Step.NewTracker t when eraCode(t.era()) != 0 -> {
                // A later era's tracker. When making it panics (2024-05's unwrapped MmioSharer::new) the library
                // still hands out the handle with its page table, as the Java engine keeps the page table it made.
                Outcome o = outcome(pvp040_era_tracker_new(tables, slots, paBase, t.ramEnd(),
                        t.compatAndroid13() ? 1 : 0, eraCode(t.era()), t.mmioGuard() ? 1 : 0, t.granule(),
                        t.entry() ? 1 : 0, handleOut, result));
                MemorySegment made = handleOut.get(ValueLayout.ADDRESS, 0);
                if (!made.equals(MemorySegment.NULL)) {
                    handle = made;
                    laterEra = true;
                    tracker = true;
                }
                yield o;
            }
            case Step.NewTracker t -> {
                Outcome o = outcome(pvp040_tracker_new(tables, slots, paBase, t.ramEnd(), t.compatAndroid13() ? 1 : 0,
                        handleOut, result));
                if (o instanceof Outcome.Ok) {
                    handle = handleOut.get(ValueLayout.ADDRESS, 0);
                    tracker = true;
                }
                yield o;
            }
            case Step.PageTableMap m -> outcome(pvp040_tracker_map(handle, pageTableSet(m.set()), m.start(), m.end(),
                    result));
            case Step.MmioMap m -> outcome(pvp040_tracker_map_mmio_range(handle, m.start(), m.end(), result));
            case Step.Fault f -> outcome(pvp040_tracker_handle_mmio_fault(handle, f.addr(), result));
            case Step.MmioUnmapAll u -> outcome(pvp040_tracker_mmio_unmap_all(handle, result));
            case Step.ConsoleUnmap c -> outcome(pvp040_tracker_console_unmap(handle, result));
            case Step.AllocRange a -> outcome(pvp040_tracker_alloc_range(handle, a.start(), a.end(), a.readWrite() ? 1 : 0,
                    result));
            case Step.Alloc a -> outcome(pvp040_tracker_alloc(handle, a.base(), a.size(), a.readWrite() ? 1 : 0, result));
            case Step.Shrink s -> outcome(pvp040_tracker_shrink(handle, s.start(), s.end(), result));
            case Step.HypInit h -> outcome(pvp040_tracker_mmio_guard_init(handle, result));
            case Step.HypGuard h -> outcome(pvp040_tracker_mmio_guard(handle, h.ipa(), h.unmap() ? 1 : 0, result));
            case Step.SharedPoolDynamic d -> outcome(pvp040_tracker_init_dynamic_shared_pool(handle, result));
            case Step.SharedPoolStatic p -> outcome(pvp040_tracker_init_static_shared_pool(handle, p.start(), p.end(),
                    result));
            case Step.AllocShared a -> {
                Outcome o = outcome(pvp040_tracker_alloc_shared(handle, a.size(), a.align(), result));
                yield o instanceof Outcome.Ok ? new Outcome.Value(PvpResult.value0(result)) : o;
            }
            case Step.DeallocShared d -> outcome(pvp040_tracker_dealloc_shared(handle, d.addr(), d.size(), d.align(),
                    result));
            case Step.UnshareAll u -> outcome(pvp040_tracker_unshare_all_memory(handle, result));
            case Step.InjectAtCall i -> outcome(pvp040_tracker_inject_at_call(handle, i.call(), i.x0(), result));
            case Step.InjectNth i -> outcome(pvp040_tracker_inject_nth(handle, i.function().functionId(), i.n(), i.x0(),
                    result));
            case Step.InjectFor i -> outcome(pvp040_tracker_inject_for(handle, i.functionId(), i.argument(), i.x0(),
                    result));
            case Step.ClearInjections c -> outcome(pvp040_tracker_clear_injections(handle, result));
            case Step.WalkRange w -> new Outcome.Invalid(NO_MAPPING + w.text());
            case Step.CompactSubtables c -> new Outcome.Invalid(NO_MAPPING + c.text());
            case Step.Activate a -> new Outcome.Invalid(NO_MAPPING + a.text());
            case Step.Deactivate d -> new Outcome.Invalid(NO_MAPPING + d.text());
            case Step.MarkActive a -> new Outcome.Invalid(NO_MAPPING + a.text());
            case Step.MarkInactive i -> new Outcome.Invalid(NO_MAPPING + i.text());
        };
        if (!(step instanceof Step.ModifyRange)) {
            trace.addAll(newTrace());
        }
        return new StepResult(outcome, trace, newEvents(), newHypCalls());
    }

    /** Why a 0.12 step is invalid here (a {@link Scenario} of profile 0.4.0 refuses them before any engine). */
    private static final String NO_MAPPING = "0.4.0 has no Mapping: ";

    /**
     * The calls of updaters and of pvmfw's own callbacks inside tracker calls since the last step, from the handle's
     * trace ({@code pvp040_table_trace}: the library records them; Java only reads the record).
     */
    private List<TraceEntry> newTrace() {
        if (handle.equals(MemorySegment.NULL)) {
            return List.of();
        }
        // One call copies what fits into the buffer and says how many there are; a second only when it did not fit.
        long cap = traceBuf.byteSize() / PvpTraceEntry.sizeof();
        long total = pvp040_table_trace(handle, traceSeen, traceBuf, cap);
        if (total <= traceSeen) {
            return List.of();
        }
        long n = total - traceSeen;
        if (n > cap) {
            traceBuf = arena.allocate(PvpTraceEntry.layout(), Math.max(n, 2 * cap));
            pvp040_table_trace(handle, traceSeen, traceBuf, n);
        }
        List<TraceEntry> fresh = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            MemorySegment e = PvpTraceEntry.asSlice(traceBuf, i);
            fresh.add(new TraceEntry(PvpTraceEntry.start(e), PvpTraceEntry.end(e), PvpTraceEntry.level(e),
                    PvpTraceEntry.before(e), PvpTraceEntry.after(e)));
        }
        traceSeen = total;
        return fresh;
    }

    /** The oracle's {@code PVP_PAGE_TABLE_MAP_*} code of one of pvmfw's page-table mapping functions. */
    static int pageTableSet(Step.PageTableSet set) {
        return switch (set) {
            case CODE -> PVP_PAGE_TABLE_MAP_CODE();
            case DATA -> PVP_PAGE_TABLE_MAP_DATA();
            case RODATA -> PVP_PAGE_TABLE_MAP_RODATA();
            case DEVICE -> PVP_PAGE_TABLE_MAP_DEVICE();
        };
    }

    /** The calls the edit in progress has had in this step (its {@code decide} counts from 1). */
    private int calls;

    /**
     * The upcall: Java decides, the crate applies. It asks the scenario's edit for its {@link Updater.Edit#decide
     * decision} (the one the Java engine applies; never anything read from the Rust side's memory), writes its action
     * into the {@code PvpAction} the library gave it, and answers Ok or Err; the library applies the action with the
     * crate's own API and traces the call.
     *
     * <p>The only pointer it dereferences, {@code action}, is first sized to exactly one {@code PvpAction} (the
     * bindings give it {@code Long.MAX_VALUE} bytes), so nothing past that struct can be written. {@code ctx} is the
     * NULL this engine passes and is never dereferenced. Never throws (an exception cannot cross the upcall): anything
     * unexpected — no edit in progress, a ctx that is not ours, a NULL or misaligned action — answers
     * {@code PVP_UPDATER_ABORT}, which the step reports as a callback panic, a divergence from the Java engine.
     */
    private int onUpdate(MemorySegment ctx, long start, long end, long bits, int level, MemorySegment action) {
        try {
            Updater.Edit e = current;
            if (e == null || ctx.address() != 0) {
                return abort();
            }
            MemorySegment out = NativeAccess.sized(action, PvpAction.sizeof());
            Updater.Decision d = e.decide(++calls, start, level, bits);
            writeAction(out, d.action());
            return answer(d.ok());
        } catch (RuntimeException ex) {
            return abort();
        }
    }

    /** Writes {@code action} into {@code out}, one {@code PvpAction} (the library zeroed it), as the ABI encodes it. */
    static void writeAction(MemorySegment out, Updater.Action action) {
        PvpAction.kind(out, actionKind(action));
        switch (action) {
            case Updater.Action.None none -> { }
            case Updater.Action.ModifyFlags m -> {
                PvpAction.set(out, m.set().bits());
                PvpAction.clear(out, m.clear().bits());
            }
            case Updater.Action.Set s -> throw new IllegalArgumentException("0.4.0's ABI has no set action");
        }
    }

    /** The oracle's {@code PVP_ACTION_*} code of an updater's action. */
    static int actionKind(Updater.Action action) {
        return switch (action) {
            case Updater.Action.None n -> PVP_ACTION_NONE();
            case Updater.Action.ModifyFlags m -> PVP_ACTION_MODIFY_FLAGS();
            case Updater.Action.Set s -> throw new IllegalArgumentException("0.4.0's ABI has no set action");
        };
    }

    /** The oracle's {@code PVP_UPDATER_*} answer of an updater that returns Ok ({@code ok}) or Err. */
    static int answer(boolean ok) {
        return ok ? PVP_UPDATER_OK() : PVP_UPDATER_ERR();
    }

    /** The upcall's answer when it cannot decide (the library then panics with {@code updater aborted}). */
    static int abort() {
        return PVP_UPDATER_ABORT();
    }

    private Outcome outcome(int code) {
        return outcome(code, result);
    }

    /**
     * The outcome a library call reported: {@code code} and the {@code PvpResult} it filled in. Every text is the
     * library's: for a {@code MapError}, the payload rebuilt from {@code value0}/{@code value1} with the crate's own
     * Debug text ({@code debug}) and Display text ({@code message}), so that comparing it with the Java engine's
     * outcome compares the crate's texts with Java's.
     */
    static Outcome outcome(int code, MemorySegment result) {
        if (code == PVP_OK() && PvpResult.message_len(result) == 0 && PvpResult.debug_len(result) == 0) {
            return new Outcome.Ok(); // Ok carries no text: nothing to read (a text with Ok is reported below)
        }
        String message = text(PvpResult.message(result), PvpResult.message_len(result));
        String debug = text(PvpResult.debug(result), PvpResult.debug_len(result));
        if (code == PVP_OK()) {
            return new Outcome.Invalid("Ok with a text: " + debug + " / " + message);
        }
        long v0 = PvpResult.value0(result);
        long v1 = PvpResult.value1(result);
        if (code == PVP_ERR_ADDRESS_RANGE()) {
            return new Outcome.Failed(new MapError.AddressRange(new VirtualAddress(v0)), debug, message);
        } else if (code == PVP_ERR_INVALID_VIRTUAL_ADDRESS()) {
            return new Outcome.Failed(new MapError.InvalidVirtualAddress(new VirtualAddress(v0)), debug, message);
        } else if (code == PVP_ERR_REGION_BACKWARDS()) {
            return new Outcome.Failed(new MapError.RegionBackwards(MemoryRegion.of(v0, v1)), debug, message);
        } else if (code == PVP_ERR_PTE_UPDATE_FAULT()) {
            return new Outcome.Failed(new MapError.PteUpdateFault(v0), debug, message);
        } else if (code == PVP_ERR_TRACKER()) {
            return new Outcome.TrackerFailed(debug, message);
        } else if (code == PVP_ERR_HYP()) {
            return new Outcome.HypFailed(debug, message);
        } else if (code == PVP_PANIC()) {
            return new Outcome.Panicked(panicKind(PvpResult.kind(result)), message);
        }
        return new Outcome.Invalid("code " + code + ": " + message);
    }

    /** The oracle's {@code PVP_VA_RANGE_*} code of a VA range. */
    static int vaRange(VaRange range) {
        return switch (range) {
            case LOWER -> PVP_VA_RANGE_LOWER();
            case UPPER -> PVP_VA_RANGE_UPPER();
        };
    }

    /** The oracle's id of a built-in updater ({@code PVP_BUILTIN_*}). */
    static int builtinId(Updater.BuiltinKind kind) {
        return switch (kind) {
            case VERIFY_LAZY_MAPPED_BLOCK -> PVP_BUILTIN_VERIFY_LAZY_MAPPED_BLOCK();
            case SET_SWFLAG_0_ON_LEAVES -> PVP_BUILTIN_SET_SWFLAG_0_ON_LEAVES();
            case FAIL_AT_LEVEL_3 -> PVP_BUILTIN_FAIL_AT_LEVEL_3();
        };
    }

    /** The panic kind the oracle reports as {@code PVP_KIND_*}. */
    static Outcome.PanicKind panicKind(int kind) {
        if (kind == PVP_KIND_NONE()) {
            return Outcome.PanicKind.NONE;
        } else if (kind == PVP_KIND_EXHAUSTED()) {
            return Outcome.PanicKind.EXHAUSTED;
        } else if (kind == PVP_KIND_BAD_ADDRESS()) {
            return Outcome.PanicKind.BAD_ADDRESS;
        } else if (kind == PVP_KIND_BAD_FREE()) {
            return Outcome.PanicKind.BAD_FREE;
        } else if (kind == PVP_KIND_CALLBACK()) {
            return Outcome.PanicKind.CALLBACK;
        }
        throw new IllegalStateException("the oracle reported an unknown panic kind " + kind);
    }

    private static String text(MemorySegment bytes, int len) {
        return new String(bytes.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private List<HypCall> newHypCalls() {
        if (!tracker || handle.equals(MemorySegment.NULL)) {
            return List.of();
        }
        long total = pvp040_tracker_hyp_log(handle, hypSeen, hypBuf, HYP_BUF);
        List<HypCall> fresh = new ArrayList<>();
        while (hypSeen < total) {
            long n = Math.min(total - hypSeen, HYP_BUF);
            for (long i = 0; i < n; i++) {
                MemorySegment c = PvpHypCall.asSlice(hypBuf, i);
                fresh.add(new HypCall(PvpHypCall.function_id(c), PvpHypCall.argument(c), PvpHypCall.x0(c)));
            }
            hypSeen += n;
            if (hypSeen < total) {
                pvp040_tracker_hyp_log(handle, hypSeen, hypBuf, HYP_BUF);
            }
        }
        return fresh;
    }

    /** The hypervisor's currently guard-mapped IPAs (tracker scenarios), ascending. */
    @Override
    public List<Long> guardMapped() {
        if (handle.equals(MemorySegment.NULL)) {
            return List.of();
        }
        long n = pvp040_tracker_guard_mapped(handle, MemorySegment.NULL, 0);
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment buf = scratch.allocate(ValueLayout.JAVA_LONG, Math.max(1, n));
            pvp040_tracker_guard_mapped(handle, buf, n);
            List<Long> out = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                out.add(buf.getAtIndex(ValueLayout.JAVA_LONG, i));
            }
            return out;
        }
    }

    private int[] newEvents() {
        if (handle.equals(MemorySegment.NULL)) {
            return new int[0];
        }
        long cap = logBuf.byteSize() / 4;
        long total = pvp040_table_event_log(handle, logSeen, logBuf, cap);
        if (total - logSeen > cap) {
            logBuf = arena.allocate(ValueLayout.JAVA_INT, Math.max(total - logSeen, 2 * cap));
            cap = logBuf.byteSize() / 4;
            total = pvp040_table_event_log(handle, logSeen, logBuf, cap);
        }
        int[] fresh = logBuf.asSlice(0, (total - logSeen) * 4).toArray(ValueLayout.JAVA_INT);
        logSeen = (int) total;
        return fresh;
    }

    /** The Rust side's arena, read-only: Java never writes the crate's memory. */
    @Override
    public MemorySegment image() {
        return tablesReadOnly;
    }

    /** The crate's {@code RootTable::to_physical}, as {@code pvp040_table_root_pa} reports it. */
    @Override
    public java.util.OptionalLong rootPa() {
        if (handle.equals(MemorySegment.NULL)) {
            return java.util.OptionalLong.empty();
        }
        long pa = pvp040_table_root_pa(handle);
        return pa == -1L ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(pa);
    }

    /** The oracle returns length 0 for a panicking dump; a real dump is never empty. */
    @Override
    public java.util.Optional<String> debugDump() {
        if (handle.equals(MemorySegment.NULL)) {
            return java.util.Optional.empty();
        }
        long len = pvp040_table_debug(handle, MemorySegment.NULL, 0);
        if (len == 0) {
            return java.util.Optional.empty();
        }
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment buf = scratch.allocate(len);
            long n = pvp040_table_debug(handle, buf, buf.byteSize());
            return java.util.Optional.of(new String(buf.asSlice(0, Math.min(n, len)).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8));
        }
    }

    /**
     * Map steps in the oracle's native {@code PvpMapStep} layout, for {@link #mapBatch}: built once, applied in one
     * downcall (benchmarks compare the crate and the Java engine on the same list this way).
     */
    public MemorySegment prepareMapBatch(java.util.List<Step.MapRange> steps) {
        MemorySegment array = dev.pvmfw.bindings.v0_4_0.PvpMapStep.allocateArray(steps.size(), arena);
        for (int i = 0; i < steps.size(); i++) {
            MemorySegment e = dev.pvmfw.bindings.v0_4_0.PvpMapStep.asSlice(array, i);
            Step.MapRange m = steps.get(i);
            dev.pvmfw.bindings.v0_4_0.PvpMapStep.start(e, m.start());
            dev.pvmfw.bindings.v0_4_0.PvpMapStep.end(e, m.end());
            dev.pvmfw.bindings.v0_4_0.PvpMapStep.pa(e, m.pa());
            dev.pvmfw.bindings.v0_4_0.PvpMapStep.flags(e, m.flags().bits());
        }
        return array;
    }

    /**
     * {@code map_range} for each prepared step, in one downcall, stopping at the first failure.
     *
     * @return how many steps succeeded
     */
    public long mapBatch(MemorySegment prepared) {
        return pvp040_table_map_batch(handle, prepared, prepared.byteSize() / dev.pvmfw.bindings.v0_4_0.PvpMapStep.sizeof(),
                result);
    }

    /** Fault addresses in native memory, for {@link #faultBatch}. */
    public MemorySegment prepareFaults(long[] addresses) {
        return arena.allocateFrom(ValueLayout.JAVA_LONG, addresses);
    }

    /**
     * {@code handle_mmio_fault} for each prepared address, in one downcall, stopping at the first failure (a tracker
     * scenario).
     *
     * @return how many faults were handled
     */
    public long faultBatch(MemorySegment prepared) {
        return pvp040_tracker_fault_batch(handle, prepared, prepared.byteSize() / Long.BYTES, result);
    }

    /**
     * {@code modify_range(start..end)} with a built-in updater in one downcall, without reading the updater's calls
     * back into Java (benchmarks: the whole list is the crate's work; {@link #apply} reads and checks them).
     *
     * @return the number of updater calls, or -1 if the call failed (its outcome is then in the result)
     */
    public long modifyBuiltin(long start, long end, Updater.BuiltinKind kind) {
        int code = pvp040_table_modify_range_builtin(handle, start, end, builtinId(kind), MemorySegment.NULL, 0,
                traceLen, result);
        return code == PVP_OK() ? traceLen.get(ValueLayout.JAVA_LONG, 0) : -1;
    }

    /** The library's own text helpers, for cross-checking Java's Display/Debug text. */
    public static String descriptorDebug(long bits) {
        return text(buf -> pvp040_descriptor_debug(bits, buf, buf.byteSize()));
    }

    /** The crate's {@code format!("{:?}", Attributes::from_bits_retain(bits))}. */
    public static String attributesDebug(long bits) {
        return text(buf -> pvp040_attributes_debug(bits, buf, buf.byteSize()));
    }

    /**
     * The crate's outcome for {@code error} ({@code pvp040_map_error}): the payload as the library reports it, with the
     * crate's Debug and Display texts, exactly as a call failing with that error would report it; for cross-checking
     * Java's texts on payloads no scenario reaches ({@code InvalidVirtualAddress} among them).
     * {@link OracleLibrary#require()} must have succeeded.
     */
    public static Outcome crateMapError(MapError error) {
        long v0;
        long v1 = 0;
        int code = switch (error) {
            case MapError.AddressRange e -> {
                v0 = e.va().value();
                yield PVP_ERR_ADDRESS_RANGE();
            }
            case MapError.InvalidVirtualAddress e -> {
                v0 = e.va().value();
                yield PVP_ERR_INVALID_VIRTUAL_ADDRESS();
            }
            case MapError.RegionBackwards e -> {
                v0 = e.region().startValue();
                v1 = e.region().endValue();
                yield PVP_ERR_REGION_BACKWARDS();
            }
            case MapError.PteUpdateFault e -> {
                v0 = e.descriptor();
                yield PVP_ERR_PTE_UPDATE_FAULT();
            }
        };
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment r = PvpResult.allocate(scratch);
            return outcome(pvp040_map_error(code, v0, v1, r), r);
        }
    }

    /** Whether the crate's {@code Descriptor::flags()} is {@code Some} for {@code bits}. */
    public static boolean descriptorFlagsValid(long bits) {
        return pvp040_descriptor_flags_valid(bits) == 1;
    }

    private static String text(java.util.function.ToLongFunction<MemorySegment> call) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment buf = scratch.allocate(1024);
            long len = call.applyAsLong(buf);
            return new String(buf.asSlice(0, Math.min(len, 1024)).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        try {
            if (!handle.equals(MemorySegment.NULL)) {
                pvp040_table_drop(handle, result);
                handle = MemorySegment.NULL;
            }
        } finally {
            arena.close();
        }
    }
}
