package dev.pvmfw.oracle.scenario;

import dev.pvmfw.oracle.generator.ScenarioGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import dev.pvmfw.testing.Property;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The scenario text form round-trips, and bad text gets a message with its line number. */
class ScenarioTextTest {

    @TestFactory
    Stream<DynamicTest> generatedScenariosRoundTrip() {
        return Property.shards("ScenarioTextTest#generatedScenariosRoundTrip", 2000, 10, r -> new long[] {r.nextLong()}, in -> {
            Scenario s = ScenarioGenerator.generate(in[0], 20);
            assertEquals(s, ScenarioText.parse(ScenarioText.format(s)));
            Scenario t = ScenarioGenerator.generateTracker(in[0], 25);
            assertEquals(t, ScenarioText.parse(ScenarioText.format(t)));
        });
    }

    @Test
    void parsesEveryStepKindWithCommentsAndNegativeNumbers() throws Exception {
        Scenario s = ScenarioText.parse("""
                # a comment
                scenario demo
                arena slots=8 pa-base=0x8000_0000
                table level=1 va-range=upper   # trailing comment
                map -0x40000000 -0x3ffff000 pa=0x1000 flags=VALID|SWFLAG_0
                modify 0 4096 updater=edit:set=SWFLAG_1,clear=VALID,levels=23,fail-level=3,fail-start=0x1000
                modify 0 4096 updater=builtin:verify-lazy
                drop
                """);
        assertEquals(8, s.slots());
        assertEquals(0x8000_0000L, s.paBase());
        assertEquals(new Step.MapRange(-0x4000_0000L, -0x3FFF_F000L, 0x1000, new FlagSet(Attributes.of(
                Attributes.VALID, Attributes.SWFLAG_0).bits(), Profile040.INSTANCE)), s.steps().get(1));
        assertEquals(new Updater.Edit(Predicate.ANY, 0b1100, new FlagSet(Attributes.SWFLAG_1.bits(),
                Profile040.INSTANCE), new FlagSet(Attributes.VALID.bits(), Profile040.INSTANCE),
                new Updater.Failure.At(3, 0x1000)), ((Step.ModifyRange) s.steps().get(2)).updater());
    }

    @Test
    void errorsNameTheLine() {
        for (var c : List.of(
                List.of("table level=1\nmap 0 0x1000 pa=0 flags=VALID|BOGUS", "line 2", "unknown flag 'BOGUS'"),
                List.of("table level=1\nmap 0 zzz pa=0 flags=VALID", "line 2", "not a number"),
                List.of("map 0 0x1000 pa=0 flags=VALID", "line 1", "starts with a 'table' or 'tracker' step"),
                List.of("table\ndrop\nmap 0 1 pa=0 flags=0", "line 1", "'drop' must be the last step"),
                List.of("table\nfrobnicate", "line 2", "unknown step 'frobnicate'"),
                List.of("table\nmodify 0 1 updater=builtin:nope", "line 2", "unknown built-in updater"),
                List.of("table va-range=sideways", "line 1", "va-range must be lower or upper"),
                List.of("table\nfault 0x1000", "line 1", "needs a 'tracker' scenario"),
                List.of("tracker\nmodify 0 1 updater=builtin:verify-lazy", "line 1", "'modify' is for 'table'"),
                List.of("tracker ram-end=0x1000", "line 1", "ram-end must be above 0x80000000"),
                List.of("tracker\ninject x0=1", "line 2", "inject call=N x0=V"))) {
            ScenarioSyntaxException e = assertThrows(ScenarioSyntaxException.class, () -> ScenarioText.parse(c.get(0)));
            assertTrue(e.getMessage().startsWith(c.get(1)) && e.getMessage().contains(c.get(2)), e.getMessage());
        }
    }
}
