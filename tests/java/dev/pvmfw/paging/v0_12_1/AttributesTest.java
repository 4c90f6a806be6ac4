package dev.pvmfw.paging.v0_12_1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.DescriptorBits;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The attribute types of 0.12.1 against the reference's observed values ({@code docs/aarch64-paging-0.12.1.md},
 * "Descriptors and attributes", "Debug formats"): every flag's bits, {@code all()}, the Debug texts, the
 * break-before-make rule of each regime, and the architecture's bits they share with {@link DescriptorBits}.
 */
class AttributesTest {

    @Test
    void allIsTheObservedValueForEachType() {
        assertEquals(0xfffc_0000_0001_0fffL, El1Attributes.all().bits());
        assertEquals(0xffdc_0000_0001_0fffL, El23Attributes.all().bits());
        assertEquals(0x07c0_0000_0000_07ffL, Stage2Attributes.all().bits());
        assertEquals(3, Constraints.all().bits());
    }

    @Test
    void el1FlagsHaveTheirBitsInDeclarationOrder() {
        List<String> names = El1Attributes.TYPE.declaredFlags().stream().map(PagingAttributes.Type.Flag::name)
                .toList();
        assertEquals(List.of("VALID", "TABLE_OR_PAGE", "ATTRIBUTE_INDEX_0", "ATTRIBUTE_INDEX_1", "ATTRIBUTE_INDEX_2",
                "ATTRIBUTE_INDEX_3", "ATTRIBUTE_INDEX_4", "ATTRIBUTE_INDEX_5", "ATTRIBUTE_INDEX_6", "ATTRIBUTE_INDEX_7",
                "OUTER_SHAREABLE", "INNER_SHAREABLE", "NS", "USER", "READ_ONLY", "ACCESSED", "NON_GLOBAL", "NT", "GP",
                "DBM", "CONTIGUOUS_OR_PROTECTED", "PXN", "UXN", "SWFLAG_0", "SWFLAG_1", "SWFLAG_2", "SWFLAG_3",
                "PXN_TABLE", "XN_TABLE", "AP_TABLE_NO_EL0", "AP_TABLE_NO_WRITE", "NS_TABLE"), names);
        for (int n = 0; n < 8; n++) {
            assertEquals((long) n << 2, El1Attributes.fromName("ATTRIBUTE_INDEX_" + n).orElseThrow().bits());
        }
        assertEquals(7L << 2, El1Attributes.ATTRIBUTE_INDEX_MASK.bits());
        assertEquals(3L << 8, El1Attributes.SHAREABILITY_MASK.bits());
        assertEquals(2L << 8, El1Attributes.OUTER_SHAREABLE.bits());
        assertEquals(1L << 16, El1Attributes.NT.bits());
        long[] singles = {El1Attributes.NS.bits(), El1Attributes.USER.bits(), El1Attributes.READ_ONLY.bits(),
            El1Attributes.ACCESSED.bits(), El1Attributes.NON_GLOBAL.bits(), El1Attributes.GP.bits(),
            El1Attributes.DBM.bits(), El1Attributes.CONTIGUOUS_OR_PROTECTED.bits(), El1Attributes.PXN.bits(),
            El1Attributes.UXN.bits(), El1Attributes.SWFLAG_0.bits(), El1Attributes.SWFLAG_3.bits(),
            El1Attributes.PXN_TABLE.bits(), El1Attributes.NS_TABLE.bits()};
        int[] bit = {5, 6, 7, 10, 11, 50, 51, 52, 53, 54, 55, 58, 59, 63};
        for (int i = 0; i < bit.length; i++) {
            assertEquals(1L << bit[i], singles[i], "bit " + bit[i]);
        }
    }

    @Test
    void el23DiffersFromEl1AtBits6And53And54() {
        assertEquals(1L << 6, El23Attributes.USER_RES1.bits());
        assertEquals(1L << 54, El23Attributes.XN.bits());
        assertTrue(El23Attributes.fromName("PXN").isEmpty());
        assertTrue(El23Attributes.fromName("UXN").isEmpty());
        assertTrue(El23Attributes.fromBits(1L << 53).isEmpty(), "bit 53 is unknown to El23Attributes");
        assertEquals(El1Attributes.all().bits() & ~(1L << 53), El23Attributes.all().bits());
    }

    @Test
    void stage2FlagsShareBitsAsDeclared() {
        assertEquals(Stage2Attributes.MEMATTR_DEVICE_nGnRE.bits(), Stage2Attributes.MEMATTR_NORMAL_INNER_NC.bits());
        assertEquals(3L << 4, Stage2Attributes.MEMATTR_NORMAL_OUTER_WB.bits());
        assertEquals(3L << 6, Stage2Attributes.S2AP_ACCESS_RW.bits());
        assertEquals(3L << 8, Stage2Attributes.SH_INNER.bits());
        assertEquals(1L << 10, Stage2Attributes.ACCESS_FLAG.bits());
        assertEquals(1L << 54, Stage2Attributes.XN.bits());
        assertEquals(0, Stage2Attributes.S2AP_ACCESS_NONE.bits());
    }

    @Test
    void theArchitectureBitsAreAtTheirPlaces() {
        assertEquals(DescriptorBits.VALID, El1Attributes.VALID.bits());
        assertEquals(DescriptorBits.TABLE_OR_PAGE, El1Attributes.TABLE_OR_PAGE.bits());
        assertEquals(DescriptorBits.ATTR_INDX_MASK, El1Attributes.ATTRIBUTE_INDEX_MASK.bits());
        assertEquals(DescriptorBits.AP1_USER, El1Attributes.USER.bits());
        assertEquals(DescriptorBits.AP2_READ_ONLY, El1Attributes.READ_ONLY.bits());
        assertEquals(DescriptorBits.SH_MASK, El1Attributes.SHAREABILITY_MASK.bits());
        assertEquals(DescriptorBits.AF, El1Attributes.ACCESSED.bits());
        assertEquals(DescriptorBits.NG, El1Attributes.NON_GLOBAL.bits());
        assertEquals(DescriptorBits.DBM, El1Attributes.DBM.bits());
        assertEquals(DescriptorBits.CONTIGUOUS, El1Attributes.CONTIGUOUS_OR_PROTECTED.bits());
        assertEquals(DescriptorBits.PXN, El1Attributes.PXN.bits());
        assertEquals(DescriptorBits.UXN, El1Attributes.UXN.bits());
        assertEquals(DescriptorBits.SOFTWARE_BIT_55, El1Attributes.SWFLAG_0.bits());
    }

    @Test
    void debugTextsAreTheObservedOnes() {
        assertEquals("El1Attributes(OUTER_SHAREABLE | INNER_SHAREABLE)", El1Attributes.fromBitsRetain(0x300).toString());
        assertEquals("El1Attributes(ATTRIBUTE_INDEX_1 | ATTRIBUTE_INDEX_2 | ATTRIBUTE_INDEX_4)",
                El1Attributes.fromBitsRetain(0x1c).toString());
        assertEquals("El1Attributes(0x100)", El1Attributes.fromBitsRetain(0x100).toString());
        assertEquals("El1Attributes(0x0)", El1Attributes.empty().toString());
        assertEquals("Stage2Attributes(VALID | MEMATTR_DEVICE_nGnRE | MEMATTR_DEVICE_nGRE | MEMATTR_NORMAL_OUTER_NC | "
                + "MEMATTR_NORMAL_OUTER_WT | S2AP_ACCESS_RO | S2AP_ACCESS_WO | SH_OUTER | SH_INNER | ACCESS_FLAG)",
                Stage2Attributes.fromBitsRetain(0x7fd).toString());
        assertEquals("El23Attributes(VALID | USER_RES1 | XN | 0x20000000000000)",
                El23Attributes.fromBitsRetain(1 | 1L << 6 | 1L << 54 | 1L << 53).toString());
        assertEquals("Constraints(NO_BLOCK_MAPPINGS | NO_CONTIGUOUS_HINT)", Constraints.all().toString());
        assertEquals("Constraints(0x0)", Constraints.empty().toString());
        assertEquals("Constraints(0x4)", Constraints.fromBitsRetain(4).toString());
        assertEquals("Constraints(NO_CONTIGUOUS_HINT | 0x8)", Constraints.fromBitsRetain(0xa).toString());
    }

    @Test
    void descriptorDebugShowsTheAddressAndFlagsOfValidEntriesOnly() {
        assertEquals("0x00000040001003 (0x0000000040001000, El1Attributes(VALID | TABLE_OR_PAGE))",
                Descriptor.debugString(El1Attributes.TYPE, 0x4000_1003L));
        assertEquals("0xc0000000000400", Descriptor.debugString(El1Attributes.TYPE, 0xc0_0000_0000_0400L));
        assertEquals("0x00000000000000", Descriptor.debugString(El1Attributes.TYPE, 0));
        assertEquals("0xffffffffffffffff (0x0000fffffffff000, El1Attributes(VALID | TABLE_OR_PAGE | ATTRIBUTE_INDEX_1 "
                + "| ATTRIBUTE_INDEX_2 | ATTRIBUTE_INDEX_4 | OUTER_SHAREABLE | INNER_SHAREABLE | NS | USER | READ_ONLY | ACCESSED | "
                + "NON_GLOBAL | GP | DBM | CONTIGUOUS_OR_PROTECTED | PXN | UXN | SWFLAG_0 | SWFLAG_1 | SWFLAG_2 | "
                + "SWFLAG_3 | PXN_TABLE | XN_TABLE | AP_TABLE_NO_EL0 | AP_TABLE_NO_WRITE | NS_TABLE | 0x3000000000000))",
                Descriptor.debugString(El1Attributes.TYPE, -1L));
        assertEquals("0x00000040000001 (0x0000000040000000, Stage2Attributes(VALID))",
                Descriptor.debugString(Stage2Attributes.TYPE, 0x4000_0001L));
    }

    @Test
    void el1BbmRule() {
        long valid = 0x4000_0f05L;
        long mayFlip = El1Attributes.CLEAR_ALLOWED;
        for (int b = 0; b < 64; b++) {
            long bit = 1L << b;
            boolean known = (El1Attributes.all().bits() & bit) != 0;
            boolean mayClear = (mayFlip & bit) != 0;
            boolean maySet = mayClear || bit == El1Attributes.NON_GLOBAL.bits();
            assertEquals(!known || maySet, El1Attributes.TYPE.isBbmSafe(0, bit), "set bit " + b);
            assertEquals(!known || mayClear, El1Attributes.TYPE.isBbmSafe(bit, 0), "clear bit " + b);
        }
        assertTrue(El1Attributes.TYPE.isBbmSafe(valid, valid | El1Attributes.READ_ONLY.bits()));
        assertFalse(El1Attributes.TYPE.isBbmSafe(valid, valid & ~El1Attributes.NON_GLOBAL.bits()));
        assertFalse(El1Attributes.TYPE.isBbmSafe(valid, valid ^ El1Attributes.ATTRIBUTE_INDEX_1.bits()));
    }

    @Test
    void el23AndStage2BbmRules() {
        assertTrue(El23Attributes.TYPE.isBbmSafe(0, El23Attributes.XN.bits()));
        assertTrue(El23Attributes.TYPE.isBbmSafe(0, 1L << 53), "bit 53 is unknown, so it does not count");
        assertFalse(El23Attributes.TYPE.isBbmSafe(El23Attributes.USER_RES1.bits(), 0));
        for (int b = 0; b < 64; b++) {
            long bit = 1L << b;
            boolean known = (Stage2Attributes.all().bits() & bit) != 0;
            boolean allowed = (Stage2Attributes.ALLOWED & bit) != 0;
            assertEquals(!known || allowed, Stage2Attributes.TYPE.isBbmSafe(0, bit), "flip bit " + b);
            assertEquals(!known || allowed, Stage2Attributes.TYPE.isBbmSafe(bit, 0), "flip bit " + b);
        }
    }

    @Test
    void ntCannotBeReadBackFromADescriptor() {
        Descriptor<El1Attributes> d = Descriptor.detached(El1Attributes.TYPE, 0);
        d.set(new dev.pvmfw.paging.PhysicalAddress(0x4000_0000L), El1Attributes.of(El1Attributes.VALID,
                El1Attributes.NT));
        assertEquals(0x4001_0001L, d.bits());
        assertEquals(0x4001_0000L, d.outputAddress().value());
        assertFalse(d.flags().contains(El1Attributes.NT));
    }
}
