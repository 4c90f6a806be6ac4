package dev.pvmfw.paging.v0_12_1.linearmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableHeap;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.VirtualAddress;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.v0_12_1.Descriptor;
import dev.pvmfw.paging.v0_12_1.El1And0;
import dev.pvmfw.paging.v0_12_1.El1Attributes;
import dev.pvmfw.paging.v0_12_1.MapError;
import dev.pvmfw.paging.v0_12_1.MapException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code LinearMap}'s and {@code LinearTranslation}'s surface beyond the crate's ported tests: the delegations to the
 * mapping, the checked arithmetic of {@code virtual_to_physical} ({@code checked_add_to_unsigned}) and
 * {@code physical_to_virtual} ({@code checked_sub}) at the overflow edges (aarch64-paging 0.12.1
 * {@code src/linearmap.rs}), and the tables' heap: freed tables leave it, a failed allocation gives its table back,
 * and the drop closes it.
 */
class LinearMapSurfaceTest {
    static final El1Attributes NORMAL_VALID = LinearMapTest.NORMAL_VALID;

    @Test
    void virtualToPhysicalRefusesANegativePlusNegativeOverflow() {
        try (LinearTranslation translation = new LinearTranslation(-4096)) {
            VirtualAddress va = new VirtualAddress(Long.MIN_VALUE); // isize::MIN + -4096 overflows to a positive sum
            MapException e = assertThrows(MapException.class, () -> translation.virtualToPhysical(va));
            assertEquals(new MapError.InvalidVirtualAddress(va), e.error());
        }
    }

    @Test
    void physicalToVirtualRefusesAnOverflowingSubtractionAndTakesPaZero() {
        // isize::MIN is a multiple of 4096 (its unsigned_abs is 2^63).
        try (LinearTranslation translation = new LinearTranslation(Long.MIN_VALUE)) {
            assertEquals(Long.MIN_VALUE, translation.offset());
            CratePanic panic = assertThrows(CratePanic.class,
                    () -> translation.physicalToVirtualAddress(new PhysicalAddress(0x1000)));
            assertEquals("Invalid physical address 0x0000000000001000 for pagetable", panic.getMessage());
        }
        try (LinearTranslation translation = new LinearTranslation(-4096)) {
            // 0 is not negative: 0 - (-4096) = 4096.
            assertEquals(new VirtualAddress(4096), translation.physicalToVirtualAddress(new PhysicalAddress(0)));
            assertEquals(-4096, translation.offset());
        }
    }

    @Test
    void aFailedAllocationGivesItsTableBackToTheHeap() {
        // The heap's first table sits at DEFAULT_BASE, so this offset makes its PA -4096 and the next one's 0.
        try (LinearTranslation translation = new LinearTranslation(-(TableHeap.DEFAULT_BASE + 4096))) {
            CratePanic first = assertThrows(CratePanic.class, translation::allocateTable);
            assertTrue(first.getMessage().startsWith("Allocated subtable with virtual address which doesn't "
                    + "correspond to any physical address.: InvalidVirtualAddress("), first.getMessage());
            CratePanic second = assertThrows(CratePanic.class, translation::allocateTable,
                    "the same table again: the first was not leaked");
            assertEquals(first.getMessage(), second.getMessage());
        }
    }

    @Test
    void theDelegationsReachTheMapping() throws MapException {
        try (LinearMap<El1Attributes> lmap = LinearMapTest.newMap(0x1000)) {
            assertEquals(1L << 39, lmap.size());
            assertEquals(0x1000, lmap.translation().offset());
            PhysicalAddress root = lmap.rootAddress();
            assertEquals(lmap.mapping().rootAddress(), root);
            assertNotNull(lmap.translation().table(root.value()), "the root is a table of the translation");
            assertNull(lmap.translation().table(-1L & ~0xfffL), "where physical_to_virtual would panic: none");
            assertEquals("LinearMap { mapping: " + lmap.mapping() + " }", lmap.toString());
            lmap.markActive();
            assertTrue(lmap.mapping().active());
            lmap.markInactive();
            assertFalse(lmap.mapping().active());
            assertEquals(-1L, lmap.activate(), "usize::MAX off aarch64");
            lmap.deactivate(-1L);

            lmap.mapRange(MemoryRegion.of(0, 0x1000), NORMAL_VALID);
            List<String> seen = new ArrayList<>();
            lmap.walkRange(MemoryRegion.of(0, 0x1000), (range, d, level) -> seen.add(level + ":" + d.outputAddress()));
            assertEquals(List.of("3:" + new PhysicalAddress(0x1000)), seen);

            long l2 = Descriptor.outputAddressOf(TableLayout.read(lmap.mapping().root().rootSegment(), 0));
            assertNotNull(lmap.translation().table(l2));
            lmap.mapRange(MemoryRegion.of(0, 0x1000), El1Attributes.fromBitsRetain(0));
            lmap.compactSubtables();
            assertNull(lmap.translation().table(l2), "compacted: the level-2 table went back to the heap");
            assertEquals(0, TableLayout.read(lmap.mapping().root().rootSegment(), 0));
        }
    }

    @Test
    void droppingAnActiveMapPanicsAndClosesTheHeapAll() {
        LinearMap<El1Attributes> lmap = LinearMap.withAsid(1, 1, 0x1000, El1And0.INSTANCE, VaRange.LOWER);
        lmap.activate();
        CratePanic panic = assertThrows(CratePanic.class, lmap::close);
        assertEquals("Dropping active page table mapping!", panic.getMessage());
        assertTrue(lmap.mapping().isClosed());
        MemoryLifetimeException e = assertThrows(MemoryLifetimeException.class,
                () -> lmap.translation().allocateTable());
        assertEquals(MemoryLifetimeException.Kind.CLOSED, e.kind());
    }

    @Test
    void closingTheTranslationClosesItsHeap() {
        LinearTranslation translation = new LinearTranslation(0);
        translation.allocateTable();
        translation.close();
        assertThrows(MemoryLifetimeException.class, translation::allocateTable);
    }
}
