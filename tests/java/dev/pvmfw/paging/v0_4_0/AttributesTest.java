package dev.pvmfw.paging.v0_4_0;

import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.VirtualAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Attribute bits, the bitflags 2.0.2 {@code from_bits} rule and the Debug text, against values observed by running the
 * real 0.4.0 with bitflags 2.0.2 ({@code docs/aarch64-paging-0.4.0.md}, "bitflags 2.0.2"; the live oracle checks the
 * same texts on random descriptors).
 */
class AttributesTest {

    @Test
    void bitPositionsAreTheArmArmOnes() {
        assertEquals(0x1L, Attributes.VALID.bits());
        assertEquals(0x2L, Attributes.TABLE_OR_PAGE.bits());
        assertEquals(0x0L, Attributes.DEVICE_NGNRE.bits());
        assertEquals(0x304L, Attributes.NORMAL.bits());
        assertEquals(0x40L, Attributes.USER.bits());
        assertEquals(0x80L, Attributes.READ_ONLY.bits());
        assertEquals(0x400L, Attributes.ACCESSED.bits());
        assertEquals(0x800L, Attributes.NON_GLOBAL.bits());
        assertEquals(0x0008_0000_0000_0000L, Attributes.DBM.bits());
        assertEquals(0x0060_0000_0000_0000L, Attributes.EXECUTE_NEVER.bits());
        assertEquals(1L << 55, Attributes.SWFLAG_0.bits());
        assertEquals(1L << 58, Attributes.SWFLAG_3.bits());
        assertEquals(0x07E8_0000_0000_0FC7L, Attributes.all().bits());
    }

    @Test
    void fromBitsRejectsPartialMultiBitFlagsWithBitflags202() {
        assertEquals(Optional.empty(), Attributes.fromBits(0x405)); // bit 2 without 8|9
        assertEquals(Optional.empty(), Attributes.fromBits((1L << 53) | 1)); // bit 53 without 54
        assertEquals(Optional.empty(), Attributes.fromBits(0x301)); // bits 8|9 without 2
        assertEquals(Optional.of(Attributes.empty()), Attributes.fromBits(0));
        assertEquals(Optional.of(Attributes.of(Attributes.NORMAL, Attributes.VALID)), Attributes.fromBits(0x305));
    }

    @Test
    void fromBitsRejectsEveryUnknownBit() {
        for (int bit : new int[] {3, 4, 5, 12, 47, 48, 49, 50, 52, 59, 60, 61, 62, 63}) {
            assertFalse(Attributes.fromBits(1L << bit).isPresent(), "bit " + bit);
            assertFalse(Attributes.isValidBits(Attributes.VALID.bits() | 1L << bit), "VALID | bit " + bit);
        }
    }

    @Test
    void fromBitsTruncateKeepsOnlyCompleteFlags() {
        assertEquals(Attributes.of(Attributes.VALID, Attributes.ACCESSED), Attributes.fromBitsTruncate(0x405));
        assertEquals(Attributes.all(), Attributes.fromBitsTruncate(-1L));
    }

    @Test
    void debugPrintsZeroValuedDeviceNgnreWhileBitsRemainWithBitflags202() {
        assertEquals("Attributes(VALID | DEVICE_NGNRE | NORMAL)",
                Attributes.of(Attributes.VALID, Attributes.NORMAL).toString());
        assertEquals("Attributes(DEVICE_NGNRE | EXECUTE_NEVER | SWFLAG_0)",
                Attributes.of(Attributes.SWFLAG_0, Attributes.EXECUTE_NEVER).toString());
        assertEquals("Attributes(VALID | TABLE_OR_PAGE)",
                Attributes.of(Attributes.VALID, Attributes.TABLE_OR_PAGE).toString());
        assertEquals("Attributes(VALID | TABLE_OR_PAGE | DEVICE_NGNRE | NORMAL | ACCESSED)",
                Attributes.fromBits(0x707).orElseThrow().toString());
        assertEquals("Attributes(0x0)", Attributes.empty().toString());
    }

    /**
     * Leftover bits are appended in hex; DEVICE_NGNRE still prints because bits remain after VALID. Derived from
     * bitflags 2.0.2's {@code iter_names}; the live oracle suite checks the same strings against the crate.
     */
    @Test
    void debugAppendsBitsNoFlagNames() {
        assertEquals("Attributes(VALID | DEVICE_NGNRE | 0x8)", Attributes.debugString(0x9));
        assertEquals("Attributes(DEVICE_NGNRE | 0x4)", Attributes.debugString(0x4));
    }

    @Test
    void fromNameFindsDeclaredFlags() {
        assertEquals(Optional.of(Attributes.SWFLAG_0), Attributes.fromName("SWFLAG_0"));
        assertEquals(Optional.empty(), Attributes.fromName("PXN"));
    }

    @Test
    void deviceNgnreIsContainedEverywhere() {
        assertTrue(Attributes.empty().contains(Attributes.DEVICE_NGNRE));
        assertTrue(Attributes.NORMAL.contains(Attributes.DEVICE_NGNRE));
    }

    @Test
    void descriptorDebugMatchesTheCrate() {
        assertEquals("0xe0000009000400", Descriptor.debugString(0x00E0_0000_0900_0400L));
        assertEquals("0x00000080000707 (0x0000000080000000, Attributes(VALID | TABLE_OR_PAGE | DEVICE_NGNRE | NORMAL"
                + " | ACCESSED))", Descriptor.debugString(0x8000_0707L));
        assertEquals("0x00000040001003 (0x0000000040001000, Attributes(VALID | TABLE_OR_PAGE))",
                Descriptor.debugString(0x4000_1003L));
        // VALID but unknown flags: no suffix.
        assertEquals("0x00000000000409", Descriptor.debugString(0x409));
    }

    @Test
    void mapErrorDisplayAndDebugMatchTheCrate() {
        assertEquals("Virtual address 0x0000008000001000 out of range",
                new MapError.AddressRange(new VirtualAddress(0x80_0000_1000L)).display());
        assertEquals("Invalid virtual address 0x0000000000000000 for mapping",
                new MapError.InvalidVirtualAddress(new VirtualAddress(0)).display());
        assertEquals("End of memory region 0x0000000000002000..0x0000000000001000 is before start.",
                new MapError.RegionBackwards(MemoryRegion.of(0x2000, 1)).display());
        assertEquals("Error updating page table entry 0x00000080000707 (0x0000000080000000, Attributes(VALID"
                + " | TABLE_OR_PAGE | DEVICE_NGNRE | NORMAL | ACCESSED))",
                new MapError.PteUpdateFault(0x8000_0707L).display());
        assertEquals("AddressRange(VirtualAddress(0x0000000000001000))",
                new MapError.AddressRange(new VirtualAddress(0x1000)).toString());
        assertEquals("RegionBackwards(0x0000000000002000..0x0000000000001000)",
                new MapError.RegionBackwards(MemoryRegion.of(0x2000, 1)).toString());
    }
}
