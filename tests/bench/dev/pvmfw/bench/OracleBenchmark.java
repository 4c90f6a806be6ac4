package dev.pvmfw.bench;

import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.oracle.rust.RustEngine;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.MapException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.v0_4_0.RootTable;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.VaRange;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
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
 * Java against the real crate on the same step list, in one run: mapping 1 GiB page by page (262,144 single-page
 * {@code map_range} steps on a fresh level-1 root). Three measurements, in ns per step:
 *
 * <ul>
 *   <li>{@code javaMapOneGib}: the Java engine alone: {@code RootTable.mapRange} on a {@code TableArena}, step by
 *       step over the same list;</li>
 *   <li>{@code rustMapOneGib}: the crate alone, the whole list in one downcall ({@code pvp040_table_map_batch}), so FFM
 *       cost does not count against Rust;</li>
 *   <li>{@code verifiedMapOneGib}: the differential loop, each step applied to both engines (one downcall per step for
 *       Rust, plus the reads of its logs) and verified as {@link Verified} says: outcome with its texts, updater calls,
 *       arena events, hypervisor calls and every table byte the step could have changed (its footprint), after every
 *       step; the whole arena at the end. Steps verified per second = 10^9 / this.</li>
 * </ul>
 *
 * The Java/Rust ratio is {@code javaMapOneGib / rustMapOneGib}. Needs the oracle library ({@code -Poracle} builds
 * it; pass {@code -Dpvmfw.oracle.lib.0.4.0=…}). Run: see README ("Benchmarks").
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class OracleBenchmark {
    static final int PAGES = 262_144;
    static final Scenario SCENARIO;
    static final List<Step.MapRange> STEPS = new ArrayList<>(PAGES);
    static final Attributes FLAGS = Attributes.of(Attributes.VALID, Attributes.NORMAL);

    static {
        Attributes flags = Attributes.of(Attributes.VALID, Attributes.NORMAL);
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.NewTable(1, VaRange.LOWER));
        for (long va = 0; va < (long) PAGES * Geometry.PAGE_SIZE; va += Geometry.PAGE_SIZE) {
            Step.MapRange m = new Step.MapRange(va, va + Geometry.PAGE_SIZE, va,
                    new dev.pvmfw.oracle.scenario.FlagSet(flags.bits(), dev.pvmfw.paging.v0_4_0.profile.Profile040.INSTANCE));
            STEPS.add(m);
            steps.add(m);
        }
        SCENARIO = new Scenario("map-1gib-page-by-page", 520, 0x4000_0000L, steps);
    }

    /** The Java engine's map path alone: a fresh root on a fresh arena. */
    @State(Scope.Thread)
    public static class JavaTable {
        TableArena arena;
        RootTable root;

        @Setup(Level.Invocation)
        public void fresh() {
            arena = TableArena.create(SCENARIO.slots(), SCENARIO.paBase());
            root = new RootTable(arena, 1, VaRange.LOWER);
        }

        @TearDown(Level.Invocation)
        public void close() {
            root.close();
            arena.close();
        }
    }

    /** The crate alone: a fresh root, the step list in native memory. */
    @State(Scope.Thread)
    public static class RustTable {
        RustEngine rust;
        MemorySegment batch;

        @Setup(Level.Invocation)
        public void fresh() throws OracleUnavailableException {
            rust = new RustEngine(SCENARIO);
            rust.apply(SCENARIO.steps().getFirst());
            batch = rust.prepareMapBatch(STEPS);
        }

        @TearDown(Level.Invocation)
        public void close() {
            rust.close();
        }
    }

    /** Both engines through the differential harness. */
    @State(Scope.Thread)
    public static class BothEngines {
        JavaEngine java;
        RustEngine rust;

        @Setup(Level.Invocation)
        public void fresh() throws OracleUnavailableException {
            java = new JavaEngine(SCENARIO);
            rust = new RustEngine(SCENARIO);
            java.apply(SCENARIO.steps().getFirst());
            rust.apply(SCENARIO.steps().getFirst());
        }

        @TearDown(Level.Invocation)
        public void close() {
            java.close();
            rust.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public RootTable javaMapOneGib(JavaTable state) throws MapException {
        RootTable root = state.root;
        for (Step.MapRange m : STEPS) {
            root.mapRange(MemoryRegion.of(m.start(), m.end()), new PhysicalAddress(m.pa()), FLAGS);
        }
        return root;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public long rustMapOneGib(RustTable state) {
        long done = state.rust.mapBatch(state.batch);
        if (done != PAGES) {
            throw new IllegalStateException("the crate stopped after " + done + " steps");
        }
        return done;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public int verifiedMapOneGib(BothEngines state) {
        for (int i = 0; i < STEPS.size(); i++) {
            Step.MapRange m = STEPS.get(i);
            Verified.step(SCENARIO, state.java, state.rust, m, i);
        }
        Verified.wholeArena(state.java, state.rust, "at the end");
        return STEPS.size();
    }
}
