package dev.pvmfw.paging.v0_4_0.idmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.AllocatedTable;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.PhysicalMemory;
import dev.pvmfw.paging.v0_4_0.Attributes;
import org.junit.jupiter.api.Test;

/**
 * {@code IdTranslation} (aarch64-paging 0.4.0 src/idmap.rs): a table's address is its PA; PA 0 panics
 * ("Got physical address 0 for pagetable"); dropping the IdMap frees every table.
 */
class IdTranslationTest {
    @Test
    void aTablesPaIsItsAddressAndAFreedTableIsReused() {
        try (IdTranslation t = new IdTranslation()) {
            AllocatedTable a = t.allocateTable();
            AllocatedTable b = t.allocateTable();
            assertEquals(2, t.usedTables());
            assertTrue(t.table(b.pa().value()).isReadOnly());
            assertEquals(b.table().address(), t.physicalToVirtual(b.pa()).address());
            t.deallocateTable(a.table());
            assertEquals(1, t.usedTables());
            assertNull(t.table(a.pa().value()), "a freed table is no table");
            assertEquals(a.pa(), t.allocateTable().pa(), "the lowest free table again");
        }
    }

    @Test
    void physicalAddressZeroPanics() {
        try (IdTranslation t = new IdTranslation()) {
            CratePanic p = assertThrows(CratePanic.class, () -> t.physicalToVirtual(new PhysicalAddress(0)));
            assertEquals("Got physical address 0 for pagetable", p.getMessage());
        }
    }

    @Test
    void closingTheIdMapReleasesItsTranslation() throws Exception {
        IdMap map = new IdMap(1, 1);
        map.mapRange(MemoryRegion.of(0, 0x1000), Attributes.VALID.union(Attributes.NORMAL));
        PhysicalMemory tables = map.mapping().root().translation();
        long rootPa = map.mapping().root().toPhysical().value();
        assertTrue(tables.table(rootPa) != null);
        map.close();
        MemoryLifetimeException e = assertThrows(MemoryLifetimeException.class, () -> tables.table(rootPa));
        assertEquals(MemoryLifetimeException.Kind.CLOSED, e.kind());
    }

    @Test
    void droppingTheRootFreesEveryTable() throws Exception {
        IdTranslation t = new IdTranslation();
        IdMap map = new IdMap(t, 1, 1);
        map.mapRange(MemoryRegion.of(0, 0x1000), Attributes.VALID.union(Attributes.NORMAL));
        assertEquals(3, t.usedTables(), "L1, L2, L3");
        map.close();
        assertEquals(0, t.usedTables());
        t.close();
    }
}
