package dev.pvmfw.paging.v0_12_1.idmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.AllocatedTable;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.v0_12_1.Descriptor;
import dev.pvmfw.paging.v0_12_1.El1Attributes;
import dev.pvmfw.paging.v0_12_1.MapException;
import org.junit.jupiter.api.Test;

/**
 * {@code IdMap}'s and {@code IdTranslation}'s surface beyond the crate's ported tests: the delegations to the
 * mapping, the Debug shape ({@code #[derive(Debug)] struct IdMap { mapping }}), and the tables' heap: a freed table
 * leaves it and the map's drop closes the heap it made.
 */
class IdMapSurfaceTest {

    @Test
    void markActiveAndInactiveAndTheDebugShape() {
        try (IdMap<El1Attributes> idmap = IdMapTest.newMap()) {
            idmap.markActive();
            assertTrue(idmap.mapping().active());
            idmap.markInactive();
            assertFalse(idmap.mapping().active());
            assertEquals("IdMap { mapping: " + idmap.mapping() + " }", idmap.toString());
        }
    }

    @Test
    void theTranslationCountsAndFindsItsTablesAndFreesThem() {
        try (IdTranslation translation = new IdTranslation()) {
            AllocatedTable a = translation.allocateTable();
            AllocatedTable b = translation.allocateTable();
            assertEquals(2, translation.usedTables());
            assertNotNull(translation.table(b.pa().value()));
            translation.deallocateTable(b.table());
            assertEquals(1, translation.usedTables());
            assertNull(translation.table(b.pa().value()), "freed: no longer a table");
            assertNotNull(translation.table(a.pa().value()));
        }
    }

    @Test
    void unmappingFreesTheSubtablesAndDroppingClosesTheOwnHeap() throws MapException {
        IdMap<El1Attributes> idmap = IdMapTest.newMap();
        idmap.mapRange(MemoryRegion.of(0, 0x1000), IdMapTest.NORMAL_VALID);
        long l2 = Descriptor.outputAddressOf(TableLayout.read(idmap.mapping().root().rootSegment(), 0));
        assertNotNull(idmap.mapping().translation().table(l2));
        // A whole level-1 entry without VALID over the subtable: the entry is rewritten and its tree freed.
        idmap.mapRange(MemoryRegion.of(0, 1L << 30), El1Attributes.fromBitsRetain(0));
        assertNull(idmap.mapping().translation().table(l2));
        idmap.close();
        assertTrue(idmap.mapping().isClosed());
        assertThrows(MemoryLifetimeException.class, () -> idmap.mapping().translation().allocateTable(),
                "the heap the map made is closed with it");
    }

    @Test
    void closingTheTranslationClosesItsHeap() {
        IdTranslation translation = new IdTranslation();
        translation.allocateTable();
        translation.close();
        assertThrows(MemoryLifetimeException.class, translation::allocateTable);
    }
}
