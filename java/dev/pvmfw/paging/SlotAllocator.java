package dev.pvmfw.paging;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Bookkeeping of table slots shared by {@link TableArena} and {@link TableHeap}: lowest free slot first (the policy of
 * the crate's own {@code TargetAllocator}), and an ordered log of allocations and frees.
 *
 * <p>Log encoding: slot {@code i} allocated is {@code i}; freed is {@code ~i} (a negative number).
 */
final class SlotAllocator {
    private final int capacity;
    private final BitSet used = new BitSet();
    private int[] log = new int[16];
    private int logSize;

    SlotAllocator(int capacity) {
        this.capacity = capacity;
    }

    /** The lowest free slot, now marked used, or -1 when all {@code capacity} slots are used. */
    int allocate() {
        int slot = used.nextClearBit(0);
        if (slot >= capacity) {
            return -1;
        }
        used.set(slot);
        record(slot);
        return slot;
    }

    /** Marks {@code slot} free; false if it was not in use. */
    boolean free(int slot) {
        if (slot < 0 || slot >= capacity || !used.get(slot)) {
            return false;
        }
        used.clear(slot);
        record(~slot);
        return true;
    }

    boolean isUsed(int slot) {
        return slot >= 0 && slot < capacity && used.get(slot);
    }

    int usedCount() {
        return used.cardinality();
    }

    int capacity() {
        return capacity;
    }

    /** The highest used slot + 1. */
    int highWater() {
        return used.length();
    }

    int[] log() {
        return Arrays.copyOf(log, logSize);
    }

    void clearLog() {
        logSize = 0;
    }

    private void record(int event) {
        if (logSize == log.length) {
            log = Arrays.copyOf(log, log.length * 2);
        }
        log[logSize++] = event;
    }
}
