package dev.pvmfw.paging.v0_12_1.live;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The 0.12.1 oracle library ({@code native/aarch64-paging-0.12.1}, ABI 1) through hand-written FFM downcalls, for the
 * live differential test until the library has jextract bindings. Its struct layouts are checked against
 * {@code pvp0121_layout} and its versions against the profile's pins when it is loaded.
 */
final class Oracle0121 {
    static final String PROPERTY = "pvmfw.oracle.lib.0.12.1";
    static final String VERSIONS = "aarch64-paging 0.12.1 + bitflags 2.11.0 + thiserror 2.0.18";

    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT;
    static final ValueLayout ADDR = ValueLayout.ADDRESS;

    static final StructLayout RESULT = MemoryLayout.structLayout(I32.withName("code"), I32.withName("kind"),
            U64.withName("value0"), U64.withName("value1"), I32.withName("message_len"),
            MemoryLayout.sequenceLayout(512, ValueLayout.JAVA_BYTE).withName("message"), I32.withName("debug_len"),
            MemoryLayout.sequenceLayout(512, ValueLayout.JAVA_BYTE).withName("debug"));
    static final StructLayout TRACE = MemoryLayout.structLayout(U64.withName("start"), U64.withName("end"),
            I32.withName("level"), I32.withName("applied"), U64.withName("before"), U64.withName("after"),
            I32.withName("result"), I32.withName("updated"));
    static final StructLayout ACTION = MemoryLayout.structLayout(I32.withName("kind"), I32.withName("_pad"),
            U64.withName("arg0"), U64.withName("arg1"));

    /** The updater upcall: (ctx, start, end, bits, level, action) → i32. */
    static final FunctionDescriptor UPDATER = FunctionDescriptor.of(I32, ADDR, U64, U64, U64, I32, ADDR);
    /** The visitor upcall: (ctx, start, end, bits, level) → i32. */
    static final FunctionDescriptor VISITOR = FunctionDescriptor.of(I32, ADDR, U64, U64, U64, I32);

    final MethodHandle tableNew;
    final MethodHandle drop;
    final MethodHandle free;
    final MethodHandle mapRange;
    final MethodHandle modifyRange;
    final MethodHandle walkRange;
    final MethodHandle compact;
    final MethodHandle activate;
    final MethodHandle deactivate;
    final MethodHandle markActive;
    final MethodHandle markInactive;
    final MethodHandle eventLog;
    final MethodHandle debug;

    private static Oracle0121 loaded;
    private static String unavailable;

    private Oracle0121(SymbolLookup lib) {
        Linker linker = Linker.nativeLinker();
        java.util.function.BiFunction<String, FunctionDescriptor, MethodHandle> f =
                (name, d) -> linker.downcallHandle(lib.find(name).orElseThrow(), d);
        tableNew = f.apply("pvp0121_table_new", FunctionDescriptor.of(ADDR, ADDR, U64, U64, I32, I32, I32, U64, ADDR));
        drop = f.apply("pvp0121_table_drop", FunctionDescriptor.of(I32, ADDR, ADDR));
        free = f.apply("pvp0121_table_free", FunctionDescriptor.ofVoid(ADDR));
        mapRange = f.apply("pvp0121_table_map_range", FunctionDescriptor.of(I32, ADDR, U64, U64, U64, U64, U64, ADDR));
        modifyRange = f.apply("pvp0121_table_modify_range",
                FunctionDescriptor.of(I32, ADDR, U64, U64, ADDR, ADDR, ADDR, U64, ADDR, ADDR));
        walkRange = f.apply("pvp0121_table_walk_range",
                FunctionDescriptor.of(I32, ADDR, U64, U64, ADDR, ADDR, ADDR, U64, ADDR, ADDR));
        compact = f.apply("pvp0121_table_compact_subtables", FunctionDescriptor.of(I32, ADDR, ADDR));
        activate = f.apply("pvp0121_table_activate", FunctionDescriptor.of(I32, ADDR, ADDR));
        deactivate = f.apply("pvp0121_table_deactivate", FunctionDescriptor.of(I32, ADDR, U64, ADDR));
        markActive = f.apply("pvp0121_table_mark_active", FunctionDescriptor.of(I32, ADDR, ADDR));
        markInactive = f.apply("pvp0121_table_mark_inactive", FunctionDescriptor.of(I32, ADDR, ADDR));
        eventLog = f.apply("pvp0121_table_event_log", FunctionDescriptor.of(U64, ADDR, ADDR, U64));
        debug = f.apply("pvp0121_table_debug", FunctionDescriptor.of(U64, ADDR, ADDR, U64));
    }

    /** The loaded, checked library, or null (then {@link #unavailable()} says why). */
    static synchronized Oracle0121 get() {
        if (loaded == null && unavailable == null) {
            try {
                loaded = load();
            } catch (Throwable e) {
                unavailable = e.getMessage();
            }
        }
        return loaded;
    }

    static synchronized String unavailable() {
        return unavailable;
    }

    private static Oracle0121 load() throws Throwable {
        String file = System.getProperty(PROPERTY, "target/cargo/0.12.1/release/libpvmfw_paging_oracle_0121.so");
        if (file.isEmpty() || !Files.isRegularFile(Path.of(file))) {
            throw new IllegalStateException("no 0.12.1 oracle library at " + Path.of(file).toAbsolutePath()
                    + "; build it with ./mvnw -Poracle test (needs crates.io for " + VERSIONS + ")");
        }
        SymbolLookup lib = SymbolLookup.libraryLookup(Path.of(file), Arena.global());
        Linker linker = Linker.nativeLinker();
        int abi = (int) linker.downcallHandle(lib.find("pvp0121_abi_version").orElseThrow(),
                FunctionDescriptor.of(I32)).invokeExact();
        if (abi != 1) {
            throw new IllegalStateException(file + " has ABI " + abi + ", not 1");
        }
        MethodHandle versions = linker.downcallHandle(lib.find("pvp0121_versions").orElseThrow(),
                FunctionDescriptor.of(U64, ADDR, U64));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(256);
            long n = (long) versions.invokeExact(buf, 256L);
            String text = new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            if (!text.equals(VERSIONS)) {
                throw new IllegalStateException(file + " links " + text + ", not " + VERSIONS);
            }
        }
        MethodHandle layout = linker.downcallHandle(lib.find("pvp0121_layout").orElseThrow(),
                FunctionDescriptor.of(U64, I32));
        long[][] checks = {
            {1, RESULT.byteSize()}, {4, off(RESULT, "value0")}, {6, off(RESULT, "message_len")},
            {7, off(RESULT, "message")}, {8, off(RESULT, "debug_len")}, {9, off(RESULT, "debug")},
            {10, TRACE.byteSize()}, {14, off(TRACE, "applied")}, {15, off(TRACE, "before")},
            {17, off(TRACE, "result")}, {18, off(TRACE, "updated")}, {19, ACTION.byteSize()},
            {21, off(ACTION, "arg0")}, {22, off(ACTION, "arg1")},
        };
        for (long[] c : checks) {
            long got = (long) layout.invokeExact((int) c[0]);
            if (got != c[1]) {
                throw new IllegalStateException(file + ": layout key " + c[0] + " is " + got + ", the test's " + c[1]);
            }
        }
        return new Oracle0121(lib);
    }

    private static long off(StructLayout s, String field) {
        return s.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /** A result: code, kind, value0, value1, message, debug. */
    record Result(int code, int kind, long value0, long value1, String message, String debug) {
        static Result read(MemorySegment r) {
            int ml = r.get(I32, off(RESULT, "message_len"));
            int dl = r.get(I32, off(RESULT, "debug_len"));
            return new Result(r.get(I32, 0), r.get(I32, 4), r.get(U64, 8), r.get(U64, 16),
                    text(r.asSlice(off(RESULT, "message"), ml)), text(r.asSlice(off(RESULT, "debug"), dl)));
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
            MemorySegment t = buf.asSlice(i * TRACE.byteSize(), TRACE.byteSize());
            out.add(new Trace(t.get(U64, 0), t.get(U64, 8), t.get(I32, 16), t.get(I32, 20), t.get(U64, 24),
                    t.get(U64, 32), t.get(I32, 40), t.get(I32, 44)));
        }
        return out;
    }

    /** An upcall stub for {@code target} (a static method of the right type) bound to nothing. */
    static MemorySegment upcall(MethodHandle target, FunctionDescriptor d, Arena arena) {
        return Linker.nativeLinker().upcallStub(target, d, arena);
    }

    static MethodHandle staticHandle(Class<?> owner, String name, MethodType type) {
        try {
            return MethodHandles.lookup().findStatic(owner, name, type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
