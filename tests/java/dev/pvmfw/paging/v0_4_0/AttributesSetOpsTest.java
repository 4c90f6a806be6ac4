package dev.pvmfw.paging.v0_4_0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * bitflags 2.0.2's set operations on 0.4.0's {@code Attributes}: {@code difference} is {@code self & !other},
 * {@code intersection} {@code self & other}, {@code intersects} any common bit, {@code is_empty} no bit; and the
 * declaration order of the flags (aarch64-paging 0.4.0 src/paging.rs, which the Debug text follows).
 */
class AttributesSetOpsTest {
    static final Attributes VN = Attributes.VALID.union(Attributes.NORMAL);

    @Test
    void differenceClearsTheOthersBits() {
        assertEquals(Attributes.NORMAL, VN.difference(Attributes.VALID));
        assertEquals(0x304L, VN.difference(Attributes.VALID.union(Attributes.USER)).bits());
        assertEquals(VN, VN.difference(Attributes.DEVICE_NGNRE));
    }

    @Test
    void intersectionKeepsTheCommonBits() {
        assertEquals(Attributes.VALID, VN.intersection(Attributes.VALID.union(Attributes.USER)));
        assertTrue(VN.intersection(Attributes.USER).isEmpty());
    }

    @Test
    void intersectsIsAnyCommonBit() {
        assertTrue(VN.intersects(Attributes.VALID));
        assertTrue(VN.intersects(Attributes.fromBitsRetain(0x100)), "one bit of NORMAL");
        assertFalse(VN.intersects(Attributes.USER));
        assertFalse(VN.intersects(Attributes.DEVICE_NGNRE), "the zero-valued flag intersects nothing");
    }

    @Test
    void onlyTheZeroSetIsEmpty() {
        assertTrue(Attributes.DEVICE_NGNRE.isEmpty());
        assertFalse(Attributes.VALID.isEmpty());
        assertFalse(Attributes.SWFLAG_3.isEmpty());
    }

    @Test
    void equalityAndHashAreTheBits() {
        assertEquals(VN, Attributes.fromBitsRetain(0x305));
        assertEquals(VN.hashCode(), Attributes.fromBitsRetain(0x305).hashCode());
        assertNotEquals(VN, Attributes.VALID);
        assertNotEquals(VN, (Object) 0x305L);
        assertNotEquals(Attributes.VALID.hashCode(), Attributes.USER.hashCode());
    }

    @Test
    void theFlagsAreDeclaredInTheCratesOrder() {
        assertEquals(List.of("VALID", "TABLE_OR_PAGE", "DEVICE_NGNRE", "NORMAL", "USER", "READ_ONLY", "ACCESSED",
                "NON_GLOBAL", "DBM", "EXECUTE_NEVER", "SWFLAG_0", "SWFLAG_1", "SWFLAG_2", "SWFLAG_3"),
                Attributes.declaredNames());
    }
}
