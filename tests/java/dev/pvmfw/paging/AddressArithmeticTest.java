package dev.pvmfw.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code VirtualAddress} and {@code PhysicalAddress} arithmetic as the crate's {@code Add}/{@code Sub} impls in a debug
 * build: a wrap panics ("attempt to add with overflow"); reaching exactly the bound, or adding 0, does not.
 */
class AddressArithmeticTest {
    @Test
    void addingZeroOrUpToTheTopIsNoOverflow() {
        assertEquals(new VirtualAddress(0x1000), new VirtualAddress(0x1000).add(0));
        assertEquals(new VirtualAddress(-1L), new VirtualAddress(-2L).add(1));
        assertEquals(new PhysicalAddress(0x1000), new PhysicalAddress(0x1000).add(0));
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> new VirtualAddress(-1L).add(1));
        assertEquals("attempt to add with overflow", e.getMessage());
        assertThrows(ArithmeticException.class, () -> new PhysicalAddress(-0x1000L).add(0x1000));
    }

    @Test
    void subtractingDownToZeroIsNoOverflow() {
        assertEquals(new VirtualAddress(0), new VirtualAddress(0x1000).subtract(0x1000));
        assertEquals(0, new VirtualAddress(0x1000).minus(new VirtualAddress(0x1000)));
        assertEquals(new PhysicalAddress(0), new PhysicalAddress(0x1000).subtract(0x1000));
        assertEquals(0x1000, new PhysicalAddress(0x2000).minus(new PhysicalAddress(0x1000)));
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> new VirtualAddress(0).subtract(1));
        assertEquals("attempt to subtract with overflow", e.getMessage());
        assertThrows(ArithmeticException.class, () -> new PhysicalAddress(0x1000).minus(new PhysicalAddress(0x2000)));
    }

    @Test
    void addressesOrderUnsigned() {
        assertTrue(new VirtualAddress(1).compareTo(new VirtualAddress(-1L)) < 0);
        assertTrue(new VirtualAddress(-1L).compareTo(new VirtualAddress(1)) > 0);
        assertEquals(0, new VirtualAddress(5).compareTo(new VirtualAddress(5)));
        assertTrue(new PhysicalAddress(1).compareTo(new PhysicalAddress(-1L)) < 0);
        assertTrue(new PhysicalAddress(-1L).compareTo(new PhysicalAddress(1)) > 0);
    }

    /** The crate's {@code Debug}: {@code PhysicalAddress(0x…)} with 16 hex digits. */
    @Test
    void debugIsTheTypeNameAroundTheHex() {
        assertEquals("PhysicalAddress(0x0000000040001000)", new PhysicalAddress(0x4000_1000L).debug());
        assertEquals("VirtualAddress(0xffffffffffffffff)", new VirtualAddress(-1L).debug());
    }
}
