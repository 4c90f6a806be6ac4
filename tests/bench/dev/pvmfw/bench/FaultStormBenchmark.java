package dev.pvmfw.bench;

import dev.pvmfw.era2023_05.KvmHypervisor;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.era2023_05.MemoryTracker;
import dev.pvmfw.era2023_05.MemoryTrackerException;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.oracle.rust.RustEngine;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.TableArena;
import java.lang.foreign.MemorySegment;
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
 * A fault storm over a lazily mapped 64 MiB MMIO window: every one of its 16,384 pages faulted in, in order (each
 * first fault in a 2 MiB block splits it). In ns per fault:
 *
 * <ul>
 *   <li>{@code javaFaultStorm}: pvmfw's {@code MemoryTracker.handleMmioFault} in Java over a recording hypervisor;</li>
 *   <li>{@code rustFaultStorm}: the same path in Rust over the real crate, every fault in one downcall
 *       ({@code pvp040_tracker_fault_batch});</li>
 *   <li>{@code verifiedFaultStorm}: the differential loop, each fault applied to both engines and verified as
 *       {@link Verified} says (outcome with its texts, pvmfw's callback calls, arena events, hypervisor calls and the
 *       fault's footprint, after every fault; the whole arena at the end).</li>
 * </ul>
 *
 * Needs the oracle library. Run: see README ("Benchmarks").
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class FaultStormBenchmark {
    static final long WINDOW = 0x200_0000L;
    static final int PAGES = (64 << 20) / 4096;
    static final long[] FAULTS = new long[PAGES];
    static final Scenario SETUP = new Scenario("fault-storm", 64, TableArena.DEFAULT_PA_BASE, List.of(
            new Step.NewTracker(1L << 40, true), new Step.MmioMap(WINDOW, WINDOW + ((long) PAGES << 12))));

    static {
        for (int i = 0; i < PAGES; i++) {
            FAULTS[i] = WINDOW + ((long) i << 12);
        }
    }

    /** The Java tracker alone, with the window mapped lazily. */
    @State(Scope.Thread)
    public static class JavaTracker {
        TableArena arena;
        MemoryTracker tracker;

        @Setup(Level.Invocation)
        public void lazyWindow() throws Exception {
            arena = TableArena.create(64);
            tracker = new MemoryTracker(new PvmfwPageTable(arena), new KvmHypervisor(new RecordingHypervisor(), true));
            tracker.mapMmioRange(WINDOW, WINDOW + ((long) PAGES << 12));
        }

        @TearDown(Level.Invocation)
        public void close() {
            tracker.close();
            arena.close();
        }
    }

    /** The Rust tracker alone, the window mapped lazily, the fault list in native memory. */
    @State(Scope.Thread)
    public static class RustTracker {
        RustEngine rust;
        MemorySegment batch;

        @Setup(Level.Invocation)
        public void lazyWindow() throws OracleUnavailableException {
            rust = new RustEngine(SETUP);
            SETUP.steps().forEach(rust::apply);
            batch = rust.prepareFaults(FAULTS);
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
        public void lazyWindow() throws OracleUnavailableException {
            java = new JavaEngine(SETUP);
            rust = new RustEngine(SETUP);
            for (Step step : SETUP.steps()) {
                java.apply(step);
                rust.apply(step);
            }
        }

        @TearDown(Level.Invocation)
        public void close() {
            java.close();
            rust.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public MemoryTracker javaFaultStorm(JavaTracker state) throws MemoryTrackerException {
        for (long addr : FAULTS) {
            state.tracker.handleMmioFault(addr);
        }
        return state.tracker;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public long rustFaultStorm(RustTracker state) {
        long done = state.rust.faultBatch(state.batch);
        if (done != PAGES) {
            throw new IllegalStateException("the crate stopped after " + done + " faults");
        }
        return done;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public int verifiedFaultStorm(BothEngines state) {
        for (int i = 0; i < FAULTS.length; i++) {
            Verified.step(SETUP, state.java, state.rust, new Step.Fault(FAULTS[i]), i);
        }
        Verified.wholeArena(state.java, state.rust, "at the end");
        return FAULTS.length;
    }

}
