package dev.pvmfw.bench;

import dev.pvmfw.oracle.engine.Engine;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.engine.TraceEntry;
import dev.pvmfw.oracle.runner.Engines;
import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.oracle.scenario.FlagSet;
import dev.pvmfw.oracle.scenario.Predicate;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.oracle.scenario.Updater;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.v0_12_1.profile.Profile0121;
import dev.pvmfw.paging.v0_12_1.profile.PvmfwPageTable;
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
 * The 0.12.1 verified loops: the lists of {@link Paging0121Benchmark} as profile-0.12.1 scenarios, each step applied
 * to the Java engine and to the real aarch64-paging 0.12.1 (the engines {@code oracle.runner.Engines} gives for the
 * scenario: one downcall per step for Rust, plus the reads of its logs) and verified as {@link Verified} says: outcome
 * with its texts, updater calls with what became of each action, arena events and every table byte the step could
 * have changed (its footprint, proven for 0.12.1 by {@code FootprintTest}), after every step; the whole arena at the
 * end. In ns per step (steps verified per second = 10^9 / this):
 *
 * <ul>
 *   <li>{@code verifiedMap1GiB}: 262,144 single-page {@code map} steps over the first GiB, pvmfw's MEMORY (0xf05),
 *       on a fresh El1And0 mapping (ASID 1, root level 1, lower range), as {@code Paging0121Benchmark.*Map1GiB};</li>
 *   <li>{@code verifiedFaultStorm}: the 64 MiB window mapped lazily (DEVICE_LAZY), then one {@code modify} step per
 *       page, in order, with the corrected fault flow of {@code ../shared/reference/aarch64-paging-0.12.md} R4 op 2,
 *       as {@code Paging0121Benchmark.*FaultStorm}: an edit that does {@code set(pa, DEVICE | TABLE_OR_PAGE)} on the
 *       lazy level-3 page at the fault's PA (the first fault in a block splits it). Every step must make exactly that
 *       one call, and the page must come out as R4 op 2 says ({@code pa | DEVICE | TABLE_OR_PAGE}).</li>
 * </ul>
 *
 * Its cost as a ratio to the bare engines is against {@code Paging0121Benchmark.{java,rust}{Map1GiB,FaultStorm}} in
 * the same run. Needs the 0.12.1 oracle library ({@code -Poracle}). Run: see README ("Benchmarks").
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class Verified0121Benchmark {
    static final int PAGES = Paging0121Benchmark.PAGES;
    static final int FAULTS = Paging0121Benchmark.FAULTS;
    static final long WINDOW = Paging0121Benchmark.WINDOW;
    static final Step.NewTable TABLE = new Step.NewTable(1, VaRange.LOWER, TranslationRegime.EL1_AND_0, 1);
    static final Scenario MAP;
    static final List<Step> MAP_STEPS = new ArrayList<>(PAGES);
    static final Scenario STORM;
    static final List<Step> FAULT_STEPS = new ArrayList<>(FAULTS);
    static final long DEVICE_PAGE = Paging0121Benchmark.DEVICE_PAGE.bits();

    static {
        FlagSet memory = new FlagSet(Paging0121Benchmark.MEMORY.bits(), Profile0121.INSTANCE);
        for (long va = 0; va < (long) PAGES << 12; va += 4096) {
            MAP_STEPS.add(new Step.MapRange(va, va + 4096, va, memory));
        }
        List<Step> map = new ArrayList<>(List.of(TABLE));
        map.addAll(MAP_STEPS);
        MAP = new Scenario("verified-map-1gib-0121", Profile0121.INSTANCE, Paging0121Benchmark.SLOTS,
                Paging0121Benchmark.PA_BASE, map);

        FlagSet devicePage = new FlagSet(DEVICE_PAGE, Profile0121.INSTANCE);
        for (long a : Paging0121Benchmark.FAULT_ADDRESSES) {
            FAULT_STEPS.add(new Step.ModifyRange(a, a + 1, new Updater.Edit(Predicate.LAZY, 1 << 3,
                    new Updater.Action.Set(a, false, devicePage), new Updater.Failure.Never())));
        }
        List<Step> storm = new ArrayList<>(List.of(TABLE, new Step.MapRange(WINDOW, WINDOW + ((long) FAULTS << 12),
                WINDOW, new FlagSet(PvmfwPageTable.DEVICE_LAZY.bits(), Profile0121.INSTANCE))));
        storm.addAll(FAULT_STEPS);
        STORM = new Scenario("verified-fault-storm-0121", Profile0121.INSTANCE, Paging0121Benchmark.SLOTS,
                Paging0121Benchmark.PA_BASE, storm);
    }

    /** Both engines of a scenario with its steps up to {@code setupSteps} applied (and verified). */
    abstract static class BothEngines {
        Engine java;
        Engine rust;

        abstract Scenario scenario();

        abstract int setupSteps();

        @Setup(Level.Invocation)
        public void fresh() throws OracleUnavailableException {
            java = Engines.java(scenario());
            rust = Engines.rust(scenario());
            for (int i = 0; i < setupSteps(); i++) {
                Verified.step(scenario(), java, rust, scenario().steps().get(i), i);
            }
        }

        @TearDown(Level.Invocation)
        public void close() {
            java.close();
            rust.close();
        }
    }

    /** A fresh mapping on both sides. */
    @State(Scope.Thread)
    public static class FreshMapping extends BothEngines {
        @Override
        Scenario scenario() {
            return MAP;
        }

        @Override
        int setupSteps() {
            return 1;
        }
    }

    /** Both sides with the window mapped lazily. */
    @State(Scope.Thread)
    public static class LazyWindow extends BothEngines {
        @Override
        Scenario scenario() {
            return STORM;
        }

        @Override
        int setupSteps() {
            return 2;
        }
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public int verifiedMap1GiB(FreshMapping state) {
        for (int i = 0; i < PAGES; i++) {
            Verified.step(MAP, state.java, state.rust, MAP_STEPS.get(i), i + 1);
        }
        Verified.wholeArena(state.java, state.rust, "at the end");
        return PAGES;
    }

    @Benchmark
    @OperationsPerInvocation(FAULTS)
    public int verifiedFaultStorm(LazyWindow state) {
        for (int i = 0; i < FAULTS; i++) {
            StepResult r = Verified.step(STORM, state.java, state.rust, FAULT_STEPS.get(i), i + 2);
            List<TraceEntry> calls = r.trace();
            long pa = Paging0121Benchmark.FAULT_ADDRESSES[i];
            if (calls.size() != 1 || calls.getFirst().level() != 3 || calls.getFirst().after() != (pa | DEVICE_PAGE)) {
                throw new IllegalStateException("fault " + i + " at 0x" + Long.toHexString(pa)
                        + " is not R4 op 2's one set on its lazy page: " + calls);
            }
        }
        Verified.wholeArena(state.java, state.rust, "at the end");
        return FAULTS;
    }
}
