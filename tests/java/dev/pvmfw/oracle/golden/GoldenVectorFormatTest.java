package dev.pvmfw.oracle.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioSyntaxException;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.scenario.Step;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The golden-vector file form, format 2: an expectation carries the guard-mapped IPAs ({@code guard=}), a file names
 * its format, a file of another format is refused, and a replay checks the guard-mapped IPAs of every step.
 */
class GoldenVectorFormatTest {

    /** The vector of {@code scenario} as the Java engine runs it (a stand-in for the crate, to test the form). */
    static GoldenVectors.Vector javaVector(Scenario scenario) {
        List<GoldenVectors.Expectation> out = new ArrayList<>();
        try (JavaEngine java = new JavaEngine(scenario)) {
            for (Step step : scenario.steps()) {
                StepResult r = java.apply(step);
                out.add(new GoldenVectors.Expectation(r.eventsText(), r.trace().size(),
                        GoldenVectors.traceDigest(r.trace()), ImageCodec.digest(java.image()), "-", r.hypText(),
                        GoldenVectors.guardText(java.guardMapped()), r.outcome().text()));
            }
            return new GoldenVectors.Vector(scenario, out, ImageCodec.encode(java.image()));
        }
    }

    static String text(GoldenVectors.Vector v) throws Exception {
        StringWriter w = new StringWriter();
        GoldenVectors.write(new GoldenVectors.VectorFile(GoldenVectors.oracleHeader(), List.of("test"), List.of(v)), w);
        return w.toString();
    }

    static GoldenVectors.VectorFile read(String text) throws Exception {
        return GoldenVectors.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    static final String FAULTS = """
            scenario faults
            tracker
            mmio-map 0x9000000 0x9200000
            fault 0x9001000
            fault 0x9003000
            drop
            """;

    @Test
    void expectationsCarryTheGuardMappedIpasAndTheFileItsFormat() throws Exception {
        GoldenVectors.Vector v = javaVector(ScenarioText.parse(FAULTS));
        String text = text(v);
        assertTrue(text.contains("\n# format 2\n"), text);
        assertTrue(text.contains("fault 0x9003000\n=> ") && text.contains(" guard=9001000,9003000 outcome=ok\n"), text);
        GoldenVectors.VectorFile back = read(text);
        assertEquals(v, back.vectors().getFirst());
        assertTrue(GoldenVectors.replay(back.vectors().getFirst()).isEmpty());
    }

    @Test
    void aReplayComparesTheGuardMappedIpas() throws Exception {
        String text = text(javaVector(ScenarioText.parse(FAULTS))).replace(" guard=9001000,9003000 ",
                " guard=9001000 ");
        String diff = GoldenVectors.replay(read(text).vectors().getFirst()).orElseThrow();
        assertTrue(diff.contains("step 3: fault 0x9003000\n  guard-mapped IPAs\n    java   9001000,9003000\n"
                + "    golden 9001000"), diff);
    }

    @Test
    void aFileOfAnotherFormatIsRefused() throws Exception {
        String text = text(javaVector(ScenarioText.parse(FAULTS)));
        ScenarioSyntaxException old = assertThrows(ScenarioSyntaxException.class,
                () -> read(text.replace("# format 2\n", "")));
        assertTrue(old.getMessage().contains("golden-vector format 1, this reader reads format 2"), old.getMessage());
        assertThrows(ScenarioSyntaxException.class, () -> read(text.replace("# format 2\n", "# format 3\n")));
        assertThrows(ScenarioSyntaxException.class, () -> read(text.replace(" guard=9001000,9003000 ", " ")));
    }
}
