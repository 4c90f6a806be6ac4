package dev.pvmfw.paging.v0_4_0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.v0_4_0.idmap.IdMap;
import org.junit.jupiter.api.Test;

/**
 * {@code Mapping} (aarch64-paging 0.4.0 src/paging.rs): activate saves the TTBR value, deactivate gives it back; the
 * derived Debug {@code Mapping { root: …, asid: 1, previous_ttbr: None }} (docs/aarch64-paging-0.4.0.md, Debug formats);
 * the root table refuses use once dropped.
 */
class MappingDebugTest {
    static final String EMPTY_ROOT = "RootTable { pa: 0x0000000040000000, level: 1, table:\n0  -511: 0\n}";

    @Test
    void deactivateReturnsTheTtbrSavedByActivate() {
        try (TableArena arena = TableArena.create(4); Mapping m = new Mapping(arena, 7, 1, VaRange.LOWER)) {
            assertEquals(7, m.asid());
            assertEquals(1L << 39, m.size());
            assertEquals(0x4000_0000L | 7L << 48, m.activate(0x1234));
            assertEquals("Mapping { root: " + EMPTY_ROOT + ", asid: 7, previous_ttbr: Some(4660) }", m.toString());
            assertEquals(0x1234, m.deactivate());
            assertFalse(m.isActive());
            assertEquals("Mapping { root: " + EMPTY_ROOT + ", asid: 7, previous_ttbr: None }", m.toString());
            CratePanic p = assertThrows(CratePanic.class, m::deactivate);
            assertEquals("called `Option::unwrap()` on a `None` value", p.getMessage());
        }
    }

    @Test
    void idMapDebugWrapsTheMapping() {
        try (TableArena arena = TableArena.create(4); IdMap map = new IdMap(arena, 1, 1)) {
            assertEquals("IdMap { mapping: Mapping { root: " + EMPTY_ROOT + ", asid: 1, previous_ttbr: None } }",
                    map.toString());
        }
    }

    /**
     * {@code toString} never throws (its contract): a root whose memory was released under it (not dropped) cannot be
     * dumped, and prints a one-line placeholder with the error {@code debug} gives.
     */
    @Test
    void aRootWhoseMemoryIsReleasedPrintsAPlaceholderInsteadOfItsDump() {
        TableArena arena = TableArena.create(4);
        RootTable root = new RootTable(arena, 1, VaRange.LOWER);
        PhysicalAddress pa = root.toPhysical();
        arena.close();
        MemoryLifetimeException e = assertThrows(MemoryLifetimeException.class, root::debug);
        assertEquals(MemoryLifetimeException.Kind.CLOSED, e.kind());
        assertEquals("RootTable { pa: " + pa + ", level: 1, <cannot be dumped: " + e.getMessage() + "> }",
                root.toString());
    }

    @Test
    void aDroppedRootRefusesItsDumpAndItsBytes() throws Exception {
        try (TableArena arena = TableArena.create(4)) {
            RootTable root = new RootTable(arena, 1, VaRange.UPPER);
            assertEquals(VaRange.UPPER, root.vaRange());
            assertFalse(root.isClosed());
            assertEquals(root.debug(), root.toString());
            assertEquals(4096, root.rootSegment().byteSize());
            root.mapRange(MemoryRegion.of(-0x2000L, -0x1000L), new PhysicalAddress(0x8000_0000L), Attributes.VALID);
            root.close();
            assertTrue(root.isClosed());
            for (Runnable r : new Runnable[] {root::debug, root::rootSegment}) {
                MemoryLifetimeException e = assertThrows(MemoryLifetimeException.class, r::run);
                assertEquals(MemoryLifetimeException.Kind.CLOSED, e.kind());
            }
            assertEquals(0, arena.usedSlots(), "dropping frees every table");
        }
    }

    /** The updater's descriptor prints as the crate's Descriptor Debug (docs/aarch64-paging-0.4.0.md, Debug formats). */
    @Test
    void theUpdatersDescriptorPrintsItsDebug() throws Exception {
        try (TableArena arena = TableArena.create(4); IdMap map = new IdMap(arena, 1, 1)) {
            map.mapRange(MemoryRegion.of(0x8000_0000L, 0x8000_1000L), Attributes.VALID.union(Attributes.NORMAL));
            StringBuilder leaf = new StringBuilder();
            map.modifyRange(MemoryRegion.of(0x8000_0000L, 0x8000_1000L), (range, d, level) -> {
                if (level == 3) {
                    leaf.append(d);
                }
                return true;
            });
            assertEquals("0x00000080000707 (0x0000000080000000, Attributes(VALID | TABLE_OR_PAGE | DEVICE_NGNRE"
                    + " | NORMAL | ACCESSED))", leaf.toString());
        }
    }
}
