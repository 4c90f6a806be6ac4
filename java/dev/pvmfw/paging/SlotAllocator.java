package dev.pvmfw.paging;

import java.util.Arrays;

/**
 * Bookkeeping of table slots shared by {@link TableArena} and {@link TableHeap}: lowest free slot first (the policy of
 * the crate's own {@code TargetAllocator}), and an ordered log of allocations and frees.
 *
 * <p>Log encoding: slot {@code i} allocated is {@code i}; freed is {@code ~i} (a negative number).
 */
final class SlotAllocator {
    private final int capacity;
    // A plain array: isUsed is on every table walk (twice per page mapped), allocation is not.
    private boolean[] used = new boolean[16];
    private int usedCount;
    private int[] log = new int[16];
    private int logSize;

    SlotAllocator(int capacity) {
        this.capacity = capacity;
    }

    /** The lowest free slot, now marked used, or -1 when all {@code capacity} slots are used. */
    int allocate() {
        int slot = 0;
        while (slot < used.length && used[slot]) {
            slot++;
        }
        if (slot >= capacity) {
            return -1;
        }
        if (slot == used.length) {
            used = Arrays.copyOf(used, Math.min(capacity, Math.max(16, used.length * 2)));
        }
        used[slot] = true;
        usedCount++;
        record(slot);
        return slot;
    }

    /** Marks {@code slot} free; false if it was not in use. */
    boolean free(int slot) {
        if (!isUsed(slot)) {
            return false;
        }
        used[slot] = false;
        usedCount--;
        record(~slot);
        return true;
    }

    boolean isUsed(int slot) {
        return slot >= 0 && slot < used.length && used[slot];
    }

    int usedCount() {
        return usedCount;
    }

    int[] log() {
        return Arrays.copyOf(log, logSize);
    }

    int logSize() {
        return logSize;
    }

    int[] logSince(int first) {
        return Arrays.copyOfRange(log, Math.min(first, logSize), logSize);
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
