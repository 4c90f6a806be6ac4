package dev.pvmfw.oracle.runner;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.generator.v0_12_1.ScenarioGenerator0121;
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
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The live cross-check of profile 0.12.1 over the scenario language: every named 0.12.1 scenario and a seeded
 * random campaign ({@link ScenarioGenerator0121}), applied to the Java engine and to the real aarch64-paging 0.12.1
 * (through its oracle library) by {@link Differential}, compared after every step (outcome and texts, callback trace
 * with what became of each action, arena bytes, allocations and frees, root PA; the Debug dump at the end; the drop).
 * Skipped with the reason without the library, unless {@code -Dpvmfw.oracle.required=true}.
 *
 * <p>The campaign runs at least {@code pvmfw.fuzz0121.steps} steps (default 100,000) and must reach every outcome
 * class the generator aims at (errors of each variant, the crate's panics, exhaustion, callbacks and frees).
 */
class LiveDifferential0121ScenarioTest {

    static List<Scenario> named() throws Exception {
        try (InputStream in = LiveDifferential0121ScenarioTest.class.getResourceAsStream(
                "/dev/pvmfw/oracle/named-scenarios-0.12.1.txt")) {
            return ScenarioText.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @TestFactory
    Stream<DynamicTest> namedScenariosAgreeStepByStep() throws Exception {
        return named().stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            LiveOracle.require0121();
            Differential.Report r = Differential.run(s, Differential.DumpCheck.EVERY_STEP);
            r.divergence().ifPresent(d -> {
                throw new AssertionError(d.report());
            });
        }));
    }

    @Test
    void randomCampaignHasNoDivergence() throws Exception {
        LiveOracle.require0121();
        long target = Long.getLong("pvmfw.fuzz0121.steps", 100_000);
        long seed = Property.baseSeed("LiveDifferential0121ScenarioTest#randomCampaignHasNoDivergence");
        SplittableRandom seeds = new SplittableRandom(seed);
        TreeMap<String, Integer> seen = new TreeMap<>();
        long steps = 0;
        int scenarios = 0;
        while (steps < target) {
            long s = seeds.nextLong();
            Scenario scenario = ScenarioGenerator0121.generate(s, 50);
            Differential.Report r = Differential.run(scenario, Differential.DumpCheck.AT_END,
                    (int i, Step step, StepResult result, java.lang.foreign.MemorySegment image) -> {
                        String[] w = result.outcome().text().split("[ (]");
                        seen.merge(w[0].equals("ok") ? "ok" : w[0] + " " + w[1], 1, Integer::sum);
                        if (!result.trace().isEmpty()) {
                            seen.merge("callbacks", result.trace().size(), Integer::sum);
                        }
                        if (java.util.Arrays.stream(result.events()).anyMatch(e -> e < 0)) {
                            seen.merge("frees", 1, Integer::sum);
                        }
                    });
            steps += r.steps();
            scenarios++;
            if (r.divergence().isPresent()) {
                Scenario small = Shrinker.shrink(scenario, c -> {
                    try {
                        return Differential.run(c).divergence().isPresent();
                    } catch (Exception e) {
                        return false;
                    }
                }, 2000);
                throw new AssertionError("divergence after " + steps + " steps (" + scenarios + " scenarios, seed "
                        + Long.toHexString(s) + ")\n" + r.divergence().get().report() + "\nshrunk:\n"
                        + ScenarioText.format(small));
            }
        }
        System.out.println("LiveDifferential0121ScenarioTest: " + steps + " steps in " + scenarios
                + " scenarios, 0 divergences; outcomes " + seen);
        for (String want : List.of("err AddressRange", "err RegionBackwards", "err PteUpdateFault", "err InvalidFlags",
                "err BreakBeforeMakeViolation", "panic none", "panic exhausted", "callbacks", "frees")) {
            assertTrue(seen.containsKey(want), () -> "the campaign never reached " + want + ": " + seen);
        }
    }
}
