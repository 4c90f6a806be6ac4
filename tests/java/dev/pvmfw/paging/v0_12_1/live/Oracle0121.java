package dev.pvmfw.paging.v0_12_1.live;

import static dev.pvmfw.bindings.v0_12_1.PvmfwPagingOracle0121.*;

import dev.pvmfw.bindings.v0_12_1.PvpAction;
import dev.pvmfw.bindings.v0_12_1.PvpResult;
import dev.pvmfw.bindings.v0_12_1.PvpTraceEntry;
import dev.pvmfw.oracle.rust.v0_12_1.OracleLibrary0121;
import dev.pvmfw.paging.v0_12_1.profile.Profile0121;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The 0.12.1 oracle library ({@code native/aarch64-paging-0.12.1}, ABI 2) through its jextract bindings
 * ({@code bindings/aarch64-paging-0.12.1}, package {@code dev.pvmfw.bindings.v0_12_1}), for the live tests that drive
 * it call by call. It is found, loaded and verified by the main loader, {@link OracleLibrary0121} (ABI version, every
 * {@code PVP_*} constant both ways, the crate versions against the profile's pins, every struct size and field
 * offset): this class only calls it. Every call goes through {@link #call}, which turns an FFM failure into
 * {@link CallFailed}; the one restricted operation left, sizing an upcall's pointer, is {@link NativeAccess0121}'s.
 * Java only reads the library's memory (arena, results, traces) and writes nothing but the {@code PvpAction} an
 * updater upcall is handed.
 */
final class Oracle0121 {
    /** The crate versions the library must link, as the profile states them. */
    static final String VERSIONS = Profile0121.INSTANCE.describe();

    /** A call into the library failed on the FFM side (wrong thread, closed arena, linkage): never a crate outcome. */
    static final class CallFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallFailed(String what, Throwable cause) {
            super("the 0.12.1 oracle call " + what + " failed: " + cause, cause);
        }
    }

    private static final Oracle0121 INSTANCE = new Oracle0121();

    private Oracle0121() {}

    /** The library, once the main loader has loaded and verified it, or null (then {@link #unavailable()} says why). */
    static Oracle0121 get() {
        return OracleLibrary0121.availability().available() ? INSTANCE : null;
    }

    /** Why the library cannot be used ({@link OracleLibrary0121#availability()}), or what it is when it can. */
    static String unavailable() {
        return OracleLibrary0121.availability().reason();
    }

    /**
     * Runs one downcall; an FFM failure (jextract wraps the invocation's {@code Throwable} into an
     * {@link AssertionError}; a closed or foreign-thread segment throws {@link IllegalStateException} or
     * {@link WrongThreadException}; a denied native access {@link IllegalCallerException}) becomes {@link CallFailed}.
     */
    static <T> T call(String what, Supplier<T> downcall) {
        try {
            return downcall.get();
        } catch (AssertionError | RuntimeException e) {
            throw new CallFailed(what, e);
        }
    }

    MemorySegment tableNew(MemorySegment arena, long slots, long paBase, int regime, int level, boolean upper, long asid,
            MemorySegment result) {
        return call("table_new", () -> pvp0121_table_new(arena, slots, paBase, regime, level,
                upper ? PVP_VA_RANGE_UPPER() : PVP_VA_RANGE_LOWER(), asid, result));
    }

    int drop(MemorySegment h, MemorySegment result) {
        return call("table_drop", () -> pvp0121_table_drop(h, result));
    }

    void free(MemorySegment h) {
        call("table_free", () -> {
            pvp0121_table_free(h);
            return null;
        });
    }

    int mapRange(MemorySegment h, long start, long end, long pa, long flags, long constraints, MemorySegment result) {
        return call("map_range", () -> pvp0121_table_map_range(h, start, end, pa, flags, constraints, result));
    }

    int modifyRange(MemorySegment h, long start, long end, MemorySegment updater, MemorySegment trace, long cap,
            MemorySegment traceLen, MemorySegment result) {
        return call("modify_range", () -> pvp0121_table_modify_range(h, start, end, updater, MemorySegment.NULL, trace,
                cap, traceLen, result));
    }

    int walkRange(MemorySegment h, long start, long end, MemorySegment visitor, MemorySegment trace, long cap,
            MemorySegment traceLen, MemorySegment result) {
        return call("walk_range", () -> pvp0121_table_walk_range(h, start, end, visitor, MemorySegment.NULL, trace,
                cap, traceLen, result));
    }

    int compact(MemorySegment h, MemorySegment result) {
        return call("compact_subtables", () -> pvp0121_table_compact_subtables(h, result));
    }

    int activate(MemorySegment h, MemorySegment result) {
        return call("activate", () -> pvp0121_table_activate(h, result));
    }

    int deactivate(MemorySegment h, long previousTtbr, MemorySegment result) {
        return call("deactivate", () -> pvp0121_table_deactivate(h, previousTtbr, result));
    }

    int markActive(MemorySegment h, MemorySegment result) {
        return call("mark_active", () -> pvp0121_table_mark_active(h, result));
    }

    int markInactive(MemorySegment h, MemorySegment result) {
        return call("mark_inactive", () -> pvp0121_table_mark_inactive(h, result));
    }

    /** {@code pvp0121_table_size}: the size of the table's VA range in bytes. */
    long size(MemorySegment h) {
        return call("table_size", () -> pvp0121_table_size(h));
    }

    /** The library's allocation (+slot) and free (-slot - 1 or as the crate logs) events so far, in order. */
    /** ABI 2's {@code pvp0121_table_map_pages}: how many pages were mapped. */
    long mapPages(MemorySegment h, long start, long pages, long pa, long flags, long constraints,
            MemorySegment result) {
        return call("map_pages", () -> pvp0121_table_map_pages(h, start, pages, pa, flags, constraints, result));
    }

    /** ABI 2's {@code pvp0121_table_fault_batch}: how many faults were handled. */
    long faultBatch(MemorySegment h, MemorySegment faults, long flags, MemorySegment result) {
        return call("fault_batch", () -> pvp0121_table_fault_batch(h, faults, faults.byteSize() / Long.BYTES, flags,
                result));
    }

    /** ABI 2's {@code pvp0121_table_modify_flags_builtin}. */
    int modifyFlagsBuiltin(MemorySegment h, long start, long end, long set, long clear, MemorySegment result) {
        return call("modify_flags_builtin", () -> pvp0121_table_modify_flags_builtin(h, start, end, set, clear,
                result));
    }

    int[] events(MemorySegment h, MemorySegment buf) {
        long n = call("event_log", () -> pvp0121_table_event_log(h, buf, buf.byteSize() / Integer.BYTES));
        return buf.asSlice(0, Math.min(n, buf.byteSize() / Integer.BYTES) * Integer.BYTES)
                .toArray(ValueLayout.JAVA_INT);
    }

    /** A result: code, kind, value0, value1, message, debug. */
    record Result(int code, int kind, long value0, long value1, String message, String debug) {
        static Result read(MemorySegment r) {
            int ml = PvpResult.message_len(r);
            int dl = PvpResult.debug_len(r);
            return new Result(PvpResult.code(r), PvpResult.kind(r), PvpResult.value0(r), PvpResult.value1(r),
                    text(PvpResult.message(r).asSlice(0, ml)), text(PvpResult.debug(r).asSlice(0, dl)));
        }
    }

    static String text(MemorySegment s) {
        return new String(s.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** One traced callback call. */
    record Trace(long start, long end, int level, int applied, long before, long after, int result, int updated) {}

    static List<Trace> traces(MemorySegment buf, long n) {
        List<Trace> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            MemorySegment t = PvpTraceEntry.asSlice(buf, i);
            out.add(new Trace(PvpTraceEntry.start(t), PvpTraceEntry.end(t), PvpTraceEntry.level(t),
                    PvpTraceEntry.applied(t), PvpTraceEntry.before(t), PvpTraceEntry.after(t), PvpTraceEntry.result(t),
                    PvpTraceEntry.updated(t)));
        }
        return out;
    }

    /** Writes an updater's decision into the {@code PvpAction} the library handed the upcall (zeroed by it). */
    static void writeAction(MemorySegment action, int kind, long arg0, long arg1) {
        MemorySegment a = NativeAccess0121.sized(action, PvpAction.sizeof());
        PvpAction.kind(a, kind);
        PvpAction.arg0(a, arg0);
        PvpAction.arg1(a, arg1);
    }
}
