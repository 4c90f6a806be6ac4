package dev.pvmfw.hyp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.NavigableSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The recording hypervisor's unboxed IPA set against the {@code TreeSet<Long>} (unsigned order) it replaced: the same
 * answers to add, remove and contains, and the same members in the same order, over random operations that force
 * growth, long probe runs and backward-shift deletions.
 */
class LongSetTest {
    @Test
    void agreesWithAnUnsignedTreeSetOnRandomOperations() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 20; round++) {
            LongSet set = new LongSet();
            TreeSet<Long> model = new TreeSet<>(Long::compareUnsigned);
            // Few distinct values (many collisions of add/remove on members), page-aligned like IPAs, some negative.
            int range = 1 << (4 + round % 10);
            for (int op = 0; op < 5_000; op++) {
                long value = (random.nextLong(range) << 12) ^ (random.nextBoolean() ? Long.MIN_VALUE : 0);
                switch (random.nextInt(3)) {
                    case 0 -> assertEquals(model.add(value), set.add(value), "add " + value);
                    case 1 -> assertEquals(model.remove(value), set.remove(value), "remove " + value);
                    default -> assertEquals(model.contains(value), set.contains(value), "contains " + value);
                }
                assertEquals(model.size(), set.size());
            }
            assertEquals(List.copyOf(model), List.copyOf(set.snapshot()), "members in unsigned order");
        }
    }

    @Test
    void snapshotIsUnsignedAscendingUnmodifiableAndDetached() {
        LongSet set = new LongSet();
        for (long v : new long[] {-4096, 0, 0x9000, Long.MIN_VALUE, 0x1000}) {
            assertTrue(set.add(v));
        }
        assertFalse(set.add(0));
        NavigableSet<Long> snapshot = set.snapshot();
        assertEquals(List.of(0L, 0x1000L, 0x9000L, Long.MIN_VALUE, -4096L), List.copyOf(snapshot));
        assertEquals(0x1000L, snapshot.higher(0L), "ordered by Long.compareUnsigned");
        assertThrows(UnsupportedOperationException.class, () -> snapshot.add(5L));
        set.remove(0x9000);
        assertTrue(snapshot.contains(0x9000L), "a snapshot does not follow later changes");
    }

    @Test
    void zeroIsAnOrdinaryMember() {
        LongSet set = new LongSet();
        assertFalse(set.contains(0));
        assertTrue(set.add(0));
        assertTrue(set.contains(0));
        assertTrue(set.remove(0));
        assertFalse(set.remove(0));
        assertEquals(0, set.size());
    }
}
