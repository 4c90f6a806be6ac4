package dev.pvmfw.oracle.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.oracle.generator.v0_12_1.EraScenarioGenerator0121;
import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.oracle.scenario.Dialect;
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
 * The live cross-check of pvmfw's three eras on aarch64-paging 0.12.1: the Java era packages over pvmfw's page table
 * on 0.12.1 ({@code JavaTrackerEngine0121}) against our Rust transcriptions of the same eras over the real 0.12.1
 * ({@code native/aarch64-paging-0.12.1/src/pvmfw.rs}, {@code vmbase.rs}, {@code era2023_11.rs}, {@code era2024_05.rs}),
 * compared after every step by {@link Differential} exactly as {@link LiveEraDifferentialTest} compares them on 0.4.0:
 * the arena, the outcomes with their Display and Debug texts, the calls of pvmfw's callbacks, every hypervisor call
 * in order, the guard-mapped IPAs, the Debug dump and the drop. Both sides are transcriptions of pvmfw, so agreement
 * proves the crate's part (what 0.12.1 makes of the eras' calls: the {@code 0b01} entry, the re-fault) and that the
 * two transcriptions agree. Skipped with the reason when the 0.12.1 library is absent.
 *
 * <p>Per era: every named scenario of {@code named-scenarios-ERA-0.12.1.txt}, then a random campaign of at least
 * {@code pvmfw.fuzz.era.steps} steps (default 20,000) from {@link EraScenarioGenerator0121}.
 */
class LiveEraDifferential0121Test {
    static final List<String> ERAS = List.of("2023-05", "2023-11", "2024-05");

    static List<Scenario> named(String era) throws Exception {
        try (InputStream in = LiveEraDifferential0121Test.class.getResourceAsStream(
                "/dev/pvmfw/oracle/named-scenarios-" + era + "-0.12.1.txt")) {
            return ScenarioText.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @TestFactory
    Stream<DynamicTest> namedScenariosOfEachEraAgreeStepByStep() {
        return ERAS.stream().flatMap(era -> {
            try {
                return named(era).stream();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            LiveOracle.require0121();
            assertEquals(Dialect.V0_12_1, s.dialect(), s.name());
            assertTrue(s.steps().getFirst() instanceof Step.NewTracker, s.name());
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
        LiveOracle.require0121();
        long target = Long.getLong("pvmfw.fuzz.era.steps", 20_000);
        long seed = Property.baseSeed("LiveEraDifferential0121Test#" + era);
        SplittableRandom seeds = new SplittableRandom(seed);
        long steps = 0;
        int scenarios = 0;
        while (steps < target) {
            long s = seeds.nextLong();
            Scenario scenario = EraScenarioGenerator0121.generate(era, s, 30);
            Differential.Report r = Differential.run(scenario, Differential.DumpCheck.AT_END);
            steps += r.steps();
            scenarios++;
            if (r.divergence().isPresent()) {
                Scenario small = Shrinker.shrink(scenario, LiveEraDifferential0121Test::diverges, 2000);
                throw new AssertionError("era " + era + " on 0.12.1: divergence after " + steps + " steps ("
                        + scenarios + " scenarios), campaign seed 0x" + Long.toHexString(seed) + ", scenario seed 0x"
                        + Long.toHexString(s) + "\n" + r.divergence().get().report() + "\nshrunk to:\n"
                        + ScenarioText.format(small)
                        + Differential.run(small).divergence().map(Divergence::report).orElse("")
                        + "\nNOTE: reproduce with: ./mvnw -Poracle test -Dtest=LiveEraDifferential0121Test "
                        + "-Dpvmfw.seed=0x" + Long.toHexString(seed));
            }
        }
        System.out.printf("live era %s on 0.12.1 campaign: %d scenarios, %d steps, 0 divergences (seed 0x%x)%n", era,
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
