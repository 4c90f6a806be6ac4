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

    /** Every tracker step's text reads back as the same step (the grammar of docs/scenarios.md). */
    @Test
    void everyTrackerStepRoundTrips() throws Exception {
        String text = """
                scenario every-step
                tracker ram-end=0x90000000 compat-android13=off
                map-code 0x7fc00000 0x7fc10000
                map-data 0x7fc10000 0x7fc20000
                map-rodata 0x7fc20000 0x7fc30000
                map-device 0x3f8 0x3f9
                map 0x0 0x1000 pa=0x0 flags=VALID
                modify 0x0 0x1000 updater=builtin:verify-lazy
                mmio-map 0x10000 0x20000
                fault 0x10000
                alloc-range 0x80000000 0x80001000
                alloc-range-mut 0x80001000 0x80002000
                alloc 0x80002000 0x1000
                alloc-mut 0x80003000 0x1000
                shrink 0x80000000 0x88000000
                hyp-init
                hyp-map 0x10000
                hyp-unmap 0x10000
                inject call=3 x0=0xffffffffffffffff
                inject kind=unmap n=2 x0=0xfffffffffffffffd
                inject fn=0xc6000007 arg=0x11000 x0=0xffffffff
                clear-injections
                shared-pool-dynamic
                shared-pool-static 0x80100000 0x80200000
                alloc-shared 0x10 0x8
                dealloc-shared 0x7fe10000 0x10 0x8
                unshare-all
                mmio-unmap-all
                drop
                """;
        Scenario s = ScenarioText.parse(text);
        assertEquals(28, s.steps().size());
        assertEquals(text.strip(), ScenarioText.format(s).strip().replace("arena slots=64 pa-base=0x40000000\n", ""));
        assertEquals(s, ScenarioText.parse(ScenarioText.format(s)));
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
                List.of("table\nalloc-range 0 1", "line 1", "needs a 'tracker' scenario"),
                List.of("tracker\nalloc 0x80000000 0", "line 2", "SIZE must be non-zero"),
                List.of("tracker\nalloc-mut 0x80000000 0x0", "line 2", "takes a NonZeroUsize"),
                List.of("tracker\ninject kind=frob n=1 x0=0", "line 2", "inject kind= is one of enroll, info, map"),
                List.of("tracker\ninject kind=map n=0 x0=0", "line 2", "counts the calls of K from 1"),
                List.of("tracker\ninject kind=map call=1 x0=0", "line 2", "inject call=N x0=V, inject kind=K"),
                List.of("tracker\ndealloc-shared 0 16 16", "line 2", "must be non-zero: pvmfw takes a NonNull"),
                List.of("tracker\ndealloc-shared 0x1000 16 3", "line 2", "must be a Layout"),
                List.of("tracker\nalloc-shared 16", "line 2", "alloc-shared SIZE ALIGN"),
                List.of("tracker\nhyp-init 1", "line 2", "hyp-init takes no arguments"),
                List.of("tracker ram-end=0x1000", "line 1", "ram-end must be above 0x80000000"),
                List.of("tracker\ninject x0=1", "line 2", "inject call=N x0=V"),
                List.of("profile 9.9.9\ntable", "line 1", "unknown profile '9.9.9' (known: 0.4.0, 0.12.1)"),
                List.of("profile 0.12.1\ntracker\nwalk 0 0x1000", "line 1", "is 0.12's Mapping, a step of a 'table' "
                        + "scenario"),
                List.of("profile 0.12.1\ntable\nmodify 0 1 updater=builtin:verify-lazy", "line 3",
                        "the built-in updaters are the 0.4.0 oracle's"),
                List.of("table\nwalk 0 0x1000", "line 2", "'walk' is 0.12's Mapping; 0.4.0 has none"),
                List.of("table regime=el2", "line 1", "0.4.0 has no regimes or ASIDs"),
                List.of("table\nmap 0 1 pa=0 flags=0 constraints=NO_BLOCK_MAPPINGS", "line 2",
                        "0.4.0's map_range takes no constraints"),
                List.of("table\nmodify 0 1 updater=edit:pa=keep,flags=VALID", "line 2", "set action"))) {
            ScenarioSyntaxException e = assertThrows(ScenarioSyntaxException.class, () -> ScenarioText.parse(c.get(0)));
            assertTrue(e.getMessage().startsWith(c.get(1)) && e.getMessage().contains(c.get(2)), e.getMessage());
        }
    }

    /**
     * {@code activate} is the one {@code Mapping} step of a tracker scenario (pvmfw's 2023-05 {@code main_wrapper}
     * activates its table), on 0.12.1 only; the other {@code Mapping} steps stay a table scenario's.
     */
    @Test
    void activateIsATrackerStepOn0121Only() throws Exception {
        Scenario s = ScenarioText.parse("profile 0.12.1\ntracker\nactivate\ndrop");
        assertEquals(new Step.Activate(), s.steps().get(1));
        assertEquals("activate", s.steps().get(1).text());
        assertThrows(ScenarioSyntaxException.class, () -> ScenarioText.parse("tracker\nactivate"));
        assertThrows(ScenarioSyntaxException.class, () -> ScenarioText.parse("profile 0.12.1\ntracker\ndeactivate"));
    }
}
