package dev.pvmfw.oracle.generator.v0_12_1;

import dev.pvmfw.oracle.generator.EraScenarioGenerator;
import dev.pvmfw.oracle.generator.ScenarioGenerator;
import dev.pvmfw.oracle.scenario.FlagSet;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.v0_12_1.profile.Profile0121;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random tracker scenarios of an era on profile 0.12.1: the 0.4.0 era generators' scenarios
 * ({@link EraScenarioGenerator} for 2023-11 and 2024-05, {@link ScenarioGenerator#generateTracker} for 2023-05: the
 * same regions, faults, injections, teardowns and drops, the same seed) carried over to the 0.12.1 vocabulary. The
 * tracker steps stay as they are; a {@code map}'s flags are kept as bits (named for 0.12.1's El1&amp;0 attributes) or,
 * one time in two, replaced by one of libvmbase's ≥ 0.6 sets and the other flags {@link ScenarioGenerator0121} maps,
 * now and then with constraints; every {@code modify} gets a 0.12.1 edit (set and modify_flags actions, refusals;
 * {@code ScenarioGenerator0121.edit}, whose {@code set} with TABLE_OR_PAGE stays at level 3) in place of the 0.4.0
 * updater (the built-in ones are the 0.4.0 oracle's). Scenario {@code seed} of an era depends on the seed alone.
 */
public final class EraScenarioGenerator0121 {
    private EraScenarioGenerator0121() {}

    /**
     * A tracker scenario of era {@code eraId} ({@code 2023-05}, {@code 2023-11} or {@code 2024-05}) on 0.12.1 from
     * {@code seed}, at most {@code maxSteps} steps after the tracker (then a teardown, maybe, and a drop).
     *
     * @throws IllegalArgumentException for another era
     */
    public static Scenario generate(String eraId, long seed, int maxSteps) {
        Scenario base = eraId.equals("2023-05") ? ScenarioGenerator.generateTracker(seed, maxSteps)
                : EraScenarioGenerator.generate(eraId, seed, maxSteps);
        SplittableRandom r = new SplittableRandom(seed ^ 0x0121_0121_0121_0121L);
        List<Step> steps = new ArrayList<>();
        for (Step step : base.steps()) {
            steps.add(switch (step) {
                case Step.MapRange m -> {
                    long bits = r.nextBoolean() ? m.flags().bits()
                            : ScenarioGenerator0121.FLAGS[r.nextInt(ScenarioGenerator0121.FLAGS.length)];
                    long constraints = r.nextInt(6) == 0 ? 1 + r.nextInt(3) : 0;
                    yield new Step.MapRange(m.start(), m.end(), m.pa(), flags(bits), constraints);
                }
                case Step.ModifyRange m -> new Step.ModifyRange(m.start(), m.end(),
                        ScenarioGenerator0121.edit(r, TranslationRegime.EL1_AND_0, m.start()));
                default -> step;
            });
        }
        return new Scenario("era0121-" + eraId + "-" + Long.toHexString(seed), Profile0121.INSTANCE, base.slots(),
                base.paBase(), steps);
    }

    private static FlagSet flags(long bits) {
        return new FlagSet(bits, Profile0121.INSTANCE, TranslationRegime.EL1_AND_0);
    }
}
