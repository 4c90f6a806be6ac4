package dev.pvmfw.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The slot-order layout of a saved image (the arena convention, docs/aarch64-paging-0.4.0.md): slot {@code i} is the
 * 4096 bytes at {@code 4096·i}, at PA {@code paBase + 4096·i}, read-only.
 */
class SlotMemoryTest {
    private static final long BASE = 0x4000_0000L;

    /** Three slots whose first byte is the slot number plus one. */
    private static SlotMemory threeSlots() {
        MemorySegment bytes = MemorySegment.ofArray(new byte[3 * 4096]);
        for (int i = 0; i < 3; i++) {
            bytes.set(ValueLayout.JAVA_BYTE, 4096L * i, (byte) (i + 1));
        }
        return new SlotMemory(bytes, BASE);
    }

    @Test
    void slotIIsAtPaBasePlus4096TimesI() {
        SlotMemory m = threeSlots();
        assertEquals(3, m.slots());
        assertEquals(BASE, m.paOfSlot(0));
        assertEquals(BASE + 2 * 4096, m.paOfSlot(2));
        assertEquals(0, m.slotOf(BASE));
        assertEquals(2, m.slotOf(BASE + 2 * 4096));
    }

    @Test
    void slotIIsTheBytesAt4096TimesI() {
        SlotMemory m = threeSlots();
        for (int i = 0; i < 3; i++) {
            assertEquals(4096, m.slot(i).byteSize());
            assertEquals(i + 1, m.slot(i).get(ValueLayout.JAVA_BYTE, 0));
            assertEquals(i + 1, m.table(m.paOfSlot(i)).get(ValueLayout.JAVA_BYTE, 0));
        }
    }

    @Test
    void aPaOutsideTheSlotsOrInsideOneIsNoSlot() {
        SlotMemory m = threeSlots();
        assertEquals(-1, m.slotOf(BASE + 3 * 4096), "one past the last slot");
        assertEquals(-1, m.slotOf(BASE - 4096), "below the base");
        assertEquals(-1, m.slotOf(BASE + 4096 + 8), "inside slot 1");
        assertNull(m.table(BASE + 3 * 4096));
        assertNull(m.table(BASE + 8));
    }

    @Test
    void theSlotsAreReadOnly() {
        SlotMemory m = threeSlots();
        assertTrue(m.bytes().isReadOnly());
        assertTrue(m.table(BASE).isReadOnly());
        assertThrows(IllegalArgumentException.class, () -> m.slot(0).set(ValueLayout.JAVA_BYTE, 0, (byte) 9));
    }

    @Test
    void partialSlotsOrAnUnalignedBaseAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SlotMemory(MemorySegment.ofArray(new byte[4097]), BASE));
        assertThrows(IllegalArgumentException.class,
                () -> new SlotMemory(MemorySegment.ofArray(new byte[4096]), BASE + 0x800));
        assertEquals(0, new SlotMemory(MemorySegment.ofArray(new byte[0]), BASE).slots());
    }
}
