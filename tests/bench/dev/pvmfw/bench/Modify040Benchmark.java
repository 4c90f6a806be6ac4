package dev.pvmfw.bench;

import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.oracle.rust.RustEngine;
import dev.pvmfw.oracle.scenario.Updater;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.MapException;
import dev.pvmfw.paging.v0_4_0.PteUpdater;
import dev.pvmfw.paging.v0_4_0.RootTable;
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
 * 0.4.0's {@code modify_range} list: one {@code modify_range} over a GiB mapped page by page (the setup maps
 * {@link OracleBenchmark}'s list), with the updater of the crate's own {@code update_range} test
 * ({@code set_swflag_0_on_leaves}: SWFLAG_0 on every level-3 entry and every block; 0.4.0 calls the updater on tables
 * too, so 262,144 pages + 513 tables = 262,657 calls), in ns per page:
 *
 * <ul>
 *   <li>{@code javaModify1GiB040}: {@code RootTable.modifyRange} in Java;</li>
 *   <li>{@code rustModify1GiB040}: the crate, one downcall ({@code pvp040_table_modify_range_builtin} with
 *       {@code PVP_BUILTIN_SET_SWFLAG_0_ON_LEAVES}; the library records each call in the handle's trace, which is
 *       not read back).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class Modify040Benchmark {
    static final int PAGES = OracleBenchmark.PAGES;
    static final long GIB = (long) PAGES << 12;
    static final int CALLS = PAGES + 1 + 512;

    /** The crate's {@code update_range} test updater. */
    static final PteUpdater SET_SWFLAG_0_ON_LEAVES = (range, d, level) -> {
        if (level == 3 || !d.isTableOrPage()) {
            d.modifyFlags(Attributes.SWFLAG_0, Attributes.empty());
        }
        return true;
    };

    /** A Java table with the GiB mapped. */
    @State(Scope.Thread)
    public static class JavaMapped {
        TableArena arena;
        RootTable root;

        @Setup(Level.Invocation)
        public void mapped() throws MapException {
            arena = TableArena.create(OracleBenchmark.SCENARIO.slots(), OracleBenchmark.SCENARIO.paBase());
            root = new RootTable(arena, 1, VaRange.LOWER);
            for (var m : OracleBenchmark.STEPS) {
                root.mapRange(MemoryRegion.of(m.start(), m.end()), new PhysicalAddress(m.pa()), OracleBenchmark.FLAGS);
            }
        }

        @TearDown(Level.Invocation)
        public void close() {
            root.close();
            arena.close();
        }
    }

    /** The crate with the GiB mapped. */
    @State(Scope.Thread)
    public static class RustMapped {
        RustEngine rust;

        @Setup(Level.Invocation)
        public void mapped() throws OracleUnavailableException {
            rust = new RustEngine(OracleBenchmark.SCENARIO);
            rust.apply(OracleBenchmark.SCENARIO.steps().getFirst());
            long done = rust.mapBatch(rust.prepareMapBatch(OracleBenchmark.STEPS));
            if (done != PAGES) {
                throw new IllegalStateException("the crate mapped " + done + " pages");
            }
        }

        @TearDown(Level.Invocation)
        public void close() {
            rust.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public RootTable javaModify1GiB040(JavaMapped state) throws MapException {
        state.root.modifyRange(MemoryRegion.of(0, GIB), SET_SWFLAG_0_ON_LEAVES);
        return state.root;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public long rustModify1GiB040(RustMapped state) {
        long calls = state.rust.modifyBuiltin(0, GIB, Updater.BuiltinKind.SET_SWFLAG_0_ON_LEAVES);
        if (calls != CALLS) {
            throw new IllegalStateException("the crate made " + calls + " updater calls, expected " + CALLS);
        }
        return calls;
    }
}
