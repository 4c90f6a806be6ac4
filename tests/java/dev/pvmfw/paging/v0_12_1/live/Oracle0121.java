package dev.pvmfw.paging.v0_12_1.live;

import static dev.pvmfw.bindings.v0_12_1.PvmfwPagingOracle0121.*;

import dev.pvmfw.bindings.v0_12_1.PvmfwPagingOracle0121;
import dev.pvmfw.bindings.v0_12_1.PvpAction;
import dev.pvmfw.bindings.v0_12_1.PvpHypCall;
import dev.pvmfw.bindings.v0_12_1.PvpResult;
import dev.pvmfw.bindings.v0_12_1.PvpTraceEntry;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The 0.12.1 oracle library ({@code native/aarch64-paging-0.12.1}, ABI 2) through its jextract bindings
 * ({@code bindings/aarch64-paging-0.12.1}, package {@code dev.pvmfw.bindings.v0_12_1}), for the live tests. When it is
 * loaded: its ABI version, every {@code PVP_*} constant (both ways), its crate versions against the profile's pins and
 * every struct size and field offset the bindings use are checked. Every call goes through {@link #call}, which turns
 * an FFM failure into {@link CallFailed}; restricted operations are {@link NativeAccess0121}'s. Java only reads the
 * library's memory (arena, results, traces) and writes nothing but the {@code PvpAction} an updater upcall is handed.
 */
final class Oracle0121 {
    static final String PROPERTY = "pvmfw.oracle.lib.0.12.1";
    static final String VERSIONS = "aarch64-paging 0.12.1 + bitflags 2.11.0 + thiserror 2.0.18";

    /** The oracle is absent, denied native access or does not match its bindings. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A call into the library failed on the FFM side (wrong thread, closed arena, linkage): never a crate outcome. */
    static final class CallFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallFailed(String what, Throwable cause) {
            super("the 0.12.1 oracle call " + what + " failed: " + cause, cause);
        }
    }

    private static Oracle0121 loaded;
    private static String unavailable;

    private Oracle0121() {}

    /** The loaded, checked library, or null (then {@link #unavailable()} says why). */
    static synchronized Oracle0121 get() {
        if (loaded == null && unavailable == null) {
            try {
                loaded = load();
            } catch (Unavailable e) {
                unavailable = e.getMessage();
            } catch (RuntimeException | LinkageError e) {
                unavailable = "the 0.12.1 oracle library is unusable: " + e;
            }
        }
        return loaded;
    }

    static synchronized String unavailable() {
        return unavailable;
    }

    private static Oracle0121 load() throws Unavailable {
        String file = System.getProperty(PROPERTY, "target/cargo/0.12.1/release/libpvmfw_paging_oracle_0121.so");
        if (file.isEmpty() || !Files.isRegularFile(Path.of(file))) {
            throw new Unavailable("no 0.12.1 oracle library at " + Path.of(file).toAbsolutePath()
                    + "; build it with ./mvnw -Poracle test (needs crates.io for " + VERSIONS + ")", null);
        }
        NativeAccess0121.load(Path.of(file));
        List<String> problems = verify();
        if (!problems.isEmpty()) {
            throw new Unavailable(file + " does not match its bindings: " + String.join("; ", problems), null);
        }
        return new Oracle0121();
    }

    /** Every disagreement between the bindings and the loaded library; empty when they agree. */
    static List<String> verify() {
        List<String> problems = new ArrayList<>();
        int abi = call("abi_version", () -> pvp0121_abi_version());
        if (abi != PVP_ABI_VERSION()) {
            problems.add("ABI " + abi + ", bindings " + PVP_ABI_VERSION());
        }
        String versions = text("versions", PvmfwPagingOracle0121::pvp0121_versions);
        if (!versions.equals(VERSIONS)) {
            problems.add("links " + versions + ", not " + VERSIONS);
        }
        // pvp0121_constants lists the codes, not the PVP_LAYOUT_* selectors: those are checked below, through
        // pvp0121_layout, which answers u64::MAX for a key it does not know (src/lib.rs).
        Map<String, Long> bindings = bindingsConstants();
        bindings.keySet().removeIf(n -> n.startsWith("PVP_LAYOUT_"));
        Map<String, Long> library = new TreeMap<>();
        for (String line : text("constants", PvmfwPagingOracle0121::pvp0121_constants).split("\n")) {
            int eq = line.indexOf('=');
            if (!line.isEmpty()) {
                library.put(eq > 0 ? line.substring(0, eq) : line, eq > 0 ? Long.parseLong(line.substring(eq + 1)) : null);
            }
        }
        bindings.forEach((n, v) -> {
            if (!v.equals(library.get(n))) {
                problems.add(n + ": library " + library.get(n) + ", bindings " + v);
            }
        });
        library.keySet().stream().filter(n -> !bindings.containsKey(n))
                .forEach(n -> problems.add(n + " is reported by the library but not in the bindings"));
        long[][] layout = {
            {PVP_LAYOUT_RESULT_SIZE(), PvpResult.sizeof()}, {PVP_LAYOUT_RESULT_CODE(), PvpResult.code$offset()},
            {PVP_LAYOUT_RESULT_KIND(), PvpResult.kind$offset()}, {PVP_LAYOUT_RESULT_VALUE0(), PvpResult.value0$offset()},
            {PVP_LAYOUT_RESULT_VALUE1(), PvpResult.value1$offset()},
            {PVP_LAYOUT_RESULT_MESSAGE_LEN(), PvpResult.message_len$offset()},
            {PVP_LAYOUT_RESULT_MESSAGE(), PvpResult.message$offset()},
            {PVP_LAYOUT_RESULT_DEBUG_LEN(), PvpResult.debug_len$offset()},
            {PVP_LAYOUT_RESULT_DEBUG(), PvpResult.debug$offset()},
            {PVP_LAYOUT_TRACE_SIZE(), PvpTraceEntry.sizeof()}, {PVP_LAYOUT_TRACE_START(), PvpTraceEntry.start$offset()},
            {PVP_LAYOUT_TRACE_END(), PvpTraceEntry.end$offset()}, {PVP_LAYOUT_TRACE_LEVEL(), PvpTraceEntry.level$offset()},
            {PVP_LAYOUT_TRACE_APPLIED(), PvpTraceEntry.applied$offset()},
            {PVP_LAYOUT_TRACE_BEFORE(), PvpTraceEntry.before$offset()},
            {PVP_LAYOUT_TRACE_AFTER(), PvpTraceEntry.after$offset()},
            {PVP_LAYOUT_TRACE_RESULT(), PvpTraceEntry.result$offset()},
            {PVP_LAYOUT_TRACE_UPDATED(), PvpTraceEntry.updated$offset()},
            {PVP_LAYOUT_ACTION_SIZE(), PvpAction.sizeof()}, {PVP_LAYOUT_ACTION_KIND(), PvpAction.kind$offset()},
            {PVP_LAYOUT_ACTION_ARG0(), PvpAction.arg0$offset()}, {PVP_LAYOUT_ACTION_ARG1(), PvpAction.arg1$offset()},
            {PVP_LAYOUT_HYP_CALL_SIZE(), PvpHypCall.sizeof()},
            {PVP_LAYOUT_HYP_CALL_FUNCTION_ID(), PvpHypCall.function_id$offset()},
            {PVP_LAYOUT_HYP_CALL_ARGUMENT(), PvpHypCall.argument$offset()}, {PVP_LAYOUT_HYP_CALL_X0(), PvpHypCall.x0$offset()},
        };
        for (long[] c : layout) {
            long got = call("layout", () -> pvp0121_layout((int) c[0]));
            if (got != c[1]) {
                problems.add("layout key " + c[0] + ": library " + got + ", bindings " + c[1]);
            }
        }
        return problems;
    }

    /** Every {@code PVP_*} constant of the bindings (their static no-argument int or long getters). */
    static Map<String, Long> bindingsConstants() {
        Map<String, Long> out = new TreeMap<>();
        for (Method m : PvmfwPagingOracle0121.class.getMethods()) {
            if (m.getName().startsWith("PVP_") && Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0
                    && (m.getReturnType() == int.class || m.getReturnType() == long.class)) {
                try {
                    out.put(m.getName(), ((Number) m.invoke(null)).longValue());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + m.getName(), e);
                }
            }
        }
        return out;
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

    private static String text(String what, java.util.function.BiFunction<MemorySegment, Long, Long> f) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            long n = call(what, () -> f.apply(buf, 4096L));
            return new String(buf.asSlice(0, Math.min(n, 4096)).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
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
