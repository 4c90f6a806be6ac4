package dev.pvmfw.paging.v0_12_1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code paging::Constraints} of aarch64-paging 0.12.1 ({@code src/paging.rs}: {@code NO_BLOCK_MAPPINGS = 1 << 0},
 * {@code NO_CONTIGUOUS_HINT = 1 << 1}) with bitflags 2.11.0's {@code from_name}, {@code contains}, {@code is_empty}
 * and equality.
 */
class ConstraintsTest {

    @Test
    void fromNameFindsBothFlagsCaseSensitively() {
        assertEquals(Constraints.NO_BLOCK_MAPPINGS, Constraints.fromName("NO_BLOCK_MAPPINGS").orElseThrow());
        assertEquals(1, Constraints.fromName("NO_BLOCK_MAPPINGS").orElseThrow().bits());
        assertEquals(2, Constraints.fromName("NO_CONTIGUOUS_HINT").orElseThrow().bits());
        assertEquals(Optional.empty(), Constraints.fromName("no_block_mappings"));
        assertEquals(Optional.empty(), Constraints.fromName(""));
    }

    @Test
    void containsMeansEveryBitOfTheOther() {
        assertTrue(Constraints.all().contains(Constraints.NO_BLOCK_MAPPINGS));
        assertTrue(Constraints.NO_BLOCK_MAPPINGS.contains(Constraints.empty()));
        assertFalse(Constraints.empty().contains(Constraints.NO_BLOCK_MAPPINGS));
        assertFalse(Constraints.NO_CONTIGUOUS_HINT.contains(Constraints.all()));
    }

    @Test
    void isEmptyMeansNoBitAtAll() {
        assertTrue(Constraints.empty().isEmpty());
        assertTrue(Constraints.fromBitsRetain(0).isEmpty());
        assertFalse(Constraints.NO_BLOCK_MAPPINGS.isEmpty());
        assertFalse(Constraints.fromBitsRetain(4).isEmpty(), "an unknown bit is a bit");
    }

    @Test
    void equalConstraintsHaveTheSameBits() {
        assertEquals(Constraints.NO_BLOCK_MAPPINGS, Constraints.fromBitsRetain(1));
        assertEquals(Constraints.NO_BLOCK_MAPPINGS.hashCode(), Constraints.fromBitsRetain(1).hashCode());
        assertEquals(Constraints.all(), Constraints.NO_BLOCK_MAPPINGS.union(Constraints.NO_CONTIGUOUS_HINT));
        assertNotEquals(Constraints.NO_BLOCK_MAPPINGS, Constraints.NO_CONTIGUOUS_HINT);
        assertNotEquals(Constraints.NO_BLOCK_MAPPINGS, (Object) El1Attributes.VALID, "same bits, another type");
    }
}
