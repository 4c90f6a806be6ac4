package dev.pvmfw.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
