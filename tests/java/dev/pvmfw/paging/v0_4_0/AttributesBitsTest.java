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
}
