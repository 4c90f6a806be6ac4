package dev.pvmfw.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.internal.TableLayout;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** A raw image: slots by index, tables by PA, and the VA span of its root. */
class TableImageTest {
    @Test
    void anIntArgumentIsAPaNotASlot() throws Exception {
        MemorySegment b = MemorySegment.ofArray(new byte[2 * 4096]);
        TableLayout.write(b.asSlice(4096), 7, 0x1234_5003L);
        TableImage image = TableImage.of(b, 0x4000_0000L, 1, VaRange.LOWER, 0);
        int one = 1;
        assertNull(image.table(one)); // PA 1: no slot starts there (an int once chose the slot overload)
        assertEquals(0x1234_5003L, TableLayout.read(image.slot(one), 7));
        assertEquals(0x1234_5003L, TableLayout.read(image.table(0x4000_1000L), 7));
        assertEquals(0x1234_5003L, image.entry(1, 7));
    }

    @Test
    void theVaSpanIsTheMmusForTheRootLevelAndRange() throws Exception {
        MemorySegment b = MemorySegment.ofArray(new byte[4096]);
        // 2^(48 − 9·level) bytes: level 0 2^48, 1 2^39, 2 2^30, 3 2^21; TTBR1 ends at 2^64.
        long[] sizes = {1L << 48, 1L << 39, 1L << 30, 1L << 21};
        for (int level = 0; level < 4; level++) {
            TableImage lower = TableImage.of(b, 0, level, VaRange.LOWER, 0);
            TableImage upper = TableImage.of(b, 0, level, VaRange.UPPER, 0);
            assertEquals(sizes[level], lower.vaSize());
            assertEquals(0, lower.vaBase());
            assertEquals(sizes[level], upper.vaSize());
            assertEquals(-sizes[level], upper.vaBase());
        }
    }

    /**
     * Issue 13 case 1: a "negative" PA base (-0x1000, 2^64 − 4096) used to wrap the 2^48 check and be accepted, so a
     * pointer to PA 0 resolved to slot 1. Both the checked factory and the public constructor refuse it.
     */
    @Test
    void aPaBaseThatWrapsPast2To64IsRefused() {
        MemorySegment b = MemorySegment.ofArray(new byte[2 * 4096]);
        ImageFormatException e = assertThrows(ImageFormatException.class,
                () -> TableImage.of(b, -0x1000L, 1, VaRange.LOWER, 0));
        assertEquals("PAs from 0xfffffffffffff000 for 2 tables pass 2^48", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TableImage(b, -0x1000L, 1, VaRange.LOWER, 0));
    }

    /** Issue 13 case 8: the public constructor used to skip the checks (then ImageWalk indexed out of bounds). */
    @Test
    void theConstructorChecksWhatOfChecks() {
        MemorySegment two = MemorySegment.ofArray(new byte[2 * 4096]);
        assertEquals("root slot 2 is outside the image (2 tables)", assertThrows(IllegalArgumentException.class,
                () -> new TableImage(two, 0x4000_0000L, 1, VaRange.LOWER, 2)).getMessage());
        assertEquals("root level must be 0..3, got 4", assertThrows(IllegalArgumentException.class,
                () -> new TableImage(two, 0x4000_0000L, 4, VaRange.LOWER, 0)).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new TableImage(MemorySegment.ofArray(new byte[100]), 0, 1, VaRange.LOWER, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new TableImage(MemorySegment.ofArray(new byte[0]), 0, 1, VaRange.LOWER, 0));
        assertEquals(2, new TableImage(two, 0xffff_ffff_e000L, 1, VaRange.LOWER, 1).slots(), "ends at 2^48");
    }
}
