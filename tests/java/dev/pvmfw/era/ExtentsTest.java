package dev.pvmfw.era;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Free extents as documented: coalesced, lowest aligned fit first, a zero-byte take at the lowest aligned address. */
class ExtentsTest {

    @Test
    void aZeroByteTakeIsTheLowestAlignedAddressAndTakesNothing() {
        Extents e = new Extents();
        e.add(0x1000, 0x3000);
        assertEquals(OptionalLong.of(0x1000), e.take(0, 1));
        assertEquals(OptionalLong.of(0x2000), e.take(0, 0x2000));
        assertEquals(0x2000, e.freeBytes());
        assertEquals(OptionalLong.of(0x1000), e.take(0x2000, 1));
    }
}
