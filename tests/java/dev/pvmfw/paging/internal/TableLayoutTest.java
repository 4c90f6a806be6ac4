package dev.pvmfw.paging.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvmfw.paging.Geometry;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The table layout's own constants agree with the granule's geometry, and a descriptor is little-endian bytes. */
class TableLayoutTest {
    @Test
    void constantsAgreeWithTheGeometry() {
        assertEquals(Geometry.ENTRIES_PER_TABLE, TableLayout.ENTRIES_PER_TABLE);
        assertEquals(Geometry.PAGE_SIZE, TableLayout.TABLE_SIZE);
        assertEquals(Geometry.PAGE_SIZE, TableLayout.TABLE_ALIGNMENT);
        assertEquals(TableLayout.TABLE_SIZE, TableLayout.TABLE.byteSize());
    }

    @Test
    void aDescriptorIsEightLittleEndianBytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment table = arena.allocate(TableLayout.TABLE);
            TableLayout.write(table, 1, 0x0102_0304_0506_0708L);
            assertArrayEquals(new byte[] {8, 7, 6, 5, 4, 3, 2, 1},
                    table.asSlice(8, 8).toArray(ValueLayout.JAVA_BYTE));
            assertEquals(0x0102_0304_0506_0708L, TableLayout.read(table, 1));
        }
    }
}
