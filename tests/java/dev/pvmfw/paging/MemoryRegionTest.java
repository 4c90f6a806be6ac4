package dev.pvmfw.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every MemoryRegion has page-aligned bounds, whichever factory made it. */
class MemoryRegionTest {
    @Test
    void alignedRefusesUnalignedBounds() {
        assertEquals(MemoryRegion.of(0x1000, 0x3000), MemoryRegion.aligned(0x1000, 0x3000));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryRegion.aligned(0x1000, 0x2001));
        assertEquals("MemoryRegion.aligned(0x0000000000001000, 0x0000000000002001): bounds must be page-aligned "
                + "(MemoryRegion.of rounds them)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MemoryRegion.aligned(0x10, 0x2000));
    }

    @Test
    void backwardsAndWrappedRegionsAreStillAligned() {
        assertEquals("0x0000000000002000..0x0000000000001000", MemoryRegion.of(0x2000, 1).toString());
        assertEquals(0, MemoryRegion.of(0, -1L).endValue(), "align_up of the last page wraps to 0");
        assertEquals(MemoryRegion.of(0x2000, 1), MemoryRegion.aligned(0x2000, 0x1000));
    }

    /** {@code Range::contains}: start inclusive, end exclusive, unsigned. */
    @Test
    void containsIsStartInclusiveEndExclusive() {
        MemoryRegion r = MemoryRegion.of(new VirtualAddress(0x1000), new VirtualAddress(0x3000));
        assertEquals(MemoryRegion.of(0x1000, 0x3000), r);
        assertFalse(r.contains(0xFFF));
        assertTrue(r.contains(0x1000));
        assertTrue(r.contains(0x2FFF));
        assertFalse(r.contains(0x3000));
        assertFalse(r.contains(-0x1000L), "an upper-range address is above, not below");
    }

    /** {@code is_empty} is {@code start == end}: a backwards region is not empty (aarch64-paging src/paging.rs). */
    @Test
    void emptyAndBackwardsAreDifferentThings() {
        MemoryRegion empty = MemoryRegion.of(0x2000, 0x2000);
        MemoryRegion forwards = MemoryRegion.of(0x1000, 0x2000);
        MemoryRegion backwards = MemoryRegion.of(0x2000, 0x1000);
        assertTrue(empty.isEmpty());
        assertFalse(empty.isBackwards());
        assertFalse(forwards.isEmpty());
        assertFalse(forwards.isBackwards());
        assertFalse(backwards.isEmpty());
        assertTrue(backwards.isBackwards());
        assertEquals(-0x1000L, backwards.len(), "wraps as in a release build");
    }

    @Test
    void equalRegionsHaveEqualHashesAndDifferentBoundsDiffer() {
        MemoryRegion r = MemoryRegion.of(0x1000, 0x3000);
        assertEquals(r, MemoryRegion.of(0x1800, 0x2800));
        assertEquals(r.hashCode(), MemoryRegion.of(0x1800, 0x2800).hashCode());
        assertNotEquals(r, MemoryRegion.of(0x1000, 0x4000));
        assertNotEquals(r, MemoryRegion.of(0x2000, 0x3000));
        assertNotEquals(r, "0x1000..0x3000");
        assertNotEquals(MemoryRegion.of(0x1000, 0x3000).hashCode(), MemoryRegion.of(0x3000, 0x1000).hashCode());
        assertNotEquals(MemoryRegion.of(0, 0x1000).hashCode(), MemoryRegion.of(0, 0x2000).hashCode());
    }
}
