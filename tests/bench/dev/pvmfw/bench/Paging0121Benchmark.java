package dev.pvmfw.bench;

import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.v0_12_1.Constraints;
import dev.pvmfw.paging.v0_12_1.El1And0;
import dev.pvmfw.paging.v0_12_1.El1Attributes;
import dev.pvmfw.paging.v0_12_1.MapException;
import dev.pvmfw.paging.v0_12_1.Mapping;
import dev.pvmfw.paging.v0_12_1.Updater;
import dev.pvmfw.paging.v0_12_1.profile.PvmfwPageTable;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The 0.12.1 profile's lists, the Java engine ({@code dev.pvmfw.paging.v0_12_1}) against the real aarch64-paging
 * 0.12.1 ({@link Crate0121}: each whole list in one downcall), on an El1And0 mapping with ASID 1, root level 1, lower
 * range, inactive (as the reference's worked images), in ns per operation:
 *
 * <ul>
 *   <li>{@code map1GiB}: 262,144 single-page {@code map_range} calls over the first GiB, pvmfw's MEMORY (0xf05), on a
 *       fresh mapping (the same list as 0.4.0's {@code OracleBenchmark});</li>
 *   <li>{@code faultStorm}: a 64 MiB window mapped lazily (DEVICE_LAZY, 2 MiB flags-only blocks), then every one of
 *       its 16,384 pages faulted in, in order, with the corrected fault flow of
 *       {@code ../shared/reference/aarch64-paging-0.12.md} R4 op 2: {@code modify_range} over the page, whose
 *       updater does {@code set(pa, DEVICE | TABLE_OR_PAGE)} on the lazy level-3 page (the first fault in a block
 *       splits it into flags-only pages) and refuses anything else;</li>
 *   <li>{@code modify1GiB}: one {@code modify_range} over a GiB mapped page by page, {@code modify_flags(SWFLAG_0,
 *       empty)} on each of its 262,144 leaves (ns per leaf; the mapping is made in the setup).</li>
 * </ul>
 *
 * The Java/Rust ratio of a list is {@code java…/rust…}. Needs the 0.12.1 oracle library ({@code -Poracle} builds it;
 * the {@code bench} profile passes {@code -Dpvmfw.oracle.lib.0.12.1}). Run: see README ("Benchmarks").
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class Paging0121Benchmark {
    static final int PAGES = 262_144;
    static final int SLOTS = 520;
    static final long PA_BASE = 0x4000_0000L;
    static final El1Attributes MEMORY = PvmfwPageTable.MEMORY;
    static final long WINDOW = 0x200_0000L;
    static final int FAULTS = (64 << 20) / 4096;
    static final long[] FAULT_ADDRESSES = new long[FAULTS];
    /** pvmfw's DEVICE with TABLE_OR_PAGE: what the corrected flow writes on a lazy page. */
    static final El1Attributes DEVICE_PAGE = PvmfwPageTable.DEVICE.union(El1Attributes.TABLE_OR_PAGE);

    static {
        for (int i = 0; i < FAULTS; i++) {
            FAULT_ADDRESSES[i] = WINDOW + ((long) i << 12);
        }
    }

    /** The corrected fault flow's updater (R4 op 2): a lazy level-3 page becomes DEVICE | TABLE_OR_PAGE at its PA. */
    static final Updater<El1Attributes> FAULT = (range, d) -> {
        long bits = d.flags().bits();
        return d.level() == 3 && (bits & El1Attributes.SWFLAG_0.bits()) != 0 && (bits & 1) == 0
                && d.set(new PhysicalAddress(range.startValue()), DEVICE_PAGE);
    };

    /** {@code modify_flags(SWFLAG_0, empty)} on a leaf. */
    static final Updater<El1Attributes> SET_SWFLAG_0 =
            (range, d) -> d.modifyFlags(El1Attributes.SWFLAG_0, El1Attributes.empty());

    static Mapping<El1Attributes> newMapping(TableArena arena) {
        return Mapping.withAsidAndVaRange(arena, 1, 1, El1And0.INSTANCE, VaRange.LOWER);
    }

    static void mapOneGib(Mapping<El1Attributes> m) throws MapException {
        for (long va = 0; va < (long) PAGES << 12; va += 4096) {
            m.mapRange(MemoryRegion.of(va, va + 4096), new PhysicalAddress(va), MEMORY, Constraints.empty());
        }
    }

    /** A fresh Java mapping on a fresh arena. */
    @State(Scope.Thread)
    public static class JavaFresh {
        TableArena arena;
        Mapping<El1Attributes> mapping;

        @Setup(Level.Invocation)
        public void fresh() {
            arena = TableArena.create(SLOTS, PA_BASE);
            mapping = newMapping(arena);
        }

        @TearDown(Level.Invocation)
        public void close() {
            mapping.close();
            arena.close();
        }
    }

    /** A Java mapping with the 64 MiB window mapped lazily. */
    @State(Scope.Thread)
    public static class JavaLazy extends JavaFresh {
        @Setup(Level.Invocation)
        public void lazyWindow() throws MapException {
            mapping.mapRange(MemoryRegion.of(WINDOW, WINDOW + ((long) FAULTS << 12)), new PhysicalAddress(WINDOW),
                    PvmfwPageTable.DEVICE_LAZY, Constraints.empty());
        }
    }

    /** A Java mapping with the first GiB mapped page by page. */
    @State(Scope.Thread)
    public static class JavaMapped extends JavaFresh {
        @Setup(Level.Invocation)
        public void mapped() throws MapException {
            mapOneGib(mapping);
        }
    }

    /** A fresh crate mapping. */
    @State(Scope.Thread)
    public static class RustFresh {
        Crate0121 crate;
        MemorySegment faults;

        @Setup(Level.Invocation)
        public void fresh() {
            crate = new Crate0121(SLOTS, PA_BASE);
        }

        @TearDown(Level.Invocation)
        public void close() {
            crate.close();
        }
    }

    /** A crate mapping with the window mapped lazily and the fault list in native memory. */
    @State(Scope.Thread)
    public static class RustLazy extends RustFresh {
        @Setup(Level.Invocation)
        public void lazyWindow() {
            crate.mapRange(WINDOW, WINDOW + ((long) FAULTS << 12), WINDOW, PvmfwPageTable.DEVICE_LAZY.bits());
            faults = crate.prepare(FAULT_ADDRESSES);
        }
    }

    /** A crate mapping with the first GiB mapped page by page. */
    @State(Scope.Thread)
    public static class RustMapped extends RustFresh {
        @Setup(Level.Invocation)
        public void mapped() {
            expect(PAGES, crate.mapPages(0, PAGES, 0, MEMORY.bits(), 0), "pages mapped in the setup");
        }
    }

    static long expect(long expected, long actual, String what) {
        if (actual != expected) {
            throw new IllegalStateException(what + ": " + actual + ", expected " + expected);
        }
        return actual;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public Mapping<El1Attributes> javaMap1GiB(JavaFresh state) throws MapException {
        mapOneGib(state.mapping);
        return state.mapping;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public long rustMap1GiB(RustFresh state) {
        return expect(PAGES, state.crate.mapPages(0, PAGES, 0, MEMORY.bits(), 0), "pages mapped");
    }

    @Benchmark
    @OperationsPerInvocation(FAULTS)
    public Mapping<El1Attributes> javaFaultStorm(JavaLazy state) throws MapException {
        Mapping<El1Attributes> m = state.mapping;
        for (long a : FAULT_ADDRESSES) {
            m.modifyRange(MemoryRegion.of(a, a + 1), FAULT);
        }
        return m;
    }

    @Benchmark
    @OperationsPerInvocation(FAULTS)
    public long rustFaultStorm(RustLazy state) {
        return expect(FAULTS, state.crate.faultBatch(state.faults, DEVICE_PAGE.bits()), "faults handled");
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public Mapping<El1Attributes> javaModify1GiB(JavaMapped state) throws MapException {
        state.mapping.modifyRange(MemoryRegion.of(0, (long) PAGES << 12), SET_SWFLAG_0);
        return state.mapping;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public long rustModify1GiB(RustMapped state) {
        return expect(PAGES, state.crate.modifyFlags(0, (long) PAGES << 12, El1Attributes.SWFLAG_0.bits(), 0),
                "leaves modified");
    }
}
