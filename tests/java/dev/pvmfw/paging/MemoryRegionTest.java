package dev.pvmfw.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
