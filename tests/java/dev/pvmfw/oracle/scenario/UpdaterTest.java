package dev.pvmfw.oracle.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvmfw.paging.v0_4_0.Attributes;
import org.junit.jupiter.api.Test;

/** The one definition of an edit, which both engines run: {@link Updater.Edit#decide}. */
class UpdaterTest {

    @Test
    void editModifiesFlagsOnlyAtItsLevelsAndFailsOnlyAtItsFailingEntry() {
        Updater.Edit e = new Updater.Edit(Attributes.SWFLAG_1, Attributes.VALID, 0b1010, 3, 0x2000);
        Updater.Action modify = new Updater.Action.ModifyFlags(Attributes.SWFLAG_1, Attributes.VALID);
        Updater.Action none = new Updater.Action.None();
        assertEquals(new Updater.Decision(none, true), e.decide(0x2000, 0));
        assertEquals(new Updater.Decision(modify, true), e.decide(0x2000, 1));
        assertEquals(new Updater.Decision(none, true), e.decide(0x2000, 2));
        assertEquals(new Updater.Decision(modify, true), e.decide(0x1000, 3), "not the failing entry's start");
        assertEquals(new Updater.Decision(modify, false), e.decide(0x2000, 3), "edited, then Err");
    }

    @Test
    void editWithoutAFailLevelNeverFails() {
        Updater.Edit e = new Updater.Edit(Attributes.empty(), Attributes.empty(), 0b1111, -1, 0);
        for (int level = 0; level <= 3; level++) {
            assertEquals(new Updater.Decision(new Updater.Action.ModifyFlags(Attributes.empty(), Attributes.empty()),
                    true), e.decide(0, level));
        }
    }

    @Test
    void levelsOutsideZeroToThreeAreNeverEdited() {
        Updater.Edit e = new Updater.Edit(Attributes.SWFLAG_0, Attributes.empty(), 0b1111, -1, 0);
        for (int level : new int[] {4, 32, 33}) {
            assertEquals(new Updater.Decision(new Updater.Action.None(), true), e.decide(0, level), "level " + level);
        }
    }
}
