package dev.pvmfw.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Where an arena may sit: its last slot at an output address (at most 2^48 - 4096), as the oracle library's arena
 * ({@code pa_base + slots * 4096 <= 2^48}), so the two accept the same arenas.
 */
class TableArenaBoundsTest {
    @Test
    void anArenaMayEndExactlyAt2To48() {
        try (TableArena a = TableArena.create(4, (1L << 48) - 4 * 4096L)) {
            assertEquals(0xFFFF_FFFF_F000L, a.paOfSlot(3));
        }
    }

    @Test
    void anArenaPast2To48IsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TableArena.create(4, (1L << 48) - 3 * 4096L));
        assertThrows(IllegalArgumentException.class, () -> TableArena.create(1, 1L << 48));
    }

    @Test
    void anArenaMayStartAtPaZero() {
        try (TableArena a = TableArena.create(2, 0)) {
            assertEquals(0, a.paOfSlot(0));
        }
    }
}
