package dev.pvmfw.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Levels are 0..3 as in the ARM ARM (4 KiB granule); anything else is refused, not shifted into nonsense. */
class GeometryLevelsTest {
    @Test
    void granularityAndIndexRefuseALevelOutside0To3() {
        assertEquals(4096, Geometry.granularityAtLevel(3));
        assertEquals(1L << 39, Geometry.granularityAtLevel(0));
        assertThrows(IllegalArgumentException.class, () -> Geometry.granularityAtLevel(4));
        assertThrows(IllegalArgumentException.class, () -> Geometry.granularityAtLevel(-1));
        assertEquals(1, Geometry.index(0x4000_1000L, 3));
        assertThrows(IllegalArgumentException.class, () -> Geometry.index(0x1000, 4));
        assertThrows(IllegalArgumentException.class, () -> Geometry.index(0x1000, -1));
    }
}
