package dev.pvmfw.paging;

import dev.pvmfw.paging.internal.TableLayout;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Tables laid out in slot order, as the arena and its saved images are: slot {@code i} is the 4096 bytes at
 * {@code 4096·i} of {@code bytes}, at PA {@code paBase + 4096·i}. Read-only.
 *
 * @param bytes whole slots (read-only view taken)
 * @param paBase PA of slot 0, page-aligned
 */
public record SlotMemory(MemorySegment bytes, long paBase) implements PhysicalMemory {
    /**
     * Slot memory over a read-only view of {@code bytes}.
     *
     * @throws IllegalArgumentException if {@code bytes} is not whole 4096-byte slots or {@code paBase} is not
     *     page-aligned
     */
    public SlotMemory {
        Objects.requireNonNull(bytes);
        bytes = bytes.asReadOnly();
        if (bytes.byteSize() % TableLayout.TABLE_SIZE != 0 || !Geometry.isAligned(paBase, Geometry.PAGE_SIZE)) {
            throw new IllegalArgumentException("slot memory is whole 4096-byte tables at a page-aligned PA base");
        }
    }

    /** How many slots. */
    public int slots() {
        return (int) (bytes.byteSize() / TableLayout.TABLE_SIZE);
    }

    /** The PA of {@code slot}. */
    public long paOfSlot(int slot) {
        return paBase + (long) slot * Geometry.PAGE_SIZE;
    }

    /** The slot at {@code pa}, or -1 if pa is not the start of a slot. */
    public int slotOf(long pa) {
        long offset = pa - paBase;
        if (Long.compareUnsigned(offset, bytes.byteSize()) >= 0 || !Geometry.isAligned(offset, Geometry.PAGE_SIZE)) {
            return -1;
        }
        return (int) (offset / Geometry.PAGE_SIZE);
    }

    /** Slot {@code slot}'s 4096 bytes. */
    public MemorySegment slot(int slot) {
        return bytes.asSlice((long) slot * TableLayout.TABLE_SIZE, TableLayout.TABLE_SIZE);
    }

    /** The slot at {@code pa}, or null: every slot exists, used or free (an image does not know which). */
    @Override
    public MemorySegment table(long pa) {
        int slot = slotOf(pa);
        return slot < 0 ? null : slot(slot);
    }
}
