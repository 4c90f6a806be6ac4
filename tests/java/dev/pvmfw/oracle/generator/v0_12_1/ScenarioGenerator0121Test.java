package dev.pvmfw.oracle.generator.v0_12_1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.oracle.scenario.Dialect;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.oracle.scenario.Updater;
import dev.pvmfw.paging.TranslationRegime;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What the 0.12.1 generator draws over 2,000 seeds: every step of the 0.12.1 vocabulary, every regime and root level
 * (4 included), both VA ranges, every action and failure; and the rule that keeps the drop of an active mapping from
 * aborting the crate: a set action with TABLE_OR_PAGE is limited to level 3.
 */
class ScenarioGenerator0121Test {

    @Test
    void drawsTheWholeVocabularyOfProfile0121() {
        Set<String> steps = new TreeSet<>();
        Set<String> variants = new TreeSet<>();
        Set<TranslationRegime> regimes = EnumSet.noneOf(TranslationRegime.class);
        Set<Integer> levels = new TreeSet<>();
        for (long seed = 1; seed <= 2000; seed++) {
            Scenario s = ScenarioGenerator0121.generate(seed, 50);
            assertEquals(Dialect.V0_12_1, s.dialect());
            assertEquals(s, ScenarioGenerator0121.generate(seed, 50), "a scenario depends on its seed alone");
            Step.NewTable t = (Step.NewTable) s.steps().getFirst();
            regimes.add(t.regime());
            levels.add(t.level());
            variants.add(t.vaRange().name());
            for (Step step : s.steps()) {
                steps.add(step.getClass().getSimpleName());
                if (step instanceof Step.MapRange m && m.constraints() != 0) {
                    variants.add("constraints");
                }
                if (step instanceof Step.ModifyRange m && m.updater() instanceof Updater.Edit e) {
                    variants.add(e.action().getClass().getSimpleName());
                    variants.add(e.fail().getClass().getSimpleName());
                    if (e.action() instanceof Updater.Action.Set set) {
                        variants.add(set.keepPa() ? "keep" : "pa");
                        if ((set.flags().bits() & 2) != 0) {
                            assertEquals(8, e.levels(), "TABLE_OR_PAGE is set at level 3 only: " + step.text());
                        }
                    }
                }
            }
        }
        assertEquals(new TreeSet<>(Set.of("NewTable", "MapRange", "ModifyRange", "WalkRange", "CompactSubtables",
                "Activate", "Deactivate", "MarkActive", "MarkInactive")), steps);
        assertEquals(EnumSet.allOf(TranslationRegime.class), regimes);
        assertEquals(new TreeSet<>(Set.of(0, 1, 2, 3, 4)), levels);
        assertTrue(variants.containsAll(Set.of("LOWER", "UPPER", "constraints", "None", "ModifyFlags", "Set", "keep",
                "pa", "Never", "AtCall", "When", "At")), variants::toString);
    }
}
