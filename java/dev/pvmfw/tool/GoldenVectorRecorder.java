package dev.pvmfw.tool;

import dev.pvmfw.oracle.generator.EraScenarioGenerator;
import dev.pvmfw.oracle.generator.ScenarioGenerator;
import dev.pvmfw.oracle.generator.v0_12_1.EraScenarioGenerator0121;
import dev.pvmfw.oracle.generator.v0_12_1.ScenarioGenerator0121;
import dev.pvmfw.oracle.scenario.Dialect;
import dev.pvmfw.oracle.golden.GoldenVectors;
import dev.pvmfw.oracle.runner.Differential;
import dev.pvmfw.oracle.rust.OracleLibrary;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioText;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records golden vectors from the live Rust oracle (see the README, "Golden vectors"):
 *
 * <pre>
 * GoldenVectorRecorder NAMED_SCENARIOS OUT_DIR [RANDOM_COUNT [FIRST_SEED [MAX_STEPS]]]
 * </pre>
 *
 * writes {@code OUT_DIR/named.txt} (every named scenario, Debug dump recorded after every step) and
 * {@code OUT_DIR/random.txt.gz} (RANDOM_COUNT generated table scenarios, default 2,000, seeds FIRST_SEED.., default 1, up
 * to MAX_STEPS steps, default 20; Debug dump at the end of each) and {@code OUT_DIR/tracker.txt.gz} (half as
 * many tracker scenarios: pvmfw's lazy MMIO path); and for each later era (2023-11, 2024-05)
 * {@code OUT_DIR/era-ERA-named.txt} (the scenarios of {@code named-scenarios-ERA.txt} beside NAMED_SCENARIOS, Debug
 * dump after every step) and {@code OUT_DIR/era-ERA.txt.gz} (as many generated tracker scenarios of the era as
 * tracker.txt.gz has, {@code EraScenarioGenerator}, up to MAX_STEPS + 10 steps). Each vector is also replayed on the Java engine
 * at once; differences are printed and make the exit status 1 (the vectors are written anyway: they are the crate's
 * truth).
 *
 * <p>When the named scenarios are of profile 0.12.1 ({@code named-scenarios-0.12.1.txt}), the vectors are recorded
 * from the 0.12.1 oracle: {@code named.txt} and {@code random.txt.gz} (RANDOM_COUNT scenarios of
 * {@code ScenarioGenerator0121}, MAX_STEPS default 50), each file's header naming aarch64-paging, bitflags and
 * thiserror with their versions; and for each era (2023-05, 2023-11, 2024-05) on 0.12.1 {@code OUT_DIR/era-ERA-named.txt}
 * (the scenarios of {@code named-scenarios-ERA-0.12.1.txt} beside NAMED_SCENARIOS, Debug dump after every step) and
 * {@code OUT_DIR/era-ERA.txt.gz} (RANDOM_COUNT / 2 tracker scenarios of the era, {@code EraScenarioGenerator0121}, up
 * to 30 steps), recorded from our Rust transcriptions of the eras over the real 0.12.1.
 *
 * <pre>
 * GoldenVectorRecorder --eras-0.12.1 NAMED_SCENARIOS_0121 OUT_DIR [RANDOM_COUNT [FIRST_SEED]]
 * </pre>
 *
 * records only those era files (the table vectors stay as they were recorded).
 */
public final class GoldenVectorRecorder {
    /** The eras after the seed, each with its own named and random vectors ({@code era-ERA-named.txt}, {@code era-ERA.txt.gz}). */
    static final List<String> ERAS = List.of("2023-11", "2024-05");
    /** The eras with vectors on 0.12.1 (all three: the tracker scenarios of profile 0.12.1 are per era). */
    static final List<String> ERAS_0121 = List.of("2023-05", "2023-11", "2024-05");
    /** The steps after the tracker of a generated era scenario on 0.12.1. */
    static final int ERA_0121_MAX_STEPS = 30;

    private GoldenVectorRecorder() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: GoldenVectorRecorder NAMED_SCENARIOS OUT_DIR [RANDOM_COUNT [FIRST_SEED [MAX_STEPS]]]");
            System.exit(2);
        }
        if (args[0].equals("--eras-0.12.1") && args.length >= 3) {
            Path named = Path.of(args[1]);
            int count = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
            long firstSeed = args.length > 4 ? Long.decode(args[4]) : 1;
            dev.pvmfw.oracle.rust.v0_12_1.OracleLibrary0121.require();
            int problems = recordEras0121(named, Path.of(args[2]), count / 2, firstSeed);
            System.out.println(problems == 0 ? "the Java engine replays every vector" : problems + " vectors differ");
            System.exit(problems == 0 ? 0 : 1);
        }
        Path named = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        long firstSeed = args.length > 3 ? Long.decode(args[3]) : 1;
        int maxSteps = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        Files.createDirectories(out);
        List<Scenario> namedScenarios = ScenarioText.parseAll(Files.readString(named));
        Dialect dialect = namedScenarios.getFirst().dialect();
        if (dialect == Dialect.V0_12_1) {
            record0121(namedScenarios, named, out, count, firstSeed, args.length > 4 ? maxSteps : 50);
            return;
        }
        OracleLibrary.require();

        int problems = 0;
        List<GoldenVectors.Vector> vectors = new ArrayList<>();
        for (Scenario s : namedScenarios) {
            GoldenVectors.Vector v = GoldenVectors.record(s, Differential.DumpCheck.EVERY_STEP);
            problems += check(v);
            vectors.add(v);
        }
        write(out.resolve("named.txt"), List.of("named scenarios from " + named.getFileName()), vectors);
        System.out.println("named: " + vectors.size() + " scenarios");

        vectors = new ArrayList<>();
        long steps = 0;
        for (long seed = firstSeed; seed < firstSeed + count; seed++) {
            Scenario s = ScenarioGenerator.generate(seed, maxSteps);
            GoldenVectors.Vector v = GoldenVectors.record(s, Differential.DumpCheck.AT_END);
            problems += check(v);
            steps += v.expectations().size();
            vectors.add(v);
        }
        write(out.resolve("random.txt.gz"), List.of("generator ScenarioGenerator seeds " + firstSeed + ".."
                + (firstSeed + count - 1) + " max-steps " + maxSteps), vectors);
        System.out.println("random: " + vectors.size() + " scenarios, " + steps + " steps");

        vectors = new ArrayList<>();
        steps = 0;
        int trackers = count / 2;
        for (long seed = firstSeed; seed < firstSeed + trackers; seed++) {
            Scenario s = ScenarioGenerator.generateTracker(seed, maxSteps + 5);
            GoldenVectors.Vector v = GoldenVectors.record(s, Differential.DumpCheck.AT_END);
            problems += check(v);
            steps += v.expectations().size();
            vectors.add(v);
        }
        write(out.resolve("tracker.txt.gz"), List.of("generator ScenarioGenerator.generateTracker seeds " + firstSeed
                + ".." + (firstSeed + trackers - 1) + " max-steps " + (maxSteps + 5)), vectors);
        System.out.println("tracker: " + vectors.size() + " scenarios, " + steps + " steps");

        for (String era : ERAS) {
            Path namedEra = named.resolveSibling("named-scenarios-" + era + ".txt");
            vectors = new ArrayList<>();
            for (Scenario s : ScenarioText.parseAll(Files.readString(namedEra))) {
                GoldenVectors.Vector v = GoldenVectors.record(s, Differential.DumpCheck.EVERY_STEP);
                problems += check(v);
                vectors.add(v);
            }
            write(out.resolve("era-" + era + "-named.txt"), List.of("named scenarios from " + namedEra.getFileName()),
                    vectors);
            System.out.println("era " + era + " named: " + vectors.size() + " scenarios");
            vectors = new ArrayList<>();
            steps = 0;
            for (long seed = firstSeed; seed < firstSeed + trackers; seed++) {
                Scenario s = EraScenarioGenerator.generate(era, seed, maxSteps + 10);
                GoldenVectors.Vector v = GoldenVectors.record(s, Differential.DumpCheck.AT_END);
                problems += check(v);
                steps += v.expectations().size();
                vectors.add(v);
            }
            write(out.resolve("era-" + era + ".txt.gz"), List.of("generator EraScenarioGenerator era " + era
                    + " seeds " + firstSeed + ".." + (firstSeed + trackers - 1) + " max-steps " + (maxSteps + 10)),
                    vectors);
            System.out.println("era " + era + " random: " + vectors.size() + " scenarios, " + steps + " steps");
        }
        System.out.println(problems == 0 ? "the Java engine replays every vector" : problems + " vectors differ");
        System.exit(problems == 0 ? 0 : 1);
    }

    /** The 0.12.1 recording: named and random vectors from the 0.12.1 oracle (see the class comment). */
    private static void record0121(List<Scenario> namedScenarios, Path named, Path out, int count, long firstSeed,
            int maxSteps) throws Exception {
        dev.pvmfw.oracle.rust.v0_12_1.OracleLibrary0121.require();
        String header = GoldenVectors.oracleHeader(Dialect.V0_12_1);
        int problems = 0;
        List<GoldenVectors.Vector> vectors = new ArrayList<>();
        for (Scenario s : namedScenarios) {
            GoldenVectors.Vector v = GoldenVectors.record(s, Differential.DumpCheck.EVERY_STEP);
            problems += check(v);
            vectors.add(v);
        }
        GoldenVectors.write(new GoldenVectors.VectorFile(header, List.of("named scenarios from "
                + named.getFileName()), vectors), out.resolve("named.txt"));
        System.out.println("named: " + vectors.size() + " scenarios");
        vectors = new ArrayList<>();
        long steps = 0;
        for (long seed = firstSeed; seed < firstSeed + count; seed++) {
            Scenario s = ScenarioGenerator0121.generate(seed, maxSteps);
            GoldenVectors.Vector v = GoldenVectors.record(s, Differential.DumpCheck.AT_END);
            problems += check(v);
            steps += v.expectations().size();
            vectors.add(v);
        }
        GoldenVectors.write(new GoldenVectors.VectorFile(header, List.of("generator ScenarioGenerator0121 seeds "
                + firstSeed + ".." + (firstSeed + count - 1) + " max-steps " + maxSteps), vectors),
                out.resolve("random.txt.gz"));
        System.out.println("random: " + vectors.size() + " scenarios, " + steps + " steps");
        problems += recordEras0121(named, out, count / 2, firstSeed);
        System.out.println(problems == 0 ? "the Java engine replays every vector" : problems + " vectors differ");
        System.exit(problems == 0 ? 0 : 1);
    }

    /**
     * The era vectors on 0.12.1 (see the class comment): for each era its named scenarios
     * ({@code named-scenarios-ERA-0.12.1.txt} beside {@code named}) and {@code count} generated ones from
     * {@code firstSeed}; returns how many the Java engine does not replay.
     */
    private static int recordEras0121(Path named, Path out, int count, long firstSeed) throws Exception {
        String header = GoldenVectors.oracleHeader(Dialect.V0_12_1);
        int problems = 0;
        for (String era : ERAS_0121) {
            Path namedEra = named.resolveSibling("named-scenarios-" + era + "-0.12.1.txt");
            List<GoldenVectors.Vector> vectors = new ArrayList<>();
            for (Scenario s : ScenarioText.parseAll(Files.readString(namedEra))) {
                GoldenVectors.Vector v = GoldenVectors.record(s, Differential.DumpCheck.EVERY_STEP);
                problems += check(v);
                vectors.add(v);
            }
            GoldenVectors.write(new GoldenVectors.VectorFile(header, List.of("named scenarios from "
                    + namedEra.getFileName()), vectors), out.resolve("era-" + era + "-named.txt"));
            System.out.println("era " + era + " on 0.12.1 named: " + vectors.size() + " scenarios");
            vectors = new ArrayList<>();
            long steps = 0;
            for (long seed = firstSeed; seed < firstSeed + count; seed++) {
                Scenario s = EraScenarioGenerator0121.generate(era, seed, ERA_0121_MAX_STEPS);
                GoldenVectors.Vector v = GoldenVectors.record(s, Differential.DumpCheck.AT_END);
                problems += check(v);
                steps += v.expectations().size();
                vectors.add(v);
            }
            GoldenVectors.write(new GoldenVectors.VectorFile(header, List.of("generator EraScenarioGenerator0121 era "
                    + era + " seeds " + firstSeed + ".." + (firstSeed + count - 1) + " max-steps "
                    + ERA_0121_MAX_STEPS), vectors), out.resolve("era-" + era + ".txt.gz"));
            System.out.println("era " + era + " on 0.12.1 random: " + vectors.size() + " scenarios, " + steps + " steps");
        }
        return problems;
    }

    private static int check(GoldenVectors.Vector v) {
        Optional<String> diff = GoldenVectors.replay(v);
        diff.ifPresent(d -> System.out.println("DIFFERS " + d));
        return diff.isPresent() ? 1 : 0;
    }

    private static void write(Path path, List<String> comments, List<GoldenVectors.Vector> vectors)
            throws IOException {
        GoldenVectors.write(new GoldenVectors.VectorFile(GoldenVectors.oracleHeader(), comments, vectors), path);
    }
}
