package dev.pvmfw.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Paired alternating runs of the six Java-vs-crate lists (issue 11, "Speed"): the same bodies as the JMH benchmarks
 * ({@link OracleBenchmark}, {@link FaultStormBenchmark}, {@link Modify040Benchmark}, {@link Paging0121Benchmark}),
 * each list run as Java then Rust, or Rust then Java (the order alternates round by round), in the same JVM, so the two
 * runs of a pair see the same machine state. A pair gives one ratio Java / Rust; per list the report is the median
 * ratio with a distribution-free 95 % confidence interval on it (the order statistics {@code k} and
 * {@code n + 1 − k} of the {@code n} ratios, {@code k} the largest with {@code P(Binomial(n, ½) < k) ≤ 2.5 %}).
 *
 * <p>Each run is timed in <b>thread CPU time</b> ({@code clock_gettime(CLOCK_THREAD_CPUTIME_ID)} through FFM, the
 * kernel's per-thread clock) around the body alone — setup and teardown are outside it, as in the JMH benchmarks — so time the
 * thread spends preempted by other jobs on a shared machine does not count; wall-clock time is reported beside it.
 * The Rust side runs each whole list in one downcall, as in the JMH benchmarks.
 *
 * <p>The parent process runs each list in {@code forks} fresh JVMs of its own (one list per JVM, as JMH runs one
 * benchmark per fork, so one list's type profile cannot shape another's compiled code, and one JIT outcome does not
 * decide the result) and pools their pairs. Arguments, all optional, {@code name=value}: {@code forks} (default 5), {@code warmup}
 * rounds per fork (default 40, not counted), {@code rounds} per fork (default 40), {@code lists} (a regex over the
 * list names {@code 0.4.0/map}, {@code 0.4.0/fault}, {@code 0.4.0/modify}, {@code 0.12.1/map}, …; default all),
 * {@code jvmArgs} for the forks, separated by commas (default {@code -Xms2g -Xmx2g -XX:+AlwaysPreTouch}: a fixed heap whose pages are
 * touched at start-up, so a fresh JVM's first touch of its heap, a kernel page fault per 4 KiB allocated, is not
 * counted as the steady state it is not). Run: see README ("Benchmarks").
 */
public final class PairedRuns {
    /** {@code CLOCK_THREAD_CPUTIME_ID} (Linux). */
    private static final int CLOCK_THREAD_CPUTIME_ID = 3;
    private static final MethodHandle CLOCK_GETTIME = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("clock_gettime").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MemorySegment TIMESPEC = Arena.global().allocate(16, 8);

    private PairedRuns() {}

    /** One side of a list: a fresh state, the timed body over it, and its release. */
    interface Side<S> {
        S setUp() throws Exception;

        void run(S state) throws Exception;

        void tearDown(S state) throws Exception;
    }

    /** A list: its Java and Rust sides and how many operations one run makes. */
    record Bench(String name, int ops, Side<?> java, Side<?> rust) {}

    static <S> Side<S> side(ThrowingSupplier<S> setUp, ThrowingConsumer<S> run, ThrowingConsumer<S> tearDown) {
        return new Side<>() {
            @Override
            public S setUp() throws Exception {
                return setUp.get();
            }

            @Override
            public void run(S state) throws Exception {
                run.accept(state);
            }

            @Override
            public void tearDown(S state) throws Exception {
                tearDown.accept(state);
            }
        };
    }

    interface ThrowingSupplier<S> {
        S get() throws Exception;
    }

    interface ThrowingConsumer<S> {
        void accept(S state) throws Exception;
    }

    static List<Bench> benches() {
        OracleBenchmark map040 = new OracleBenchmark();
        FaultStormBenchmark fault040 = new FaultStormBenchmark();
        Modify040Benchmark modify040 = new Modify040Benchmark();
        Paging0121Benchmark b0121 = new Paging0121Benchmark();
        return List.of(
                new Bench("0.4.0/map", OracleBenchmark.PAGES,
                        side(() -> { var s = new OracleBenchmark.JavaTable(); s.fresh(); return s; },
                                map040::javaMapOneGib, OracleBenchmark.JavaTable::close),
                        side(() -> { var s = new OracleBenchmark.RustTable(); s.fresh(); return s; },
                                map040::rustMapOneGib, OracleBenchmark.RustTable::close)),
                new Bench("0.4.0/fault", FaultStormBenchmark.PAGES,
                        side(() -> { var s = new FaultStormBenchmark.JavaTracker(); s.lazyWindow(); return s; },
                                fault040::javaFaultStorm, FaultStormBenchmark.JavaTracker::close),
                        side(() -> { var s = new FaultStormBenchmark.RustTracker(); s.lazyWindow(); return s; },
                                fault040::rustFaultStorm, FaultStormBenchmark.RustTracker::close)),
                new Bench("0.4.0/modify", Modify040Benchmark.PAGES,
                        side(() -> { var s = new Modify040Benchmark.JavaMapped(); s.mapped(); return s; },
                                modify040::javaModify1GiB040, Modify040Benchmark.JavaMapped::close),
                        side(() -> { var s = new Modify040Benchmark.RustMapped(); s.mapped(); return s; },
                                modify040::rustModify1GiB040, Modify040Benchmark.RustMapped::close)),
                new Bench("0.12.1/map", Paging0121Benchmark.PAGES,
                        side(() -> { var s = new Paging0121Benchmark.JavaFresh(); s.fresh(); return s; },
                                b0121::javaMap1GiB, Paging0121Benchmark.JavaFresh::close),
                        side(() -> { var s = new Paging0121Benchmark.RustFresh(); s.fresh(); return s; },
                                b0121::rustMap1GiB, Paging0121Benchmark.RustFresh::close)),
                new Bench("0.12.1/fault", Paging0121Benchmark.FAULTS,
                        side(() -> { var s = new Paging0121Benchmark.JavaLazy(); s.fresh(); s.lazyWindow(); return s; },
                                b0121::javaFaultStorm, Paging0121Benchmark.JavaLazy::close),
                        side(() -> { var s = new Paging0121Benchmark.RustLazy(); s.fresh(); s.lazyWindow(); return s; },
                                b0121::rustFaultStorm, Paging0121Benchmark.RustLazy::close)),
                new Bench("0.12.1/modify", Paging0121Benchmark.PAGES,
                        side(() -> { var s = new Paging0121Benchmark.JavaMapped(); s.fresh(); s.mapped(); return s; },
                                b0121::javaModify1GiB, Paging0121Benchmark.JavaMapped::close),
                        side(() -> { var s = new Paging0121Benchmark.RustMapped(); s.fresh(); s.mapped(); return s; },
                                b0121::rustModify1GiB, Paging0121Benchmark.RustMapped::close)));
    }

    /**
     * This thread's CPU time in ns: {@code clock_gettime(CLOCK_THREAD_CPUTIME_ID)} (exact to the ns on Linux, unlike
     * {@code /proc/thread-self/schedstat}, which lags by up to a scheduler tick).
     */
    static long threadCpuNanos() {
        try {
            int rc = (int) CLOCK_GETTIME.invokeExact(CLOCK_THREAD_CPUTIME_ID, TIMESPEC);
            if (rc != 0) {
                throw new IllegalStateException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
            }
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
        return TIMESPEC.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + TIMESPEC.get(ValueLayout.JAVA_LONG, 8);
    }

    /** Thread CPU and wall ns of one run of the body. */
    @SuppressWarnings("unchecked")
    static <S> long[] once(Side<S> side) throws Exception {
        S state = side.setUp();
        try {
            long cpu0 = threadCpuNanos();
            long wall0 = System.nanoTime();
            side.run(state);
            long wall1 = System.nanoTime();
            long cpu1 = threadCpuNanos();
            return new long[] {cpu1 - cpu0, wall1 - wall0};
        } finally {
            side.tearDown(state);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("forks", "5");
        opts.put("warmup", "40");
        opts.put("rounds", "40");
        opts.put("lists", ".*");
        // A fixed, pre-touched heap: the first touch of each page of a fresh JVM's heap (a kernel page fault per 4 KiB
        // the fault storm allocates, until the heap has been used once) is start-up cost, not the steady state.
        opts.put("jvmArgs", "-Xms2g -Xmx2g -XX:+AlwaysPreTouch");
        boolean child = false;
        List<String> passThrough = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--child")) {
                child = true;
            } else if (a.equals("-jvmArgsAppend") && i + 1 < args.length) {
                // What the bench profile appends for JMH's forks: the oracle library paths, as -D options.
                for (String p : args[++i].trim().split("\\s+")) {
                    if (p.startsWith("-D") && p.contains("=")) {
                        System.setProperty(p.substring(2, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
                        passThrough.add(p);
                    }
                }
            } else if (a.contains("=")) {
                opts.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else {
                throw new IllegalArgumentException("unknown argument " + a
                        + " (forks=N warmup=N rounds=N lists=REGEX)");
            }
        }
        Pattern lists = Pattern.compile(opts.get("lists"));
        List<Bench> selected = benches().stream().filter(b -> lists.matcher(b.name()).matches()).toList();
        if (child) {
            runChild(selected, Integer.parseInt(opts.get("warmup")), Integer.parseInt(opts.get("rounds")));
        } else {
            runParent(selected, opts, passThrough);
        }
    }

    /** Rounds in this JVM; one line per pair: {@code PAIR list javaCpu rustCpu javaWall rustWall} (ns per op). */
    static void runChild(List<Bench> selected, int warmup, int rounds) throws Exception {
        for (int r = 0; r < warmup + rounds; r++) {
            for (Bench b : selected) {
                boolean javaFirst = (r & 1) == 0;
                long[] first = javaFirst ? once(b.java()) : once(b.rust());
                long[] second = javaFirst ? once(b.rust()) : once(b.java());
                long[] java = javaFirst ? first : second;
                long[] rust = javaFirst ? second : first;
                if (r >= warmup) {
                    System.out.printf(Locale.ROOT, "PAIR %s %.3f %.3f %.3f %.3f%n", b.name(),
                            java[0] / (double) b.ops(), rust[0] / (double) b.ops(),
                            java[1] / (double) b.ops(), rust[1] / (double) b.ops());
                }
            }
        }
        System.out.flush();
    }

    static void runParent(List<Bench> selected, Map<String, String> opts, List<String> passThrough) throws Exception {
        int forks = Integer.parseInt(opts.get("forks"));
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Map<String, List<double[]>> pairs = new LinkedHashMap<>();
        selected.forEach(b -> pairs.put(b.name(), new ArrayList<>()));
        long start = System.nanoTime();
        int total = forks * selected.size();
        int done = 0;
        for (int f = 0; f < forks; f++) {
            for (Bench b : selected) {
                // One list per JVM, as JMH runs one benchmark per fork: no list's type profile shapes another's code.
                List<String> cmd = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED"));
                cmd.addAll(List.of(opts.get("jvmArgs").trim().split("[\\s,]+")));
                cmd.addAll(passThrough);
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PairedRuns.class.getName(),
                        "--child", "warmup=" + opts.get("warmup"), "rounds=" + opts.get("rounds"),
                        "lists=" + Pattern.quote(b.name())));
                if (done == 0 && opts.containsKey("show")) {
                    System.err.println(String.join(" ", cmd));
                }
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                try (var in = p.inputReader()) {
                    for (String line; (line = in.readLine()) != null; ) {
                        String[] w = line.split(" ");
                        if (w.length == 6 && w[0].equals("PAIR")) {
                            pairs.get(w[1]).add(new double[] {Double.parseDouble(w[2]), Double.parseDouble(w[3]),
                                    Double.parseDouble(w[4]), Double.parseDouble(w[5]), f});
                        } else {
                            System.out.println(line);
                        }
                    }
                }
                if (p.waitFor() != 0) {
                    throw new IllegalStateException(b.name() + ": fork " + f + " failed with exit code "
                            + p.exitValue());
                }
                done++;
                System.err.printf(Locale.ROOT, "%d of %d forks done (%s) after %.0f s%n", done, total, b.name(),
                        (System.nanoTime() - start) / 1e9);
            }
        }
        System.out.printf(Locale.ROOT, "%d forks x %s rounds (after %s warm-up rounds), thread CPU ns per op:%n",
                forks, opts.get("rounds"), opts.get("warmup"));
        System.out.println("| list | pairs | Java ns/op (median) | Rust ns/op (median) | Java / Rust: median [95 % CI] "
                + "| per fork | wall-clock Java / Rust: median [95 % CI] |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (var e : pairs.entrySet()) {
            List<double[]> ps = e.getValue();
            double[] java = ps.stream().mapToDouble(x -> x[0]).toArray();
            double[] rust = ps.stream().mapToDouble(x -> x[1]).toArray();
            double[] cpu = ps.stream().mapToDouble(x -> x[0] / x[1]).toArray();
            double[] wall = ps.stream().mapToDouble(x -> x[2] / x[3]).toArray();
            double[] c = medianCi(cpu);
            double[] w = medianCi(wall);
            List<String> perFork = new ArrayList<>();
            for (int f = 0; f < forks; f++) {
                int fork = f;
                perFork.add(String.format(Locale.ROOT, "%.2f",
                        medianCi(ps.stream().filter(x -> x[4] == fork).mapToDouble(x -> x[0] / x[1]).toArray())[0]));
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | **%.2f** [%.2f, %.2f] | %s | %.2f [%.2f, %.2f] |%n",
                    e.getKey(), ps.size(), medianCi(java)[0], medianCi(rust)[0], c[0], c[1], c[2],
                    String.join(", ", perFork), w[0], w[1], w[2]);
        }
    }

    /**
     * The median and the distribution-free 95 % interval on it: order statistics {@code x(k)} and {@code x(n+1−k)},
     * {@code k} the largest with {@code P(B < k) ≤ 0.025}, B ~ Binomial(n, ½) (coverage at least 95 %).
     */
    static double[] medianCi(double[] values) {
        double[] x = values.clone();
        Arrays.sort(x);
        int n = x.length;
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        double median = n % 2 == 1 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
        int k = 0;
        if (n > 1000) {
            k = (int) Math.floor(n / 2.0 - 1.96 * Math.sqrt(n) / 2); // the normal approximation (0.5^n underflows)
        } else {
            double p = Math.pow(0.5, n); // P(B = 0)
            double cumulative = 0;
            for (int j = 0; j < n; j++) {
                cumulative += p; // P(B <= j)
                if (cumulative > 0.025) {
                    break;
                }
                k = j + 1; // P(B < k) = P(B <= j) <= 0.025
                p = p * (n - j) / (j + 1);
            }
        }
        if (k == 0) {
            return new double[] {median, x[0], x[n - 1]};
        }
        return new double[] {median, x[k - 1], x[n - k]};
    }
}
