package dev.pvmfw.planted;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.pvmfw.oracle.golden.GoldenVectors;
import dev.pvmfw.oracle.generator.ScenarioGenerator;
import dev.pvmfw.oracle.runner.Differential;
import dev.pvmfw.oracle.runner.Divergence;
import dev.pvmfw.oracle.rust.OracleLibrary;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.scenario.Step;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs one oracle of the planted-bug catalogue ({@code tests/planted-bugs/README.md}) within its budget, on whatever
 * engine classes are on the class path (the runner puts a patched build first), and prints one line:
 * {@code RESULT <tab> caught|not-caught|unavailable <tab> check <tab> steps <tab> detail}, then the first report.
 *
 * <p>{@code PlantedBugOracle ORACLE [BUDGET]}, ORACLE one of:
 * <ul>
 *   <li>{@code live}: every named scenario against the crate (Debug dump after every step), then the seeded random
 *       campaign of {@code LiveDifferentialTest} (two table scenarios to one tracker scenario), until BUDGET live
 *       steps (default 50,000) in all;</li>
 *   <li>{@code pvmfw-rust}: our Rust transcription of pvmfw against the Java tracker: the named tracker scenarios,
 *       then random tracker scenarios, until BUDGET steps;</li>
 *   <li>{@code live-random}, {@code pvmfw-rust-random}: the same without the named scenarios (what the generator
 *       alone finds);</li>
 *   <li>{@code golden}: the full replay of the golden vectors (named, random, tracker), no Rust needed;</li>
 *   <li>{@code reference}: the test classes whose values come from the reference, once, through the JUnit
 *       launcher;</li>
 *   <li>{@code qemu}: the QEMU cross-check's test classes, once (they need qemu-system-aarch64).</li>
 * </ul>
 * The campaign seed is {@value #SEED_TEXT} unless {@code -Dpvmfw.seed} says otherwise. Exit status 0 caught, 1 not
 * caught, 3 oracle unavailable, 2 usage.
 */
public final class PlantedBugOracle {
    static final String SEED_TEXT = "0x5eedb065";
    /** The tests with values taken from the reference (the Arm ARM, pvmfw's and libhyp's sources). */
    static final List<String> REFERENCE_CLASSES = List.of("dev.pvmfw.exceptions.EsrTest", "dev.pvmfw.mmu.WalkerTest",
            "dev.pvmfw.exceptions.ExceptionHandlerTest", "dev.pvmfw.cpu.CpuTest", "dev.pvmfw.hyp.SmcccTest",
            "dev.pvmfw.era2023_05.KvmHypervisorTest");
    /** The QEMU cross-check of the MMU model and the ESRs (docs/qemu-oracle.md); it needs qemu-system-aarch64. */
    static final List<String> QEMU_CLASSES = List.of("dev.pvmfw.qemu.QemuProbesTest", "dev.pvmfw.qemu.QemuCampaignTest");
    static final String[] GOLDEN_FILES = {"named.txt", "random.txt.gz", "tracker.txt.gz"};

    /** What an oracle found: whether it caught the bug, by which check, after how many steps, and its report. */
    record Finding(String status, String check, long steps, String detail, String report) {}

    private PlantedBugOracle() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: PlantedBugOracle live|pvmfw-rust|live-random|pvmfw-rust-random|golden|reference|qemu [BUDGET]");
            System.exit(2);
        }
        long budget = args.length > 1 && !args[1].equals("full") && !args[1].equals("classes")
                ? Long.parseLong(args[1].replace("_", "").replace(",", "")) : 50_000;
        long started = System.nanoTime();
        Finding f = switch (args[0]) {
            case "live" -> live(budget, false, true);
            case "pvmfw-rust" -> live(budget, true, true);
            case "live-random" -> live(budget, false, false);
            case "pvmfw-rust-random" -> live(budget, true, false);
            case "golden" -> golden();
            case "reference" -> junit("reference", REFERENCE_CLASSES);
            case "qemu" -> junit("qemu", QEMU_CLASSES);
            default -> {
                System.err.println("unknown oracle " + args[0]);
                System.exit(2);
                yield null;
            }
        };
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("RESULT\t%s\t%s\t%d\t%s (%.1f s)%n", f.status(), f.check(), f.steps(), f.detail(), seconds);
        if (!f.report().isEmpty()) {
            System.out.println(f.report());
        }
        System.exit(switch (f.status()) {
            case "caught" -> 0;
            case "not-caught" -> 1;
            default -> 3;
        });
    }

    static long seed() {
        return Long.decode(System.getProperty("pvmfw.seed", SEED_TEXT));
    }

    static List<Scenario> named() throws Exception {
        try (InputStream in = PlantedBugOracle.class.getResourceAsStream("/dev/pvmfw/oracle/named-scenarios.txt")) {
            return ScenarioText.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static boolean isTracker(Scenario s) {
        return !s.steps().isEmpty() && s.steps().getFirst() instanceof Step.NewTracker;
    }

    /** The live crate ({@code trackerOnly} false) or our Rust transcription of pvmfw (tracker scenarios only). */
    static Finding live(long budget, boolean trackerOnly, boolean withNamed) throws Exception {
        OracleLibrary.Availability a = OracleLibrary.availability();
        if (!a.available()) {
            return new Finding("unavailable", "-", 0, "the Rust oracle library is unavailable: " + a.reason(), "");
        }
        String kind = trackerOnly ? "pvmfw-rust" : "live";
        long steps = 0;
        int scenarios = 0;
        for (Scenario s : withNamed ? named() : List.<Scenario>of()) {
            if (trackerOnly && !isTracker(s)) {
                continue;
            }
            Optional<Finding> f = runOne(s, Differential.DumpCheck.EVERY_STEP, steps, kind + " named scenario "
                    + s.name());
            scenarios++;
            if (f.isPresent()) {
                return f.get();
            }
            steps += lastSteps;
        }
        long seed = seed();
        SplittableRandom seeds = new SplittableRandom(seed);
        int random = 0;
        while (steps < budget) {
            long s = seeds.nextLong();
            Scenario scenario = trackerOnly || random % 3 == 2 ? ScenarioGenerator.generateTracker(s, 25)
                    : ScenarioGenerator.generate(s, 20);
            random++;
            Optional<Finding> f = runOne(scenario, Differential.DumpCheck.AT_END, steps, kind + " random campaign"
                    + " (seed " + Long.toHexString(seed) + ", scenario " + random + ")");
            if (f.isPresent()) {
                return f.get();
            }
            steps += lastSteps;
        }
        return new Finding("not-caught", "-", steps, scenarios + " named and " + random + " random scenarios agree",
                "");
    }

    private static int lastSteps;

    /** One scenario on both engines; a divergence or an exception of the harness is the bug caught. */
    static Optional<Finding> runOne(Scenario s, Differential.DumpCheck dumps, long before, String where) {
        try {
            Differential.Report r = Differential.run(s, dumps);
            lastSteps = r.steps();
            if (r.divergence().isPresent()) {
                Divergence d = r.divergence().get();
                return Optional.of(new Finding("caught", where + ", step " + d.stepIndex() + ": " + d.what(),
                        before + d.stepIndex() + 1, "scenario " + s.name(), ScenarioText.format(s) + d.report()));
            }
            return Optional.empty();
        } catch (Exception | AssertionError e) {
            return Optional.of(new Finding("caught", where + ": " + e.getClass().getSimpleName(), before + 1,
                    "scenario " + s.name() + " threw", ScenarioText.format(s) + stackTrace(e)));
        }
    }

    static final Pattern STEP = Pattern.compile(", step (\\d+):");

    /** The full replay of every golden vector; steps are counted up to the failing one. */
    static Finding golden() throws Exception {
        long steps = 0;
        int vectors = 0;
        for (String file : GOLDEN_FILES) {
            GoldenVectors.VectorFile vf;
            try (InputStream raw = PlantedBugOracle.class.getResourceAsStream(
                    "/dev/pvmfw/oracle/golden/aarch64-paging-0.4.0/" + file);
                    InputStream in = file.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
                vf = GoldenVectors.read(in);
            }
            for (GoldenVectors.Vector v : vf.vectors()) {
                vectors++;
                Optional<String> d;
                try {
                    d = GoldenVectors.replay(v);
                } catch (Exception | AssertionError e) {
                    d = Optional.of("scenario " + v.scenario().name() + " threw\n" + stackTrace(e));
                }
                if (d.isPresent()) {
                    Matcher m = STEP.matcher(d.get());
                    int at = m.find() ? Integer.parseInt(m.group(1)) : v.expectations().size() - 1;
                    String what = d.get().lines().skip(1).findFirst().orElse("").strip();
                    return new Finding("caught", "golden " + file + " " + v.scenario().name() + ", step " + at + ": "
                            + what, steps + at + 1, vectors + " vectors replayed", d.get());
                }
                steps += v.expectations().size();
            }
        }
        return new Finding("not-caught", "-", steps, vectors + " vectors agree", "");
    }

    /** Test classes, once: a failed test is the bug caught; a test skipped by an assumption (no QEMU) is not run. */
    static Finding junit(String kind, List<String> classes) throws Exception {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (String name : classes) {
            request.selectors(selectClass(Class.forName(name)));
        }
        LauncherDiscoveryRequest discovery = request.build();
        List<String> failures = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        long[] tests = {0};
        long[] skipped = {0};
        long[] firstFailureAt = {0};
        Launcher launcher = LauncherFactory.create();
        launcher.execute(discovery, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest()) {
                    return;
                }
                if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
                    skipped[0]++;
                    return;
                }
                tests[0]++;
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    String name = testName(id);
                    if (failures.isEmpty()) {
                        firstFailureAt[0] = tests[0];
                        report.append(name).append(": ").append(result.getThrowable().map(t -> String.valueOf(
                                t.getMessage())).orElse(result.getStatus().toString())).append('\n');
                    }
                    failures.add(name);
                }
            }
        });
        if (tests[0] == 0) {
            return new Finding("unavailable", "-", 0, "every " + kind + " test was skipped (" + skipped[0] + ")", "");
        }
        if (failures.isEmpty()) {
            return new Finding("not-caught", "-", tests[0], tests[0] + " tests pass, " + skipped[0] + " skipped", "");
        }
        return new Finding("caught", kind + " " + failures.getFirst(), firstFailureAt[0], failures.size() + " of "
                + tests[0] + " tests fail: " + String.join(", ", failures), report.toString().strip());
    }

    /** {@code Class#method} of a test, from its source. */
    static String testName(TestIdentifier id) {
        return id.getSource().map(s -> s instanceof org.junit.platform.engine.support.descriptor.MethodSource m
                ? m.getClassName().substring(m.getClassName().lastIndexOf('.') + 1) + "#" + m.getMethodName()
                : id.getDisplayName()).orElse(id.getDisplayName());
    }

    static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString().lines().limit(12).reduce("", (a, b) -> a + b + "\n");
    }
}
