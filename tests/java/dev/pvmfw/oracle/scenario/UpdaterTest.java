package dev.pvmfw.oracle.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.era2023_05.PteCallbacks;
import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import org.junit.jupiter.api.Test;

/** The one definition of an edit, which both engines run: {@link Updater.Edit#decide}. */
class UpdaterTest {
    static FlagSet f(Attributes a) {
        return new FlagSet(a.bits(), Profile040.INSTANCE);
    }

    static final FlagSet NONE = FlagSet.empty(Profile040.INSTANCE);
    static final long PAGE = 0x40000000L | Attributes.of(Attributes.VALID, Attributes.TABLE_OR_PAGE).bits();

    @Test
    void editModifiesFlagsOnlyAtItsLevelsAndFailsOnlyAtItsFailingEntry() {
        Updater.Edit e = new Updater.Edit(Predicate.ANY, 0b1010, f(Attributes.SWFLAG_1), f(Attributes.VALID),
                new Updater.Failure.At(3, 0x2000));
        Updater.Action modify = new Updater.Action.ModifyFlags(f(Attributes.SWFLAG_1), f(Attributes.VALID));
        Updater.Action none = new Updater.Action.None();
        assertEquals(new Updater.Decision(none, true), e.decide(1, 0x2000, 0, PAGE));
        assertEquals(new Updater.Decision(modify, true), e.decide(2, 0x2000, 1, PAGE));
        assertEquals(new Updater.Decision(none, true), e.decide(3, 0x2000, 2, PAGE));
        assertEquals(new Updater.Decision(modify, true), e.decide(4, 0x1000, 3, PAGE), "not the failing entry");
        assertEquals(new Updater.Decision(modify, false), e.decide(5, 0x2000, 3, PAGE), "edited, then Err");
    }

    @Test
    void failAtCallCountsTheStepsCallsFromOne() {
        Updater.Edit e = new Updater.Edit(Predicate.ANY, 0b1111, NONE, NONE, new Updater.Failure.AtCall(3));
        assertTrue(e.decide(1, 0, 3, PAGE).ok());
        assertTrue(e.decide(2, 0, 3, PAGE).ok());
        assertFalse(e.decide(3, 0, 3, PAGE).ok());
        assertTrue(e.decide(4, 0, 3, PAGE).ok());
    }

    @Test
    void failWhenTestsTheBitsTheUpdaterWasCalledWith() {
        Updater.Edit e = new Updater.Edit(Predicate.ANY, 0b1111, NONE, f(Attributes.VALID),
                new Updater.Failure.When(Predicate.VALID));
        assertFalse(e.decide(1, 0, 3, PAGE).ok(), "valid before the edit clears VALID");
        assertTrue(e.decide(2, 0, 3, PAGE & ~1L).ok());
    }

    @Test
    void whenSelectsTheEditedEntries() {
        Updater.Edit lazyOnly = new Updater.Edit(Predicate.LAZY, 0b1111, f(Attributes.VALID), NONE,
                new Updater.Failure.Never());
        long lazy = Attributes.of(Attributes.SWFLAG_0, Attributes.TABLE_OR_PAGE).bits();
        assertEquals(new Updater.Action.ModifyFlags(f(Attributes.VALID), NONE), lazyOnly.decide(1, 0, 3, lazy).action());
        assertEquals(new Updater.Action.None(), lazyOnly.decide(1, 0, 3, PAGE).action());
    }

    @Test
    void theLeafPredicateIsPvmfwsIsLeafPte() {
        for (long bits : new long[] {0, 1, 2, 3, PAGE, 0x402, 0x403}) {
            for (int level = 0; level <= 3; level++) {
                assertEquals(PteCallbacks.isLeafPte(bits, level), Predicate.LEAF.test(bits, level));
            }
        }
        // the seed's rule: TABLE_OR_PAGE set is a leaf only at level 3; clear, only above it
        assertTrue(Predicate.LEAF.test(0b11, 3));
        assertFalse(Predicate.LEAF.test(0b11, 2));
        assertTrue(Predicate.LEAF.test(0b01, 2));
        assertFalse(Predicate.LEAF.test(0b01, 3));
    }

    @Test
    void levelsOutsideZeroToThreeAreNeverEdited() {
        Updater.Edit e = new Updater.Edit(Predicate.ANY, 0b1111, f(Attributes.SWFLAG_0), NONE,
                new Updater.Failure.Never());
        for (int level : new int[] {4, 32, 33}) {
            assertEquals(new Updater.Decision(new Updater.Action.None(), true), e.decide(1, 0, level, PAGE),
                    "level " + level);
        }
    }
}
