package dev.pvmfw.bench;

import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.v0_12_1.Constraints;
import dev.pvmfw.paging.v0_12_1.El1Attributes;
import dev.pvmfw.paging.v0_12_1.Mapping;
import dev.pvmfw.paging.v0_12_1.profile.PvmfwPageTable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The 0.12.1 verified loops and the two bare engines of {@link Verified0121Benchmark} and {@link Paging0121Benchmark},
 * timed by the thread's CPU time ({@code clock_gettime(CLOCK_THREAD_CPUTIME_ID)}, Linux) as well as the wall clock, for a shared machine where other processes take the
 * cores: the six loops run in alternation (map: Java, Rust, verified; fault storm: the same), {@code rounds} times
 * after {@code warmup} rounds, each timing one whole list after a fresh setup (not timed); the report gives, per
 * loop, the median and the range of ns per step, CPU and wall, and the verified loop's ratio to Java + Rust by the
 * medians. One thread. Run: see README ("Benchmarks"); arguments {@code [rounds [warmup]]} (default 15 and 5) and
 * the library as {@code -Dpvmfw.oracle.lib.0.12.1=…} (or inside a {@code -jvmArgsAppend "…"} argument, as the
 * {@code bench} profile passes it).
 */
public final class Verified0121Cpu {
    /** {@code clock_gettime(CLOCK_THREAD_CPUTIME_ID, *ts)} from the C library. */
    private static final MethodHandle CLOCK_GETTIME = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("clock_gettime").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    /** Linux's {@code CLOCK_THREAD_CPUTIME_ID}. */
    private static final int CLOCK_THREAD_CPUTIME_ID = 3;
    private static final MemorySegment TIMESPEC = Arena.global().allocate(16, 8);

    /** The calling thread's CPU time in ns, {@code clock_gettime(CLOCK_THREAD_CPUTIME_ID)} (what ThreadMXBean uses). */
    static long threadCpuNanos() {
        try {
            int rc = (int) CLOCK_GETTIME.invokeExact(CLOCK_THREAD_CPUTIME_ID, TIMESPEC);
            if (rc != 0) {
                throw new IllegalStateException("clock_gettime failed: " + rc);
            }
        } catch (Throwable t) {
            throw new IllegalStateException("clock_gettime: " + t, t);
        }
        return TIMESPEC.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + TIMESPEC.get(ValueLayout.JAVA_LONG, 8);
    }

    /** The 1-minute load average, from {@code /proc/loadavg}. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private Verified0121Cpu() {}

    public static void main(String[] args) {
        int rounds = 15;
        int warmup = 5;
        int n = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-jvmArgsAppend") && i + 1 < args.length) {
                for (String a : args[++i].split(" ")) {
                    if (a.startsWith("-D") && a.contains("=")) {
                        System.setProperty(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
                    }
                }
            } else if (n++ == 0) {
                rounds = Integer.parseInt(args[i]);
            } else {
                warmup = Integer.parseInt(args[i]);
            }
        }
        String loadAtStart = loadAverage();
        String[] names = {"map java", "map rust", "map verified", "storm java", "storm rust", "storm verified"};
        int[] steps = {Verified0121Benchmark.PAGES, Verified0121Benchmark.PAGES, Verified0121Benchmark.PAGES,
            Verified0121Benchmark.FAULTS, Verified0121Benchmark.FAULTS, Verified0121Benchmark.FAULTS};
        Supplier<Runnable>[] loops = loops();
        double[][] cpu = new double[loops.length][rounds];
        double[][] wall = new double[loops.length][rounds];
        for (int r = -warmup; r < rounds; r++) {
            for (int k = 0; k < loops.length; k++) {
                Runnable run = loops[k].get();
                long c0 = threadCpuNanos();
                long w0 = System.nanoTime();
                run.run();
                long w1 = System.nanoTime();
                long c1 = threadCpuNanos();
                if (r >= 0) {
                    cpu[k][r] = (c1 - c0) / (double) steps[k];
                    wall[k][r] = (w1 - w0) / (double) steps[k];
                }
            }
        }
        System.out.printf("%d rounds after %d warm-up rounds; load average at the start %s, at the end %s%n", rounds,
                warmup, loadAtStart, loadAverage());
        System.out.printf("%-15s %28s %28s%n", "loop", "thread CPU ns/step (min-max)", "wall ns/step (min-max)");
        for (int k = 0; k < loops.length; k++) {
            System.out.printf("%-15s %10.1f (%6.1f-%7.1f) %10.1f (%6.1f-%7.1f)%n", names[k], median(cpu[k]),
                    min(cpu[k]), max(cpu[k]), median(wall[k]), min(wall[k]), max(wall[k]));
        }
        for (int list = 0; list < 2; list++) {
            int j = 3 * list;
            double vc = median(cpu[j + 2]);
            double vw = median(wall[j + 2]);
            System.out.printf("%s: verified %.2f M steps/s by CPU (%.2f M by wall); verified / (java + rust) = %.2f "
                    + "by CPU, %.2f by wall%n", list == 0 ? "map 1 GiB" : "fault storm", 1e3 / vc, 1e3 / vw,
                    vc / (median(cpu[j]) + median(cpu[j + 1])), vw / (median(wall[j]) + median(wall[j + 1])));
        }
    }

    @SuppressWarnings("unchecked")
    private static Supplier<Runnable>[] loops() {
        return new Supplier[] {
            () -> {
                TableArena arena = TableArena.create(Paging0121Benchmark.SLOTS, Paging0121Benchmark.PA_BASE);
                Mapping<El1Attributes> m = Paging0121Benchmark.newMapping(arena);
                return (Runnable) () -> {
                    try {
                        Paging0121Benchmark.mapOneGib(m);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        m.close();
                        arena.close();
                    }
                };
            },
            () -> {
                Crate0121 crate = new Crate0121(Paging0121Benchmark.SLOTS, Paging0121Benchmark.PA_BASE);
                return (Runnable) () -> {
                    try {
                        Paging0121Benchmark.expect(Verified0121Benchmark.PAGES, crate.mapPages(0,
                                Verified0121Benchmark.PAGES, 0, Paging0121Benchmark.MEMORY.bits(), 0), "pages");
                    } finally {
                        crate.close();
                    }
                };
            },
            () -> verified(new Verified0121Benchmark.FreshMapping(), s -> new Verified0121Benchmark()
                    .verifiedMap1GiB((Verified0121Benchmark.FreshMapping) s)),
            () -> {
                TableArena arena = TableArena.create(Paging0121Benchmark.SLOTS, Paging0121Benchmark.PA_BASE);
                Mapping<El1Attributes> m = Paging0121Benchmark.newMapping(arena);
                try {
                    m.mapRange(MemoryRegion.of(Paging0121Benchmark.WINDOW, Paging0121Benchmark.WINDOW
                            + ((long) Paging0121Benchmark.FAULTS << 12)), new PhysicalAddress(
                                    Paging0121Benchmark.WINDOW), PvmfwPageTable.DEVICE_LAZY, Constraints.empty());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return (Runnable) () -> {
                    try {
                        for (long a : Paging0121Benchmark.FAULT_ADDRESSES) {
                            m.modifyRange(MemoryRegion.of(a, a + 1), Paging0121Benchmark.FAULT);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        m.close();
                        arena.close();
                    }
                };
            },
            () -> {
                Crate0121 crate = new Crate0121(Paging0121Benchmark.SLOTS, Paging0121Benchmark.PA_BASE);
                long w = Paging0121Benchmark.WINDOW;
                crate.mapRange(w, w + ((long) Paging0121Benchmark.FAULTS << 12), w,
                        PvmfwPageTable.DEVICE_LAZY.bits());
                var faults = crate.prepare(Paging0121Benchmark.FAULT_ADDRESSES);
                return (Runnable) () -> {
                    try {
                        Paging0121Benchmark.expect(Paging0121Benchmark.FAULTS, crate.faultBatch(faults,
                                Paging0121Benchmark.DEVICE_PAGE.bits()), "faults");
                    } finally {
                        crate.close();
                    }
                };
            },
            () -> verified(new Verified0121Benchmark.LazyWindow(), s -> new Verified0121Benchmark()
                    .verifiedFaultStorm((Verified0121Benchmark.LazyWindow) s)),
        };
    }

    private static Runnable verified(Verified0121Benchmark.BothEngines state,
            java.util.function.Consumer<Verified0121Benchmark.BothEngines> body) {
        try {
            state.fresh();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return () -> {
            try {
                body.accept(state);
            } finally {
                state.close();
            }
        };
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
