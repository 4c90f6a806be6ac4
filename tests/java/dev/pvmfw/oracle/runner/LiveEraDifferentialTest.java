package dev.pvmfw.oracle.runner;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.oracle.generator.EraScenarioGenerator;
import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.oracle.shrink.Shrinker;
import dev.pvmfw.testing.LiveOracle;
import dev.pvmfw.testing.Property;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The live cross-check of the later eras' trackers (2023-11, 2024-05): the Java era packages against the Rust
 * oracle's transcriptions of the same eras over the real aarch64-paging 0.4.0 ({@code native/aarch64-paging-0.4.0/
 * src/era2023_11.rs}, {@code era2024_05.rs}), compared after every step by {@link Differential}: the arena, the
 * outcomes with their Display and Debug texts, the calls of the eras' callbacks, every hypervisor call in order and
 * the guard-mapped IPAs. Both are transcriptions of pvmfw, so agreement proves the crate's part and that the two
 * transcriptions agree; the era rules themselves are pinned by the era packages' tests, from the reference's text.
 * Skipped with the reason when the library is absent ({@link LiveOracle}).
 *
 * <p>Per era: every named scenario of {@code named-scenarios-ERA.txt}, then a random campaign of at least
 * {@code pvmfw.fuzz.era.steps} steps (default 20,000) from {@link EraScenarioGenerator}. A divergence is shrunk and
 * printed with a reproduce command.
 */
class LiveEraDifferentialTest {
    static final List<String> ERAS = List.of("2023-11", "2024-05");

    static List<Scenario> named(String era) throws Exception {
        try (InputStream in = LiveEraDifferentialTest.class.getResourceAsStream("/dev/pvmfw/oracle/named-scenarios-"
                + era + ".txt")) {
            return ScenarioText.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @TestFactory
    Stream<DynamicTest> namedScenariosOfEachEraAgreeStepByStep() throws Exception {
        return ERAS.stream().flatMap(era -> {
            try {
                return named(era).stream();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            LiveOracle.require();
            assertTrue(s.steps().getFirst() instanceof Step.NewTracker t && t.era() != null, s.name());
            Differential.Report r = Differential.run(s, Differential.DumpCheck.EVERY_STEP);
            r.divergence().ifPresent(d -> {
                throw new AssertionError(d.report());
            });
        }));
    }

    @TestFactory
    Stream<DynamicTest> randomCampaignOfEachEraHasNoDivergence() {
        return ERAS.stream().map(era -> DynamicTest.dynamicTest(era, () -> campaign(era)));
    }

    static void campaign(String era) throws Exception {
        LiveOracle.require();
        long target = Long.getLong("pvmfw.fuzz.era.steps", 20_000);
        long seed = Property.baseSeed("LiveEraDifferentialTest#" + era);
        SplittableRandom seeds = new SplittableRandom(seed);
        long steps = 0;
        int scenarios = 0;
        while (steps < target) {
            long s = seeds.nextLong();
            Scenario scenario = EraScenarioGenerator.generate(era, s, 30);
            Differential.Report r = Differential.run(scenario, Differential.DumpCheck.AT_END);
            steps += r.steps();
            scenarios++;
            if (r.divergence().isPresent()) {
                Scenario small = Shrinker.shrink(scenario, LiveEraDifferentialTest::diverges, 2000);
                throw new AssertionError("era " + era + ": divergence after " + steps + " steps (" + scenarios
                        + " scenarios), campaign seed 0x" + Long.toHexString(seed) + ", scenario seed 0x"
                        + Long.toHexString(s) + "\n" + r.divergence().get().report() + "\nshrunk to:\n"
                        + ScenarioText.format(small)
                        + Differential.run(small).divergence().map(Divergence::report).orElse("")
                        + "\nNOTE: reproduce with: ./mvnw -Poracle test -Dtest=LiveEraDifferentialTest "
                        + "-Dpvmfw.seed=0x" + Long.toHexString(seed));
            }
        }
        System.out.printf("live era %s campaign: %d scenarios, %d steps, 0 divergences (seed 0x%x)%n", era,
                scenarios, steps, seed);
    }

    static boolean diverges(Scenario s) {
        try {
            return Differential.run(s).divergence().isPresent();
        } catch (OracleUnavailableException e) {
            return false;
        }
    }
}
