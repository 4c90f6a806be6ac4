package dev.pvmfw.hyp;

import java.util.Arrays;
import java.util.Collections;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * A set of 64-bit values without boxing (open addressing, linear probing, backward-shift deletion): the recording
 * hypervisor's guard-mapped and shared IPAs, which the fault path adds to once per fault. {@link #snapshot} gives the
 * members in unsigned ascending order, as the {@code TreeSet} it replaces did. Not thread-safe (its owner locks).
 */
final class LongSet {
    private static final int MIN_CAPACITY = 16;

    private long[] keys = new long[MIN_CAPACITY];
    private boolean[] filled = new boolean[MIN_CAPACITY];
    private int size;

    /** Adds {@code value}; true if it was not there. */
    boolean add(long value) {
        int slot = find(value);
        if (filled[slot]) {
            return false;
        }
        keys[slot] = value;
        filled[slot] = true;
        if (++size * 2 > keys.length) {
            grow();
        }
        return true;
    }

    /** Removes {@code value}; true if it was there. */
    boolean remove(long value) {
        int slot = find(value);
        if (!filled[slot]) {
            return false;
        }
        int mask = keys.length - 1;
        // Backward-shift deletion: move later members of the probe run into the hole where their home allows.
        int hole = slot;
        for (int next = (hole + 1) & mask; filled[next]; next = (next + 1) & mask) {
            int home = home(keys[next], mask);
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                keys[hole] = keys[next];
                hole = next;
            }
        }
        filled[hole] = false;
        keys[hole] = 0;
        size--;
        return true;
    }

    boolean contains(long value) {
        return filled[find(value)];
    }

    int size() {
        return size;
    }

    /** The members, unsigned ascending, as an unmodifiable {@code NavigableSet} ordered by {@link Long#compareUnsigned}. */
    NavigableSet<Long> snapshot() {
        long[] members = new long[size];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (filled[i]) {
                members[n++] = keys[i] ^ Long.MIN_VALUE; // signed order of the flipped values = unsigned order
            }
        }
        Arrays.sort(members);
        TreeSet<Long> out = new TreeSet<>(Long::compareUnsigned);
        for (long m : members) {
            out.add(m ^ Long.MIN_VALUE);
        }
        return Collections.unmodifiableNavigableSet(out);
    }

    /** The slot holding {@code value}, or the empty slot where it would go. */
    private int find(long value) {
        int mask = keys.length - 1;
        int slot = home(value, mask);
        while (filled[slot] && keys[slot] != value) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private static int home(long value, int mask) {
        long h = value * 0x9E37_79B9_7F4A_7C15L; // Fibonacci hashing: page-aligned IPAs spread over every slot
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        boolean[] oldFilled = filled;
        keys = new long[oldKeys.length * 2];
        filled = new boolean[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldFilled[i]) {
                int slot = find(oldKeys[i]);
                keys[slot] = oldKeys[i];
                filled[slot] = true;
            }
        }
    }
}
