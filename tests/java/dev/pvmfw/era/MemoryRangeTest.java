package dev.pvmfw.era;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code Range<usize>}'s {@code contains}, {@code is_empty} and {@code {:#x?}} (Rust core::ops::Range), unsigned. */
class MemoryRangeTest {

    @Test
    void containsIsStartInclusiveEndExclusiveAndUnsigned() {
        MemoryRange r = MemoryRange.of(0x1000, 0x2000);
        assertEquals(new MemoryRange(0x1000, 0x2000), r);
        assertTrue(r.contains(0x1000));
        assertTrue(r.contains(0x1fff));
        assertFalse(r.contains(0x2000));
        assertFalse(r.contains(0xfff));
        assertTrue(MemoryRange.of(0x8000_0000_0000_0000L, -1L).contains(-2L));
        assertFalse(MemoryRange.of(0x2000, 0x1000).contains(0x1800));
        assertFalse(MemoryRange.of(0x1000, 0x1000).contains(0x1000));
    }

    @Test
    void emptyExactlyWhenStartIsNotBelowEnd() {
        assertTrue(MemoryRange.of(5, 5).isEmpty());
        assertTrue(MemoryRange.of(5, 4).isEmpty());
        assertFalse(MemoryRange.of(4, 5).isEmpty());
        assertFalse(MemoryRange.of(0, -1L).isEmpty());
        assertTrue(MemoryRange.of(-1L, 0).isEmpty());
    }

    @Test
    void debugTextIsRustsAlternateHex() {
        assertEquals("0x9000000..0x9200000", MemoryRange.of(0x900_0000, 0x920_0000).toString());
    }
}
