package dev.pvmfw.oracle.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.scenario.Step;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@link EraScenarioGenerator} draws: per era, deterministic, every mode and step kind the campaign relies on. */
class EraScenarioGeneratorTest {

    @Test
    void aSeedGivesTheSameScenarioAndItsTextReadsBack() throws Exception {
        for (String era : List.of("2023-11", "2024-05")) {
            for (long seed = 1; seed <= 200; seed++) {
                Scenario s = EraScenarioGenerator.generate(era, seed, 30);
                assertEquals(s, EraScenarioGenerator.generate(era, seed, 30));
                assertEquals(s.steps(), ScenarioText.parse(ScenarioText.format(s)).steps(), s.name());
                assertTrue(s.steps().getFirst() instanceof Step.NewTracker t && era.equals(t.era()), s.name());
                assertTrue(s.steps().getLast() instanceof Step.DropTable, s.name());
            }
        }
    }

    @Test
    void the2024_05GranulesAreTheGoodAndTheBadOnesAndBothGuards() {
        Set<Long> granules = new HashSet<>();
        Set<Boolean> guards = new HashSet<>();
        for (long seed = 1; seed <= 2000; seed++) {
            Step.NewTracker t = (Step.NewTracker) EraScenarioGenerator.generate("2024-05", seed, 30).steps().getFirst();
            granules.add(t.granule());
            guards.add(t.mmioGuard());
        }
        assertEquals(Set.of(4096L, 8192L, 16384L, 6144L, 12288L, 0L, 1L << 62, -1L, -3L), granules);
        assertEquals(Set.of(true, false), guards);
    }

    @Test
    void everyStepKindTheErasHaveIsDrawn() {
        Set<Class<?>> kinds = new HashSet<>();
        Set<Step.HypFunction> injected = new HashSet<>();
        for (long seed = 1; seed <= 500; seed++) {
            for (Step step : EraScenarioGenerator.generate("2023-11", seed, 30).steps()) {
                kinds.add(step.getClass());
                if (step instanceof Step.InjectNth n) {
                    injected.add(n.function());
                }
            }
        }
        assertTrue(kinds.containsAll(List.of(Step.MmioMap.class, Step.Fault.class, Step.MmioUnmapAll.class,
                Step.PageTableMap.class, Step.MapRange.class, Step.ModifyRange.class, Step.InjectNth.class,
                Step.InjectFor.class, Step.InjectAtCall.class, Step.ClearInjections.class, Step.HypInit.class,
                Step.AllocRange.class, Step.UnshareAll.class)), kinds.toString());
        assertEquals(Set.of(Step.HypFunction.MAP, Step.HypFunction.UNMAP), injected);
    }

    @Test
    void theSeedsEraHasItsOwnGenerator() {
        assertThrows(IllegalArgumentException.class, () -> EraScenarioGenerator.generate("2023-05", 1, 10));
    }
}
