package dev.pvmfw.paging.v0_4_0;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvmfw.paging.DescriptorBits;
import org.junit.jupiter.api.Test;

/**
 * 0.4.0's {@code Attributes}, declared in the crate's words ({@code src/paging.rs} at tag 0.4.0), sit on the
 * architecture's bits as {@link DescriptorBits} defines them for every other reader.
 */
class AttributesBitsTest {
    @Test
    void eachFlagIsTheArchitecturesBit() {
        assertEquals(DescriptorBits.VALID, Attributes.VALID.bits());
        assertEquals(DescriptorBits.TABLE_OR_PAGE, Attributes.TABLE_OR_PAGE.bits());
        assertEquals(1L << DescriptorBits.ATTR_INDX_SHIFT, Attributes.NORMAL.bits() & DescriptorBits.ATTR_INDX_MASK,
                "NORMAL is AttrIndx 1");
        assertEquals(DescriptorBits.AP1_USER, Attributes.USER.bits());
        assertEquals(DescriptorBits.AP2_READ_ONLY, Attributes.READ_ONLY.bits());
        assertEquals(DescriptorBits.AF, Attributes.ACCESSED.bits());
        assertEquals(DescriptorBits.NG, Attributes.NON_GLOBAL.bits());
        assertEquals(DescriptorBits.DBM, Attributes.DBM.bits());
        assertEquals(DescriptorBits.PXN | DescriptorBits.UXN, Attributes.EXECUTE_NEVER.bits());
        assertEquals(DescriptorBits.SOFTWARE_BIT_55, Attributes.SWFLAG_0.bits());
    }

    @Test
    void theAddressFieldIsTheArchitecturesOutputAddress() {
        assertEquals(dev.pvmfw.paging.Geometry.OUTPUT_ADDRESS_MASK, Descriptor.PHYSICAL_ADDRESS_BITMASK);
    }

    @Test
    void refusalsExplainEveryNoneOfFromBits() {
        assertEquals(java.util.List.of(), Attributes.refusals(Attributes.NORMAL.bits() | 1));
        assertEquals(java.util.List.of("unknown bits 59, 60", "part of NORMAL (bits 2, 8, 9): 0x4",
                "part of EXECUTE_NEVER (bits 53, 54): 0x20000000000000"),
                Attributes.refusals(3L << 59 | 1L << 2 | 1L << 53));
        for (long bits : new long[] {0, 1L << 2, 3L << 8, 1L << 59, 1L << 53 | 1L << 54, 1L << 12 | 1}) {
            assertEquals(Attributes.isValidBits(bits), Attributes.refusals(bits).isEmpty(), Long.toHexString(bits));
        }
    }
}
