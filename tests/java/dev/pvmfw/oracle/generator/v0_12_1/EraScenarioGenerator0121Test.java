package dev.pvmfw.oracle.generator.v0_12_1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.oracle.generator.EraScenarioGenerator;
import dev.pvmfw.oracle.generator.ScenarioGenerator;
import dev.pvmfw.oracle.scenario.Dialect;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.oracle.scenario.Updater;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link EraScenarioGenerator0121}: the 0.4.0 era generators' scenarios, in the 0.12.1 vocabulary. */
class EraScenarioGenerator0121Test {
    static final List<String> ERAS = List.of("2023-05", "2023-11", "2024-05");

    @Test
    void aSeedGivesTheSameScenarioOfProfile0121AndItsTextReadsBack() throws Exception {
        for (String era : ERAS) {
            for (long seed = 1; seed <= 100; seed++) {
                Scenario s = EraScenarioGenerator0121.generate(era, seed, 30);
                assertEquals(s, EraScenarioGenerator0121.generate(era, seed, 30));
                assertEquals(Dialect.V0_12_1, s.dialect());
                assertEquals(List.of(s), ScenarioText.parseAll(ScenarioText.format(s)), s.name());
            }
            assertNotEquals(EraScenarioGenerator0121.generate(era, 1, 30).steps(),
                    EraScenarioGenerator0121.generate(era, 2, 30).steps());
        }
    }

    /** The tracker steps are the 0.4.0 generator's, step for step; only maps and modifies are carried over. */
    @Test
    void theTrackerStepsAreThe040GeneratorsAndEveryModifyIsAnEdit() {
        for (String era : ERAS) {
            for (long seed = 1; seed <= 100; seed++) {
                Scenario base = era.equals("2023-05") ? ScenarioGenerator.generateTracker(seed, 30)
                        : EraScenarioGenerator.generate(era, seed, 30);
                Scenario s = EraScenarioGenerator0121.generate(era, seed, 30);
                assertEquals(base.steps().size(), s.steps().size(), s.name());
                assertInstanceOf(Step.NewTracker.class, s.steps().getFirst(), s.name());
                for (int i = 0; i < s.steps().size(); i++) {
                    Step b = base.steps().get(i);
                    Step p = s.steps().get(i);
                    switch (p) {
                        case Step.MapRange m -> assertInstanceOf(Step.MapRange.class, b);
                        case Step.ModifyRange m -> {
                            assertInstanceOf(Step.ModifyRange.class, b);
                            assertInstanceOf(Updater.Edit.class, m.updater(), s.name());
                        }
                        default -> assertEquals(b, p, s.name() + " step " + i);
                    }
                }
            }
        }
    }

    @Test
    void anEraWithoutAGeneratorIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EraScenarioGenerator0121.generate("2019-01", 1, 10));
        assertTrue(EraScenarioGenerator0121.generate("2024-05", 3, 30).name().startsWith("era0121-2024-05-"));
    }
}
