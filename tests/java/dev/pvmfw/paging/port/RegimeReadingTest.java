package dev.pvmfw.paging.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.v0_12_1.profile.Profile0121;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link RegimeReading}'s contract: the regime-less Debug texts and flag list are those of the regime read, everything
 * else is the crate's own answer; reading the crate's own regime is the crate itself; a regime the crate version does
 * not have is refused.
 */
class RegimeReadingTest {
    /** A Stage2 page: output address 0x4000_1000, S2AP read+write (bits 7:6), AF, TABLE_OR_PAGE, VALID. */
    static final long STAGE2_PAGE = 0x4000_1000L | 0xC0 | 0x400 | 0x3;

    @Test
    void readingTheCratesOwnRegimeIsTheCrateItself() {
        assertSame(Profile0121.INSTANCE, RegimeReading.of(Profile0121.INSTANCE, TranslationRegime.EL1_AND_0));
        assertSame(Profile040.INSTANCE, RegimeReading.of(Profile040.INSTANCE, TranslationRegime.EL1_AND_0));
    }

    @Test
    void aReadingOfAReadingReadsTheBaseCrate() {
        CrateProfile stage2 = RegimeReading.of(Profile0121.INSTANCE, TranslationRegime.STAGE2);
        assertSame(Profile0121.INSTANCE, RegimeReading.of(stage2, TranslationRegime.EL1_AND_0));
        CrateProfile el2 = RegimeReading.of(stage2, TranslationRegime.EL2);
        assertEquals(TranslationRegime.EL2, el2.tableRegime());
        assertEquals(Profile0121.INSTANCE + " reading el2", el2.toString());
    }

    @Test
    void aRegimeTheCrateVersionLacksIsRefused() {
        // aarch64-paging 0.4.0 has only the EL1&0 regime.
        assertThrows(IllegalArgumentException.class,
                () -> RegimeReading.of(Profile040.INSTANCE, TranslationRegime.STAGE2));
    }

    @Test
    void theRegimeLessDebugTextsAndFlagsAreTheRegimesRead() {
        CrateProfile crate = Profile0121.INSTANCE;
        CrateProfile stage2 = RegimeReading.of(crate, TranslationRegime.STAGE2);
        assertEquals(TranslationRegime.STAGE2, stage2.tableRegime());
        assertEquals(crate.descriptorDebug(TranslationRegime.STAGE2, STAGE2_PAGE), stage2.descriptorDebug(STAGE2_PAGE));
        assertNotEquals(crate.descriptorDebug(STAGE2_PAGE), stage2.descriptorDebug(STAGE2_PAGE));
        long flagBits = STAGE2_PAGE & 0xfff;
        assertEquals(crate.attributesDebug(TranslationRegime.STAGE2, flagBits), stage2.attributesDebug(flagBits));
        assertNotEquals(crate.attributesDebug(flagBits), stage2.attributesDebug(flagBits));
        assertEquals(crate.flags(TranslationRegime.STAGE2), stage2.flags());
        assertNotEquals(crate.flags(), stage2.flags());
        assertEquals(crate.flags(TranslationRegime.EL2), stage2.flags(TranslationRegime.EL2));
        assertEquals(crate.descriptorDebug(TranslationRegime.EL2, STAGE2_PAGE),
                stage2.descriptorDebug(TranslationRegime.EL2, STAGE2_PAGE));
        assertEquals(crate.attributesDebug(TranslationRegime.EL2, flagBits),
                stage2.attributesDebug(TranslationRegime.EL2, flagBits));
        assertEquals(crate + " reading stage2", stage2.toString());
    }

    @Test
    void everythingElseIsTheCratesOwnAnswer() {
        Fake crate = new Fake();
        CrateProfile read = RegimeReading.of(crate, TranslationRegime.STAGE2);
        assertEquals("fake", read.id());
        assertEquals(crate.crates(), read.crates());
        assertEquals(Set.of(TranslationRegime.EL1_AND_0, TranslationRegime.STAGE2), read.regimes());
        assertTrue(read.flagsKnown(1));
        assertFalse(read.flagsKnown(2));
        assertTrue(read.isSubtable(3, 1));
        assertFalse(read.isSubtable(3, 3));
        assertTrue(read.isTableOrPage(3));
        assertFalse(read.isTableOrPage(1));
        assertEquals(List.of("problem 2"), read.flagsProblems(2));
        assertSame(Fake.TABLE, read.newPvmfwPageTable(null));
    }

    /** A two-regime crate whose answers depend on their argument, so a delegation shows in each answer. */
    private static final class Fake implements CrateProfile {
        static final MmuOps TABLE = (MmuOps) java.lang.reflect.Proxy.newProxyInstance(MmuOps.class.getClassLoader(),
                new Class<?>[] {MmuOps.class}, (p, m, a) -> null);

        @Override
        public String id() {
            return "fake";
        }

        @Override
        public List<LinkedCrate> crates() {
            return Profile0121.INSTANCE.crates();
        }

        @Override
        public Set<TranslationRegime> regimes() {
            return Set.of(TranslationRegime.EL1_AND_0, TranslationRegime.STAGE2);
        }

        @Override
        public boolean flagsKnown(long descriptor) {
            return descriptor == 1;
        }

        @Override
        public boolean isSubtable(long descriptor, int level) {
            return descriptor == 3 && level < 3;
        }

        @Override
        public boolean isTableOrPage(long descriptor) {
            return (descriptor & 2) != 0;
        }

        @Override
        public String descriptorDebug(long descriptor) {
            return "d" + descriptor;
        }

        @Override
        public String attributesDebug(long flagBits) {
            return "a" + flagBits;
        }

        @Override
        public List<String> flagsProblems(long descriptor) {
            return List.of("problem " + descriptor);
        }

        @Override
        public List<NamedFlag> flags() {
            return List.of();
        }

        @Override
        public MmuOps newPvmfwPageTable(Translation translation) {
            return TABLE;
        }
    }
}
