package dev.pvmfw.paging.v0_12_1.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.catalog.Profiles;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.port.CrateProfile;
import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 0.12.1 profile through the port, and the port's regime-aware methods on both profiles. */
class Profile0121Test {
    final CrateProfile p = Profile0121.INSTANCE;

    @Test
    void identityCratesAndRegimes() {
        assertEquals("0.12.1", p.id());
        assertEquals("aarch64-paging 0.12.1 + bitflags 2.11.0 + thiserror 2.0.18", p.describe());
        assertEquals(p.describe(), p.toString(), "toString is the description");
        assertSame(dev.pvmfw.paging.v0_12_1.El1And0.INSTANCE, Profile0121.regime(TranslationRegime.EL1_AND_0));
        assertSame(dev.pvmfw.paging.v0_12_1.Stage2.INSTANCE, Profile0121.regime(TranslationRegime.STAGE2));
        assertEquals(EnumSet.allOf(TranslationRegime.class), p.regimes());
        assertSame(p, Profiles.byId("0.12.1").orElseThrow());
        assertEquals("0.4.0, 0.12.1", Profiles.ids());
        assertSame(Profile040.INSTANCE, Profiles.defaultProfile());
    }

    @Test
    void flagsAreAlwaysKnownAndTheSubtableRuleIsTheHardwares() {
        for (long d : new long[] {0, -1L, 1L << 3, 0x3, 0x2, 1L << 48 | 3}) {
            assertTrue(p.flagsKnown(d));
            assertEquals(List.of(), p.flagsProblems(d));
            assertEquals((d & 3) == 3, p.isTableOrPage(d));
            for (int level = 0; level <= 3; level++) {
                assertEquals(level < 3 && (d & 3) == 3, p.isSubtable(d, level));
            }
        }
    }

    @Test
    void debugTextsAndFlagsPerRegime() {
        assertEquals("0x00000040001003 (0x0000000040001000, El1Attributes(VALID | TABLE_OR_PAGE))",
                p.descriptorDebug(0x4000_1003L));
        assertEquals("0x00000040001003 (0x0000000040001000, El23Attributes(VALID | TABLE_OR_PAGE))",
                p.descriptorDebug(TranslationRegime.EL2, 0x4000_1003L));
        assertEquals("Stage2Attributes(VALID | ACCESS_FLAG)", p.attributesDebug(TranslationRegime.STAGE2, 0x401));
        assertEquals("El1Attributes(VALID | ACCESSED)", p.attributesDebug(0x401));
        assertEquals(32, p.flags().size());
        assertEquals(new CrateProfile.NamedFlag("ATTRIBUTE_INDEX_0", 0), p.flags().get(2));
        assertEquals(p.flags(), p.flags(TranslationRegime.EL2_AND_0));
        assertEquals("USER_RES1", p.flags(TranslationRegime.EL3).get(13).name());
        assertEquals(25, p.flags(TranslationRegime.STAGE2).size());
    }

    @Test
    void profile040KnowsOnlyEl1And0ThroughTheRegimeMethods() {
        CrateProfile old = Profile040.INSTANCE;
        assertEquals(old.flags(), old.flags(TranslationRegime.EL1_AND_0));
        assertEquals(old.descriptorDebug(3), old.descriptorDebug(TranslationRegime.EL1_AND_0, 3));
        assertEquals(old.attributesDebug(3), old.attributesDebug(TranslationRegime.EL1_AND_0, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> old.flags(TranslationRegime.STAGE2));
        assertEquals("aarch64-paging 0.4.0 has no regime stage2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> old.attributesDebug(TranslationRegime.EL2, 0));
    }

    @Test
    void itMakesPvmfwsPageTable() {
        try (TableArena arena = TableArena.create(4); MmuOps table = p.newPvmfwPageTable(arena)) {
            assertEquals(arena.paBase(), table.rootPa());
            assertEquals(1, table.rootLevel());
            assertFalse(table.isActive());
        }
        try (MmuOps table = p.newPvmfwPageTable(null)) {
            assertEquals(1, table.rootLevel());
        }
    }
}
