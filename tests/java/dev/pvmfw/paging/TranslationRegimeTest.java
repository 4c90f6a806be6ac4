package dev.pvmfw.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The regimes' ids on the command line and in scenarios. */
class TranslationRegimeTest {
    @Test
    void everyRegimeIsFoundByItsIdAndNothingElseIs() {
        for (TranslationRegime r : TranslationRegime.values()) {
            assertEquals(Optional.of(r), TranslationRegime.byId(r.id()));
        }
        assertEquals(Optional.of(TranslationRegime.STAGE2), TranslationRegime.byId("stage2"));
        assertEquals(Optional.empty(), TranslationRegime.byId("el1"));
        assertEquals(Optional.empty(), TranslationRegime.byId("El1And0"), "the id, not the crate's name");
    }
}
