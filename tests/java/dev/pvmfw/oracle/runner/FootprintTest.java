package dev.pvmfw.oracle.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.generator.ScenarioGenerator;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.testing.Property;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A step changes no table byte outside its footprint ({@link Footprint}), so the verified benchmark loops, which
 * compare only the footprint, miss nothing the whole-arena comparison would see. Checked on the Java engine over
 * generated table and tracker scenarios: after each step, the arena as it was before with the footprint brought up to
 * date must be the arena after.
 */
class FootprintTest {
    @TestFactory
    Stream<DynamicTest> everyChangedByteIsInTheStepsFootprint() {
        return Property.shards("FootprintTest#everyChangedByteIsInTheStepsFootprint", 300, 30,
                r -> new long[] {r.nextLong(), r.nextInt(3)},
                in -> check(in[1] == 2 ? ScenarioGenerator.generateTracker(in[0], 25)
                        : ScenarioGenerator.generate(in[0], 20)));
    }

    static void check(Scenario scenario) {
        try (JavaEngine engine = new JavaEngine(scenario); Arena scratchArena = Arena.ofConfined()) {
            MemorySegment before = scratchArena.allocate(engine.image().byteSize(), TableLayout.TABLE_ALIGNMENT);
            for (int i = 0; i < scenario.steps().size(); i++) {
                Step step = scenario.steps().get(i);
                before.copyFrom(engine.image());
                StepResult result = engine.apply(step);
                MemorySegment after = engine.image();
                long rootPa = engine.rootPa().orElse(scenario.paBase());
                for (long m; (m = Footprint.mismatch(step, result.events(), after, before, scenario.paBase(),
                        rootPa, scenario.rootLevel(), scenario.vaRange())) >= 0; ) {
                    long at = m & ~7L; // bring the differing descriptor up to date, then look again
                    before.set(ValueLayout.JAVA_LONG_UNALIGNED, at, after.get(ValueLayout.JAVA_LONG_UNALIGNED, at));
                }
                assertEquals(-1, before.mismatch(after), () -> "step " + step.text() + " changed a byte outside "
                        + "its footprint\n" + ScenarioText.format(scenario));
                if (i == 0 && !(result.outcome() instanceof Outcome.Ok)) {
                    return;
                }
            }
        }
    }
}
