package dev.pvmfw.paging.v0_4_0.linearmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.AllocatedTable;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableHeap;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.VirtualAddress;
import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.MapError;
import dev.pvmfw.paging.v0_4_0.MapException;
import org.junit.jupiter.api.Test;

/**
 * {@code LinearTranslation} (aarch64-paging 0.4.0 src/linearmap.rs; docs/aarch64-paging-0.4.0.md, "IdMap and
 * LinearMap"): {@code pa = (va as isize) + offset}, checked, a negative result refused; {@code physical_to_virtual}
 * panics when {@code pa as isize < 0}, on overflow, or for VA 0.
 */
class LinearTranslationTest {
    @Test
    void aVaWhoseSignedSumOverflowsIsInvalid() {
        LinearTranslation t = new LinearTranslation(-4096);
        assertEquals(-4096, t.offset());
        // (0x8000_0000_0000_0000 as isize) - 4096 overflows, although the unsigned difference would not.
        MapException e = assertThrows(MapException.class,
                () -> t.virtualToPhysical(new VirtualAddress(Long.MIN_VALUE)));
        assertInstanceOf(MapError.InvalidVirtualAddress.class, e.error());
        assertThrows(MapException.class, () -> new LinearTranslation(4096)
                .virtualToPhysical(new VirtualAddress(Long.MAX_VALUE - 4095)));
        t.close();
    }

    @Test
    void paZeroIsAValidPaWhenTheOffsetIsNegative() throws MapException {
        LinearTranslation t = new LinearTranslation(-4096);
        assertEquals(new VirtualAddress(0x1000), t.physicalToVirtualAddress(new PhysicalAddress(0)));
        assertEquals(new PhysicalAddress(0), t.virtualToPhysical(new VirtualAddress(0x1000)));
        CratePanic p = assertThrows(CratePanic.class,
                () -> new LinearTranslation(0).physicalToVirtualAddress(new PhysicalAddress(0)));
        assertEquals("Invalid physical address 0x0000000000000000 for pagetable (translated to virtual address 0)",
                p.getMessage());
        t.close();
    }

    /** A table whose VA has no PA is given back before the panic, so the next allocation meets the same table. */
    @Test
    void aTableWithNoPaIsFreedBeforeThePanic() {
        // Heap slot 0 (VA DEFAULT_BASE) + offset is -4096: no PA; slot 1 would translate to PA 0.
        LinearTranslation t = new LinearTranslation(-(TableHeap.DEFAULT_BASE + 4096));
        for (int i = 0; i < 2; i++) {
            CratePanic p = assertThrows(CratePanic.class, t::allocateTable);
            assertEquals("Allocated subtable with virtual address which doesn't correspond to any physical address.: "
                    + "InvalidVirtualAddress(VirtualAddress(0x0000100000000000))", p.getMessage());
        }
        t.close();
    }

    @Test
    void aFreedTableIsReusedAndClosingReleasesTheHeap() {
        LinearTranslation t = new LinearTranslation(4096);
        AllocatedTable a = t.allocateTable();
        assertEquals(TableHeap.DEFAULT_BASE + 4096, a.pa().value());
        t.deallocateTable(a.table());
        assertEquals(a.pa(), t.allocateTable().pa());
        t.close();
        MemoryLifetimeException e = assertThrows(MemoryLifetimeException.class, t::allocateTable);
        assertEquals(MemoryLifetimeException.Kind.CLOSED, e.kind());
    }

    @Test
    void closingTheLinearMapDropsTheRootAndReleasesTheTranslation() throws MapException {
        LinearMap map = new LinearMap(1, 1, 4096, VaRange.LOWER);
        map.mapRange(MemoryRegion.of(0, 0x1000), Attributes.VALID.union(Attributes.NORMAL));
        assertTrue(map.toString().startsWith("LinearMap { mapping: Mapping { root: RootTable { pa: "), map.toString());
        map.close();
        assertTrue(map.mapping().root().isClosed());
        assertThrows(MemoryLifetimeException.class, () -> map.translation().allocateTable());
    }
}
