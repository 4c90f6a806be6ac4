package dev.pvmfw.oracle.rust;

import static dev.pvmfw.bindings.v0_4_0.PvmfwPagingOracle040.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.bindings.v0_4_0.PvpAction;
import dev.pvmfw.bindings.v0_4_0.PvpResult;
import dev.pvmfw.bindings.v0_4_0.PvpTraceEntry;
import dev.pvmfw.bindings.v0_4_0.PvpUpdater;
import dev.pvmfw.oracle.scenario.Updater;
import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.testing.LiveOracle;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The oracle library's own contract (the header's doc comments), called through the bindings directly, as no engine
 * would misuse it: live only (skipped without the library, see {@link LiveOracle}).
 */
class LibraryContractTest {
    static final int SLOTS = 16;
    static final long PA_BASE = 0x4000_0000L;
    /** What the trace length holds before a call, so that a call that does not write it shows. */
    static final long STALE = 0x5741_1E;

    /** A table over an arena of ours, with the result, handle and trace memory its calls need. */
    static final class Table implements AutoCloseable {
        final Arena arena = Arena.ofConfined();
        final MemorySegment tables = arena.allocate(SLOTS * 4096L, 4096);
        final MemorySegment result = PvpResult.allocate(arena);
        final MemorySegment trace = arena.allocate(PvpTraceEntry.layout(), 64);
        final MemorySegment traceLen = arena.allocate(ValueLayout.JAVA_LONG);
        final MemorySegment handle;

        /** A bare {@code RootTable} (level 1, lower range). */
        Table() {
            this(false);
        }

        /** With {@code tracker}, pvmfw's page table and MMIO tracker over main memory up to 4 GiB. */
        Table(boolean tracker) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int code = tracker ? pvp040_tracker_new(tables, SLOTS, PA_BASE, 0x1_0000_0000L, 0, out, result)
                    : pvp040_table_new(tables, SLOTS, PA_BASE, 1, PVP_VA_RANGE_LOWER(), out, result);
            assertEquals(PVP_OK(), code, () -> message(result));
            handle = out.get(ValueLayout.ADDRESS, 0);
        }

        long traceLen() {
            return traceLen.get(ValueLayout.JAVA_LONG, 0);
        }

        void staleTraceLen() {
            traceLen.set(ValueLayout.JAVA_LONG, 0, STALE);
        }

        int builtin(int which) {
            return pvp040_table_modify_range_builtin(handle, 0, 0x2000, which, trace, 64, traceLen, result);
        }

        @Override
        public void close() {
            try {
                pvp040_table_drop(handle, result);
            } finally {
                arena.close();
            }
        }
    }

    static String message(MemorySegment result) {
        return new String(PvpResult.message(result).asSlice(0, PvpResult.message_len(result))
                .toArray(ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aModifyRefusedForItsArgumentsLeavesTraceLengthZeroNotThePreviousCallsLength() {
        LiveOracle.require();
        try (Table t = new Table()) {
            long flags = Attributes.of(Attributes.VALID, Attributes.NORMAL).bits();
            assertEquals(PVP_OK(), pvp040_table_map_range(t.handle, 0, 0x2000, 0x8000_0000L, flags, t.result));
            t.staleTraceLen();
            assertEquals(PVP_OK(), t.builtin(PVP_BUILTIN_SET_SWFLAG_0_ON_LEAVES()));
            assertTrue(t.traceLen() > 0 && t.traceLen() != STALE, "a modify that ran: " + t.traceLen());

            t.staleTraceLen();
            assertEquals(PVP_INVALID_ARGUMENT(), t.builtin(0x7fff), "unknown built-in");
            assertEquals(0, t.traceLen(), "unknown built-in");

            t.staleTraceLen();
            assertEquals(PVP_INVALID_ARGUMENT(), pvp040_table_modify_range(t.handle, 0, 0x2000, MemorySegment.NULL,
                    MemorySegment.NULL, t.trace, 64, t.traceLen, t.result), "NULL updater");
            assertEquals(0, t.traceLen(), "NULL updater");

            t.staleTraceLen();
            assertEquals(PVP_INVALID_ARGUMENT(), pvp040_table_modify_range_builtin(t.handle, 0, 0x2000,
                    PVP_BUILTIN_SET_SWFLAG_0_ON_LEAVES(), MemorySegment.NULL, 64, t.traceLen, t.result),
                    "NULL trace with a capacity");
            assertEquals(0, t.traceLen(), "NULL trace with a capacity");

            assertEquals(PVP_OK(), pvp040_table_drop_root(t.handle, t.result));
            t.staleTraceLen();
            assertEquals(PVP_INVALID_ARGUMENT(), t.builtin(PVP_BUILTIN_SET_SWFLAG_0_ON_LEAVES()), "root dropped");
            assertEquals(0, t.traceLen(), "root dropped");
        }
    }

    /**
     * Every action and answer the Rust engine's upcall writes ({@link RustEngine#writeAction}, {@link
     * RustEngine#answer}, {@link RustEngine#abort}) is one the library accepts and applies: an action it did not know
     * would end the call with the panic {@code updater aborted}.
     */
    @Test
    void everyActionAndAnswerTheUpcallProducesIsAppliedByTheLibrary() {
        LiveOracle.require();
        long set = Attributes.SWFLAG_1.bits();
        long clear = Attributes.SWFLAG_2.bits();
        List<Updater.Action> actions = List.of(
                new Updater.Action.None(),
                new Updater.Action.ModifyFlags(new dev.pvmfw.oracle.scenario.FlagSet(set,
                        dev.pvmfw.paging.v0_4_0.profile.Profile040.INSTANCE), new dev.pvmfw.oracle.scenario.FlagSet(
                        clear, dev.pvmfw.paging.v0_4_0.profile.Profile040.INSTANCE)));
        for (var a : actions) {
            for (int answer : new int[] {RustEngine.answer(true), RustEngine.answer(false), RustEngine.abort()}) {
                try (Table t = new Table()) {
                    long flags = Attributes.of(Attributes.VALID, Attributes.NORMAL, Attributes.SWFLAG_2).bits();
                    assertEquals(PVP_OK(), pvp040_table_map_range(t.handle, 0, 0x1000, 0x8000_0000L, flags, t.result));
                    MemorySegment upcall = PvpUpdater.allocate((ctx, start, end, bits, level, action) -> {
                        if (level != 3) {
                            return PVP_UPDATER_OK();
                        }
                        try {
                            RustEngine.writeAction(NativeAccess.sized(action, PvpAction.sizeof()), a);
                        } catch (RuntimeException e) {
                            return PVP_UPDATER_OK(); // shows as an unchanged entry below
                        }
                        return answer;
                    }, t.arena);
                    int code = pvp040_table_modify_range(t.handle, 0, 0x1000, upcall, MemorySegment.NULL, t.trace, 64,
                            t.traceLen, t.result);
                    String what = a + ", answer " + answer;
                    if (answer == RustEngine.abort()) {
                        assertEquals(PVP_PANIC(), code, what);
                        assertEquals(PVP_KIND_CALLBACK(), PvpResult.kind(t.result), what);
                    } else {
                        assertEquals(answer == RustEngine.answer(true) ? PVP_OK() : PVP_ERR_PTE_UPDATE_FAULT(), code,
                                () -> what + ": " + message(t.result));
                    }
                    MemorySegment leaf = PvpTraceEntry.asSlice(t.trace, t.traceLen() - 1);
                    assertEquals(3, PvpTraceEntry.level(leaf), what);
                    long before = PvpTraceEntry.before(leaf);
                    long expected = a instanceof Updater.Action.ModifyFlags
                            ? (before | set) & ~clear : before;
                    assertEquals(expected, PvpTraceEntry.after(leaf), what);
                    assertTrue((before & clear) != 0 && (before & set) == 0, "the page starts with SWFLAG_2 only");
                }
            }
        }
    }

    /** A call on the handle from inside an updater, by name, with what it returned and its result's code. */
    record Reentry(String call, long returned, int code, String message) {}

    /**
     * An updater that calls back into the library with the table being modified gets {@code PVP_BUSY} from every
     * entry point that takes a handle (or, without a result, the NULL-handle value), and nothing is done; once the
     * modify returns, the handle is usable again. Without the busy flag these calls would alias the {@code &mut} the
     * modify holds (and {@code pvp040_table_drop} would free the table under it).
     */
    @Test
    void reenteringTheTableFromAnUpdaterIsRefusedWithPvpBusyAndDoesNothing() {
        LiveOracle.require();
        try (Table t = new Table(true)) {
            long mmio = 0x900_0000L;
            assertEquals(PVP_OK(), pvp040_tracker_map_mmio_range(t.handle, mmio, mmio + 0x2000, t.result));
            assertEquals(PVP_OK(), pvp040_tracker_handle_mmio_fault(t.handle, mmio, t.result));
            long rootPa = pvp040_table_root_pa(t.handle);
            long events = pvp040_table_event_log(t.handle, 0, MemorySegment.NULL, 0);
            long dump = pvp040_table_debug(t.handle, MemorySegment.NULL, 0);
            assertEquals(PA_BASE, rootPa);
            assertTrue(events > 0 && dump > 0);
            assertEquals(1, pvp040_tracker_hyp_log(t.handle, 0, MemorySegment.NULL, 0));
            assertEquals(1, pvp040_tracker_guard_mapped(t.handle, MemorySegment.NULL, 0));

            MemorySegment inner = PvpResult.allocate(t.arena);
            MemorySegment innerLen = t.arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment step = dev.pvmfw.bindings.v0_4_0.PvpMapStep.allocate(t.arena);
            MemorySegment addrs = t.arena.allocateFrom(ValueLayout.JAVA_LONG, mmio + 0x1000);
            MemorySegment buf = t.arena.allocate(4096);
            List<Reentry> seen = new ArrayList<>();
            Throwable[] thrown = {null};
            MemorySegment[] self = {MemorySegment.NULL};
            self[0] = PvpUpdater.allocate((ctx, start, end, bits, level, action) -> {
                if (!seen.isEmpty() || thrown[0] != null) {
                    return PVP_UPDATER_OK();
                }
                try {
                    MemorySegment h = t.handle;
                    Map<String, java.util.function.IntSupplier> withResult = new LinkedHashMap<>();
                    withResult.put("table_drop", () -> pvp040_table_drop(h, inner));
                    withResult.put("table_drop_root", () -> pvp040_table_drop_root(h, inner));
                    withResult.put("table_map_range", () -> pvp040_table_map_range(h, 0, 0x1000, 0, 1, inner));
                    withResult.put("table_modify_range", () -> pvp040_table_modify_range(h, 0, 0x1000, self[0],
                            MemorySegment.NULL, MemorySegment.NULL, 0, innerLen, inner));
                    withResult.put("table_modify_range_builtin", () -> pvp040_table_modify_range_builtin(h, 0, 0x1000,
                            PVP_BUILTIN_SET_SWFLAG_0_ON_LEAVES(), MemorySegment.NULL, 0, innerLen, inner));
                    withResult.put("tracker_map_mmio_range", () -> pvp040_tracker_map_mmio_range(h, 0xa00_0000L,
                            0xa00_1000L, inner));
                    withResult.put("tracker_handle_mmio_fault", () -> pvp040_tracker_handle_mmio_fault(h,
                            mmio + 0x1000, inner));
                    withResult.put("tracker_mmio_unmap_all", () -> pvp040_tracker_mmio_unmap_all(h, inner));
                    withResult.put("tracker_map", () -> pvp040_tracker_map(h, PVP_PAGE_TABLE_MAP_DEVICE(), 0xb00_0000L,
                            0xb00_1000L, inner));
                    withResult.put("tracker_shrink", () -> pvp040_tracker_shrink(h, 0x8000_0000L, 0x9000_0000L,
                            inner));
                    withResult.put("tracker_alloc_range", () -> pvp040_tracker_alloc_range(h, 0x8000_0000L,
                            0x8000_1000L, 1, inner));
                    withResult.put("tracker_alloc", () -> pvp040_tracker_alloc(h, 0x8000_0000L, 0x1000, 0, inner));
                    withResult.put("tracker_mmio_guard_init", () -> pvp040_tracker_mmio_guard_init(h, inner));
                    withResult.put("tracker_mmio_guard", () -> pvp040_tracker_mmio_guard(h, 0x1000, 0, inner));
                    withResult.put("tracker_init_dynamic_shared_pool", () ->
                            pvp040_tracker_init_dynamic_shared_pool(h, inner));
                    withResult.put("tracker_init_static_shared_pool", () -> pvp040_tracker_init_static_shared_pool(h,
                            0x8010_0000L, 0x8020_0000L, inner));
                    withResult.put("tracker_alloc_shared", () -> pvp040_tracker_alloc_shared(h, 16, 16, inner));
                    withResult.put("tracker_dealloc_shared", () -> pvp040_tracker_dealloc_shared(h, 0x7fe1_0000L, 16,
                            16, inner));
                    withResult.put("tracker_unshare_all_memory", () -> pvp040_tracker_unshare_all_memory(h, inner));
                    withResult.put("tracker_inject_nth", () -> pvp040_tracker_inject_nth(h, 0xc600_0007, 1, 1,
                            inner));
                    withResult.put("tracker_inject_at_call", () -> pvp040_tracker_inject_at_call(h, 5, 1, inner));
                    withResult.put("tracker_inject_for", () -> pvp040_tracker_inject_for(h, 1, 2, 3, inner));
                    withResult.put("tracker_clear_injections", () -> pvp040_tracker_clear_injections(h, inner));
                    for (var e : withResult.entrySet()) {
                        PvpResult.code(inner, 12345);
                        int returned = e.getValue().getAsInt();
                        seen.add(new Reentry(e.getKey(), returned, PvpResult.code(inner), message(inner)));
                    }
                    PvpResult.code(inner, 12345);
                    long applied = pvp040_table_map_batch(h, step, 1, inner);
                    seen.add(new Reentry("table_map_batch", applied, PvpResult.code(inner), message(inner)));
                    PvpResult.code(inner, 12345);
                    long faults = pvp040_tracker_fault_batch(h, addrs, 1, inner);
                    seen.add(new Reentry("tracker_fault_batch", faults, PvpResult.code(inner), message(inner)));
                    seen.add(new Reentry("table_root_pa", pvp040_table_root_pa(h), 0, ""));
                    seen.add(new Reentry("table_debug", pvp040_table_debug(h, buf, buf.byteSize()), 0, ""));
                    seen.add(new Reentry("table_event_log", pvp040_table_event_log(h, 0, buf, 16), 0, ""));
                    seen.add(new Reentry("tracker_hyp_log", pvp040_tracker_hyp_log(h, 0, buf, 16), 0, ""));
                    seen.add(new Reentry("tracker_guard_mapped", pvp040_tracker_guard_mapped(h, buf, 16), 0, ""));
                    seen.add(new Reentry("table_trace", pvp040_table_trace(h, 0, buf, 16), 0, ""));
                } catch (Throwable e) {
                    thrown[0] = e;
                }
                return PVP_UPDATER_OK();
            }, t.arena);

            int code = pvp040_table_modify_range(t.handle, mmio, mmio + 0x2000, self[0], MemorySegment.NULL,
                    t.trace, 64, t.traceLen, t.result);
            assertEquals(null, thrown[0], "the updater threw");
            assertEquals(PVP_OK(), code, () -> message(t.result));
            assertEquals(31, seen.size(), seen::toString);
            String busy = "the table is in use by a call in progress (an updater called back into the library with "
                    + "its own table)";
            for (Reentry r : seen) {
                switch (r.call()) {
                    case "table_map_batch", "tracker_fault_batch" -> {
                        assertEquals(0, r.returned(), r.call());
                        assertEquals(PVP_BUSY(), r.code(), r.call());
                        assertEquals(busy, r.message(), r.call());
                    }
                    case "table_root_pa" -> assertEquals(-1L, r.returned(), "table_root_pa: UINT64_MAX");
                    case "table_debug", "table_event_log", "tracker_hyp_log", "tracker_guard_mapped", "table_trace" ->
                            assertEquals(0, r.returned(), r.call());
                    default -> {
                        assertEquals(PVP_BUSY(), r.returned(), r.call());
                        assertEquals(PVP_BUSY(), r.code(), r.call());
                        assertEquals(busy, r.message(), r.call());
                    }
                }
            }

            // Nothing was done, and the handle is no longer busy.
            assertEquals(rootPa, pvp040_table_root_pa(t.handle));
            assertEquals(events, pvp040_table_event_log(t.handle, 0, MemorySegment.NULL, 0));
            assertEquals(1, pvp040_tracker_hyp_log(t.handle, 0, MemorySegment.NULL, 0), "no hypervisor call made");
            assertEquals(1, pvp040_tracker_guard_mapped(t.handle, MemorySegment.NULL, 0));
            assertEquals(PVP_OK(), pvp040_tracker_handle_mmio_fault(t.handle, mmio + 0x1000, t.result),
                    () -> message(t.result));
            assertEquals(2, pvp040_tracker_guard_mapped(t.handle, MemorySegment.NULL, 0));
        }
    }

    /**
     * What pvmfw's Rust types cannot hold is refused, not passed on: an {@code alloc} size of 0 ({@code NonZeroUsize}),
     * a {@code dealloc_shared} address of 0 ({@code NonNull}) or a size and alignment that are no {@code Layout}, an
     * n-th call 0, an unknown mapping function; nothing is done (no region tracked, no call made).
     */
    @Test
    void trackerEntryPointsRefuseWhatPvmfwsTypesCannotHoldAndDoNothing() {
        LiveOracle.require();
        try (Table t = new Table(true)) {
            assertEquals(PVP_INVALID_ARGUMENT(), pvp040_tracker_alloc(t.handle, 0x8000_0000L, 0, 0, t.result));
            assertEquals("size must be non-zero (NonZeroUsize)", message(t.result));
            assertEquals(PVP_INVALID_ARGUMENT(), pvp040_tracker_dealloc_shared(t.handle, 0, 16, 16, t.result));
            assertEquals(PVP_INVALID_ARGUMENT(), pvp040_tracker_dealloc_shared(t.handle, 0x1000, 16, 3, t.result));
            assertEquals(PVP_INVALID_ARGUMENT(), pvp040_tracker_dealloc_shared(t.handle, 0x1000, Long.MAX_VALUE, 4096,
                    t.result));
            assertEquals(PVP_INVALID_ARGUMENT(), pvp040_tracker_inject_nth(t.handle, 0xc600_0007, 0, 1, t.result));
            assertEquals(PVP_INVALID_ARGUMENT(), pvp040_tracker_map(t.handle, 0x7fff, 0, 0x1000, t.result));
            assertEquals(0, pvp040_table_event_log(t.handle, 0, MemorySegment.NULL, 0) - 1, "only the root allocated");
            // The region 0x80000000..0x80001000 was not tracked: allocating it now succeeds.
            assertEquals(PVP_OK(), pvp040_tracker_alloc(t.handle, 0x8000_0000L, 0x1000, 0, t.result),
                    () -> message(t.result));
            assertEquals(0, pvp040_tracker_hyp_log(t.handle, 0, MemorySegment.NULL, 0));
        }
    }

    /**
     * alloc_shared reports the buffer's address in value0 with PVP_OK; a direct MAP failing is PVP_ERR_HYP with the KVM
     * error's raw value and the function ID, and the crate-side Debug and Display texts.
     */
    @Test
    void allocSharedReportsTheAddressAndAFailedMapIsPvpErrHyp() {
        LiveOracle.require();
        try (Table t = new Table(true)) {
            assertEquals(PVP_OK(), pvp040_tracker_init_dynamic_shared_pool(t.handle, t.result));
            assertEquals(PVP_OK(), pvp040_tracker_alloc_shared(t.handle, 64, 64, t.result), () -> message(t.result));
            assertEquals(0x7fe1_0000L, PvpResult.value0(t.result), "the heap's first granule");
            assertEquals(PVP_OK(), pvp040_tracker_inject_nth(t.handle, 0xc600_0007, 1, -3, t.result));
            assertEquals(PVP_ERR_HYP(), pvp040_tracker_mmio_guard(t.handle, 0x1234, 0, t.result));
            assertEquals(-3, PvpResult.value0(t.result));
            assertEquals(0xc600_0007L, PvpResult.value1(t.result));
            assertEquals("Failed to invoke the HVC function with function ID 3321888775: KVM call received "
                    + "non-supported value", message(t.result));
            assertEquals("KvmError(InvalidParameter, 3321888775)", new String(PvpResult.debug(t.result).asSlice(0,
                    PvpResult.debug_len(t.result)).toArray(ValueLayout.JAVA_BYTE),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
