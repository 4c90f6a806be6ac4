package dev.pvmfw.planted;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.pvmfw.oracle.golden.GoldenVectors;
import dev.pvmfw.oracle.generator.EraScenarioGenerator;
import dev.pvmfw.oracle.generator.ScenarioGenerator;
import dev.pvmfw.oracle.generator.v0_12_1.ScenarioGenerator0121;
import dev.pvmfw.oracle.runner.Differential;
import dev.pvmfw.oracle.runner.Divergence;
import dev.pvmfw.oracle.rust.OracleLibrary;
import dev.pvmfw.oracle.rust.v0_12_1.OracleLibrary0121;
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
 *   <li>{@code qemu}: the QEMU cross-check's test classes, once (they need qemu-system-aarch64);</li>
 *   <li>{@code live-0.12.1}: profile 0.12.1 against the live aarch64-paging 0.12.1: every named 0.12.1 scenario
 *       (Debug dump after every step), then the seeded random campaign of {@code ScenarioGenerator0121}, until
 *       BUDGET live steps in all ({@code live-0.12.1-random}: without the named scenarios);</li>
 *   <li>{@code golden-0.12.1}: the full replay of the 0.12.1 golden vectors (named, random);</li>
 *   <li>{@code pvmfw-rust-eras}: our Rust transcriptions of the 2023-11 and 2024-05 trackers (on 0.4.0) against the
 *       Java era packages: the named scenarios of both eras, then random {@code EraScenarioGenerator} scenarios,
 *       alternating the eras, until BUDGET steps ({@code pvmfw-rust-eras-random}: without the named ones);</li>
 *   <li>{@code golden-eras}: the full replay of the era golden vectors (named and random, both eras).</li>
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
    static final String GOLDEN_040 = "/dev/pvmfw/oracle/golden/aarch64-paging-0.4.0/";
    static final String GOLDEN_0121 = "/dev/pvmfw/oracle/golden/aarch64-paging-0.12.1/";
    static final String[] GOLDEN_FILES = {"named.txt", "random.txt.gz", "tracker.txt.gz"};
    static final String[] GOLDEN_0121_FILES = {"named.txt", "random.txt.gz"};
    static final String[] GOLDEN_ERA_FILES = {"era-2023-11-named.txt", "era-2024-05-named.txt", "era-2023-11.txt.gz",
        "era-2024-05.txt.gz"};
    /** The later eras whose trackers have a Rust transcription on 0.4.0. */
    static final List<String> ERAS = List.of("2023-11", "2024-05");

    /** What an oracle found: whether it caught the bug, by which check, after how many steps, and its report. */
    record Finding(String status, String check, long steps, String detail, String report) {}

    private PlantedBugOracle() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: PlantedBugOracle live|pvmfw-rust|live-random|pvmfw-rust-random|golden|reference|qemu"
                    + "|live-0.12.1|live-0.12.1-random|golden-0.12.1|pvmfw-rust-eras|pvmfw-rust-eras-random|golden-eras"
                    + " [BUDGET]");
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
            case "golden" -> golden(GOLDEN_040, GOLDEN_FILES);
            case "live-0.12.1" -> live0121(budget, true);
            case "live-0.12.1-random" -> live0121(budget, false);
            case "golden-0.12.1" -> golden(GOLDEN_0121, GOLDEN_0121_FILES);
            case "pvmfw-rust-eras" -> eras(budget, true);
            case "pvmfw-rust-eras-random" -> eras(budget, false);
            case "golden-eras" -> golden(GOLDEN_040, GOLDEN_ERA_FILES);
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
        return named("named-scenarios.txt");
    }

    /** The named scenarios of {@code /dev/pvmfw/oracle/FILE}. */
    static List<Scenario> named(String file) throws Exception {
        try (InputStream in = PlantedBugOracle.class.getResourceAsStream("/dev/pvmfw/oracle/" + file)) {
            return ScenarioText.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** A campaign: named scenarios step by step, then random ones from {@code random} until the budget. */
    interface RandomScenarios {
        Scenario next(long seed, int index);
    }

    static Finding campaign(String kind, List<Scenario> named, RandomScenarios random, long budget) {
        long steps = 0;
        int scenarios = 0;
        for (Scenario s : named) {
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
        int count = 0;
        while (steps < budget) {
            long s = seeds.nextLong();
            Scenario scenario = random.next(s, count);
            count++;
            Optional<Finding> f = runOne(scenario, Differential.DumpCheck.AT_END, steps, kind + " random campaign"
                    + " (seed " + Long.toHexString(seed) + ", scenario " + count + ")");
            if (f.isPresent()) {
                return f.get();
            }
            steps += lastSteps;
        }
        return new Finding("not-caught", "-", steps, scenarios + " named and " + count + " random scenarios agree",
                "");
    }

    /** Profile 0.12.1 against the live aarch64-paging 0.12.1. */
    static Finding live0121(long budget, boolean withNamed) throws Exception {
        OracleLibrary0121.Availability a = OracleLibrary0121.availability();
        if (!a.available()) {
            return new Finding("unavailable", "-", 0, "the 0.12.1 Rust oracle library is unavailable: " + a.reason(),
                    "");
        }
        return campaign("live-0.12.1", withNamed ? named("named-scenarios-0.12.1.txt") : List.of(),
                (s, i) -> ScenarioGenerator0121.generate(s, 50), budget);
    }

    /** The later eras' Java trackers against our Rust transcriptions of them (on the real 0.4.0). */
    static Finding eras(long budget, boolean withNamed) throws Exception {
        OracleLibrary.Availability a = OracleLibrary.availability();
        if (!a.available()) {
            return new Finding("unavailable", "-", 0, "the Rust oracle library is unavailable: " + a.reason(), "");
        }
        List<Scenario> named = new ArrayList<>();
        if (withNamed) {
            for (String era : ERAS) {
                named.addAll(named("named-scenarios-" + era + ".txt"));
            }
        }
        return campaign("pvmfw-rust-eras", named,
                (s, i) -> EraScenarioGenerator.generate(ERAS.get(i % ERAS.size()), s, 30), budget);
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
        List<Scenario> named = new ArrayList<>();
        for (Scenario s : withNamed ? named() : List.<Scenario>of()) {
            if (!trackerOnly || isTracker(s)) {
                named.add(s);
            }
        }
        return campaign(kind, named, (s, i) -> trackerOnly || i % 3 == 2 ? ScenarioGenerator.generateTracker(s, 25)
                : ScenarioGenerator.generate(s, 20), budget);
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

    /** The full replay of every golden vector of {@code files} in {@code dir}; steps are counted up to the failing one. */
    static Finding golden(String dir, String[] files) throws Exception {
        long steps = 0;
        int vectors = 0;
        for (String file : files) {
            GoldenVectors.VectorFile vf;
            try (InputStream raw = PlantedBugOracle.class.getResourceAsStream(dir + file);
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
