package dev.pvmfw.oracle.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.catalog.Profiles;
import dev.pvmfw.oracle.generator.v0_12_1.ScenarioGenerator0121;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.v0_12_1.Constraints;
import dev.pvmfw.paging.v0_12_1.profile.Profile0121;
import dev.pvmfw.testing.Property;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The scenario language of profile 0.12.1 ({@code docs/scenarios.md}): every step and updater form parses, prints
 * back as it was read, and round-trips through generated scenarios; the regime decides the flag names; what the
 * crate version does not have is refused with the line.
 */
class ScenarioText0121Test {

    @TestFactory
    Stream<DynamicTest> generatedScenariosRoundTrip() {
        return Property.shards("ScenarioText0121Test#generatedScenariosRoundTrip", 2000, 10,
                r -> new long[] {r.nextLong()}, in -> {
                    Scenario s = ScenarioGenerator0121.generate(in[0], 50);
                    assertEquals(s, ScenarioText.parse(ScenarioText.format(s)));
                });
    }

    @Test
    void everyStepOfTheVocabularyParsesAndPrintsBack() throws Exception {
        String text = """
                scenario every-step
                profile 0.12.1
                arena slots=8 pa-base=0x40000000
                table level=1 va-range=upper regime=el2and0 asid=7
                map 0x0 0x1000 pa=0x80000000 flags=VALID|ATTRIBUTE_INDEX_1|OUTER_SHAREABLE|INNER_SHAREABLE|ACCESSED constraints=NO_BLOCK_MAPPINGS|NO_CONTIGUOUS_HINT
                modify 0x0 0x1000 updater=edit:when=valid,set=SWFLAG_0,clear=UXN,levels=3,fail=call:2
                modify 0x0 0x1000 updater=edit:pa=keep,flags=VALID|TABLE_OR_PAGE,levels=3
                modify 0x0 0x1000 updater=edit:pa=0x1000,flags=0,levels=0123,fail=at:3@0x0
                modify 0x0 0x1000 updater=edit:when=lazy,levels=0123,fail=when:invalid
                walk 0x0 0x2000
                walk 0x0 0x2000 fail=call:1
                compact
                activate
                deactivate
                deactivate ttbr=0x1234
                mark-active
                mark-inactive
                drop
                """;
        Scenario s = ScenarioText.parse(text);
        assertEquals(Profile0121.INSTANCE, s.profile());
        assertEquals(Dialect.V0_12_1, s.dialect());
        assertEquals(new Step.NewTable(1, VaRange.UPPER, TranslationRegime.EL2_AND_0, 7), s.steps().getFirst());
        assertEquals(text, ScenarioText.format(s));
        Step.MapRange map = assertInstanceOf(Step.MapRange.class, s.steps().get(1));
        assertEquals(0x8000_0705L, map.flags().bits() | map.pa());
        assertEquals(3, map.constraints());
        Updater.Edit keep = assertInstanceOf(Updater.Edit.class, ((Step.ModifyRange) s.steps().get(3)).updater());
        assertEquals(new Updater.Action.Set(0, true, new FlagSet(3, Profile0121.INSTANCE, TranslationRegime.EL2_AND_0)),
                keep.action());
        Updater.Edit none = (Updater.Edit) ((Step.ModifyRange) s.steps().get(5)).updater();
        assertEquals(new Updater.Action.None(), none.action());
        assertEquals(new Step.Deactivate(-1L), s.steps().get(10));
        assertEquals(new Step.Deactivate(0x1234), s.steps().get(11));
    }

    /** pa=keep takes the entry's own output address (bits 12..47), resolved per call by the one decide. */
    @Test
    void keepResolvesToTheEntrysOutputAddress() {
        FlagSet flags = new FlagSet(0x403, Profile0121.INSTANCE);
        Updater.Edit e = new Updater.Edit(Predicate.ANY, 0xF, new Updater.Action.Set(0, true, flags),
                new Updater.Failure.AtCall(2));
        assertEquals(new Updater.Decision(new Updater.Action.Set(0x12_3456_5000L, false, flags), true),
                e.decide(1, 0, 3, 0x00c0_0012_3456_5fffL));
        assertEquals(false, e.decide(2, 0, 3, 0).ok());
    }

    /** The names are the regime's attribute type's: Stage 2 has S2AP and MemAttr, not EL1's names. */
    @Test
    void flagNamesAreTheRegimes() throws Exception {
        Scenario s2 = ScenarioText.parse("profile 0.12.1\ntable regime=stage2\nmap 0 0x1000 pa=0 flags=0x7fd\n");
        String printed = ((Step.MapRange) s2.steps().get(1)).flags().text();
        assertTrue(!printed.contains("ACCESSED") && !printed.contains("0x7fd"), printed);
        assertEquals(s2, ScenarioText.parse(ScenarioText.format(s2)));
        ScenarioSyntaxException e = assertThrows(ScenarioSyntaxException.class, () -> ScenarioText.parse(
                "profile 0.12.1\ntable regime=stage2\nmap 0 0x1000 pa=0 flags=UXN\n"));
        assertTrue(e.getMessage().contains("unknown flag 'UXN' for aarch64-paging 0.12.1 Stage2"), e.getMessage());
    }

    @Test
    void refusalsNameTheLine() {
        for (List<String> c : List.of(
                List.of("profile 0.12.1\ntable regime=el2 va-range=upper", "line 2", "has no upper VA range"),
                List.of("profile 0.12.1\ntable regime=stage2 asid=1", "line 2", "has no ASID"),
                List.of("profile 0.12.1\ntable regime=el4", "line 2", "unknown regime 'el4'"),
                List.of("profile 0.12.1\ntable\nmap 0 1 pa=0 flags=0 constraints=NO_SUCH", "line 3",
                        "unknown constraint 'NO_SUCH'"),
                List.of("profile 0.12.1\ntable\nmodify 0 1 updater=edit:pa=keep", "line 3", "needs pa=PA|keep and "
                        + "flags=FLAGS"),
                List.of("profile 0.12.1\ntable\nmodify 0 1 updater=edit:pa=0,flags=0,set=VALID", "line 3",
                        "not both"),
                List.of("profile 0.12.1\ntable\nwalk 0", "line 3", "walk START END [fail=FAILURE]"),
                List.of("profile 0.12.1\ntable\ncompact 1", "line 3", "compact takes no arguments"),
                List.of("profile 0.12.1\ntable\nmmio-map 0 1", "line 1", "needs a 'tracker' scenario"),
                List.of("profile 0.12.1\ntracker\nmodify 0 1 updater=builtin:verify-lazy", "line 3",
                        "the built-in updaters are the 0.4.0 oracle's"))) {
            ScenarioSyntaxException e = assertThrows(ScenarioSyntaxException.class, () -> ScenarioText.parse(c.get(0)));
            assertTrue(e.getMessage().startsWith(c.get(1)) && e.getMessage().contains(c.get(2)), e.getMessage());
        }
    }

    /** A --profile named outside the text: files without a profile line take it; a different line is refused. */
    @Test
    void anImposedProfileMustAgreeWithTheScenariosLine() throws Exception {
        Scenario s = ScenarioText.parseAll("table\nwalk 0 0x1000\n", Profile0121.INSTANCE).getFirst();
        assertEquals(Profile0121.INSTANCE, s.profile());
        ScenarioSyntaxException e = assertThrows(ScenarioSyntaxException.class,
                () -> ScenarioText.parseAll("profile 0.4.0\ntable\n", Profile0121.INSTANCE));
        assertEquals("line 1: scenario unnamed says 'profile 0.4.0' but --profile 0.12.1 was given: remove the flag "
                + "or change the line", e.getMessage());
        assertEquals(Profiles.defaultProfile(), ScenarioText.parseAll("profile 0.4.0\ntable\n",
                Profiles.defaultProfile()).getFirst().profile());
    }

    /** The language's constraint names are the crate mirror's. */
    @Test
    void constraintNamesAreTheCrates() {
        assertEquals(Constraints.NO_BLOCK_MAPPINGS.bits(), ConstraintBits.NO_BLOCK_MAPPINGS);
        assertEquals(Constraints.NO_CONTIGUOUS_HINT.bits(), ConstraintBits.NO_CONTIGUOUS_HINT);
        assertEquals("Constraints(NO_BLOCK_MAPPINGS | NO_CONTIGUOUS_HINT | 0x4)",
                Constraints.fromBitsRetain(ConstraintBits.parse("NO_BLOCK_MAPPINGS|NO_CONTIGUOUS_HINT|4")).toString());
        assertEquals("NO_BLOCK_MAPPINGS|0x8", ConstraintBits.text(9));
    }
}
