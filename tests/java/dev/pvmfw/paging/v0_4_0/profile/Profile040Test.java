package dev.pvmfw.paging.v0_4_0.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.port.CrateProfile;
import dev.pvmfw.paging.port.MmuOps;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The 0.4.0 profile through the port: bitflags 2.0.2's {@code from_bits} decides which flags are known (an unknown bit,
 * or part of NORMAL or EXECUTE_NEVER, makes them unknown: docs/aarch64-paging-0.4.0.md), and a table is VALID and
 * TABLE_OR_PAGE with known flags below level 3.
 */
class Profile040Test {
    final CrateProfile p = Profile040.INSTANCE;

    @Test
    void flagsAreKnownOnlyAsAUnionOfCompleteFlags() {
        assertTrue(p.flagsKnown(0x4000_1003L));
        assertTrue(p.flagsKnown(0x0068_0000_4000_0F87L), "DATA_DBM page");
        assertFalse(p.flagsKnown(0x4000_1003L | 1L << 3), "unknown bit 3");
        assertFalse(p.flagsKnown(0x4000_1003L | 1L << 2), "bit 2 alone is part of NORMAL");
        assertFalse(p.flagsKnown(0x4000_1003L | 1L << 53), "bit 53 alone is part of EXECUTE_NEVER");
    }

    @Test
    void theProblemsNameTheUnknownBitsAndThePartialFlags() {
        assertEquals(List.of(), p.flagsProblems(0x4000_1003L));
        assertEquals(List.of("unknown bit 3"), p.flagsProblems(0x4000_1003L | 1L << 3));
        assertEquals(List.of("unknown bits 3, 4"), p.flagsProblems(0x4000_1003L | 3L << 3));
        assertEquals(List.of("part of NORMAL (bits 2, 8, 9): 0x4"), p.flagsProblems(0x4000_1007L));
        assertEquals(List.of(), p.flagsProblems(0x0000_FFFF_FFFF_F000L), "address bits are no flags");
    }

    @Test
    void aSubtableIsValidTableOrPageWithKnownFlagsBelowLevel3() {
        long table = 0x4000_1003L;
        for (int level = 0; level < 3; level++) {
            assertTrue(p.isSubtable(table, level));
        }
        assertFalse(p.isSubtable(table, 3), "a page");
        assertFalse(p.isSubtable(0x4000_1001L, 1), "a block");
        assertFalse(p.isSubtable(0x4000_1002L, 1), "not VALID");
        assertFalse(p.isSubtable(table | 1L << 3, 1), "unknown flags");
        assertTrue(p.isTableOrPage(table));
        assertFalse(p.isTableOrPage(0x4000_1001L));
        assertFalse(p.isTableOrPage(table | 1L << 60));
    }

    @Test
    void debugTextsAreTheCrates() {
        assertEquals("0x00000080000707 (0x0000000080000000, Attributes(VALID | TABLE_OR_PAGE | DEVICE_NGNRE | NORMAL"
                + " | ACCESSED))", p.descriptorDebug(0x8000_0707L));
        assertEquals("0xe0000009000400", p.descriptorDebug(0x00E0_0000_0900_0400L));
        assertEquals("Attributes(VALID | TABLE_OR_PAGE)", p.attributesDebug(0x3));
        assertEquals("Attributes(DEVICE_NGNRE | EXECUTE_NEVER | SWFLAG_0)", p.attributesDebug(0x00E0_0000_0000_0000L));
    }

    @Test
    void itMakesPvmfwsPageTableOnTheGivenTranslationOrItsOwn() {
        try (TableArena arena = TableArena.create(4); MmuOps table = p.newPvmfwPageTable(arena)) {
            assertEquals(arena.paBase(), table.rootPa());
            assertEquals(1, arena.usedSlots());
            assertEquals(1, table.rootLevel());
        }
        try (MmuOps table = p.newPvmfwPageTable(null)) {
            assertEquals(1, table.rootLevel());
            assertEquals(PvmfwPageTable.class, table.getClass());
        }
        assertEquals(p.describe(), p.toString());
        assertTrue(p.toString().startsWith("aarch64-paging 0.4.0 + bitflags 2.0.2"), p.toString());
    }

    /** 0.4.0 has one regime, EL1&0: a descriptor of any other has no 0.4.0 text. */
    @Test
    void descriptorTextsOfAnotherRegimeAreRefused() {
        assertEquals(p.descriptorDebug(0x4000_1003L), p.descriptorDebug(TranslationRegime.EL1_AND_0, 0x4000_1003L));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.descriptorDebug(TranslationRegime.STAGE2, 0x4000_1003L));
        assertEquals("aarch64-paging 0.4.0 has no regime stage2", e.getMessage());
    }

    /** The id and the 14 flags in the crate's declaration order with their values (aarch64-paging 0.4.0 src/paging.rs). */
    @Test
    void theIdAndTheFlagsAreTheCrates() {
        assertEquals("0.4.0", p.id());
        assertEquals(14, p.flags().size());
        assertEquals(new CrateProfile.NamedFlag("VALID", 1), p.flags().get(0));
        assertEquals(new CrateProfile.NamedFlag("DEVICE_NGNRE", 0), p.flags().get(2));
        assertEquals(new CrateProfile.NamedFlag("NORMAL", 0x304), p.flags().get(3));
        assertEquals(new CrateProfile.NamedFlag("EXECUTE_NEVER", 3L << 53), p.flags().get(9));
        assertEquals(new CrateProfile.NamedFlag("SWFLAG_3", 1L << 58), p.flags().get(13));
    }
}
