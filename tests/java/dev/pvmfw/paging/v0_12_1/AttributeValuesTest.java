package dev.pvmfw.paging.v0_12_1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The value operations of the 0.12.1 attribute types, as bitflags 2.11.0 defines them ({@code src/public.rs}:
 * {@code is_empty}, {@code is_all}, {@code from_bits}, {@code from_bits_truncate}, {@code from_name}; {@code
 * src/iter.rs}: {@code iter_names}) over the flags of aarch64-paging 0.12.1 {@code src/descriptor.rs}, and
 * {@code PagingAttributes::is_bbm_safe} of each type called through its static and {@code Type} entries.
 */
class AttributeValuesTest {

    @Test
    void isEmptyMeansNoBitAtAllNamedOrNot() {
        assertTrue(El1Attributes.empty().isEmpty());
        assertTrue(El1Attributes.ATTRIBUTE_INDEX_0.isEmpty(), "ATTRIBUTE_INDEX_0 = 0 << 2");
        assertFalse(El1Attributes.VALID.isEmpty());
        assertFalse(El1Attributes.fromBitsRetain(1L << 12).isEmpty(), "bit 12 is unknown but set");
    }

    @Test
    void isAllIgnoresUnknownBitsButNeedsEveryDeclaredOne() {
        assertTrue(El1Attributes.all().isAll());
        assertTrue(El1Attributes.fromBitsRetain(-1L).isAll());
        assertFalse(El1Attributes.all().difference(El1Attributes.VALID).isAll());
        assertFalse(El1Attributes.empty().isAll());
        assertTrue(Stage2Attributes.all().isAll());
    }

    @Test
    void namesAreWhatIterNamesYields() {
        assertEquals(List.of("OUTER_SHAREABLE", "INNER_SHAREABLE"), El1Attributes.fromBitsRetain(0x300).names());
        assertEquals(List.of("ATTRIBUTE_INDEX_1", "ATTRIBUTE_INDEX_2", "ATTRIBUTE_INDEX_4"),
                El1Attributes.fromBitsRetain(0x1c | 1L << 12).names(), "bit 12 has no name");
        assertEquals(List.of(), El1Attributes.empty().names());
        assertEquals(List.of("VALID", "USER_RES1", "XN"),
                El23Attributes.fromBitsRetain(1 | 1L << 6 | 1L << 54).names());
    }

    @Test
    void equalValuesAreTheSameTypeAndBits() {
        El1Attributes a = El1Attributes.fromBitsRetain(0x403);
        El1Attributes b = El1Attributes.of(El1Attributes.VALID, El1Attributes.TABLE_OR_PAGE, El1Attributes.ACCESSED);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(El1Attributes.VALID, El1Attributes.USER);
        assertNotEquals(El1Attributes.VALID, (Object) El23Attributes.VALID, "same bits, another type");
        assertNotEquals(El1Attributes.VALID, (Object) Constraints.NO_BLOCK_MAPPINGS);
    }

    @Test
    void fromNameFindsEveryDeclaredFlagIncludingTheFirst() {
        assertEquals(El1Attributes.VALID, El1Attributes.fromName("VALID").orElseThrow());
        assertEquals(El1Attributes.NS_TABLE, El1Attributes.fromName("NS_TABLE").orElseThrow());
        assertEquals(Optional.empty(), El1Attributes.fromName("valid"), "from_name is case-sensitive");
        assertEquals(El23Attributes.XN, El23Attributes.fromName("XN").orElseThrow());
        assertEquals(El23Attributes.VALID, El23Attributes.fromName("VALID").orElseThrow());
        assertEquals(Stage2Attributes.ACCESS_FLAG, Stage2Attributes.fromName("ACCESS_FLAG").orElseThrow());
        assertEquals(Optional.empty(), Stage2Attributes.fromName("USER"));
    }

    @Test
    void fromBitsAndTruncateOfEachType() {
        assertEquals(El23Attributes.XN, El23Attributes.fromBits(1L << 54).orElseThrow());
        assertEquals(Optional.empty(), El23Attributes.fromBits(1L << 53));
        assertEquals(El23Attributes.all(), El23Attributes.fromBitsTruncate(-1L));
        assertEquals(0xffdc_0000_0001_0fffL, El23Attributes.fromBitsTruncate(-1L).bits());
        assertEquals(0xfffc_0000_0001_0fffL, El1Attributes.fromBitsTruncate(-1L).bits());
        assertEquals(Stage2Attributes.fromBitsRetain(0x7fd), Stage2Attributes.fromBits(0x7fd).orElseThrow());
        assertEquals(Optional.empty(), Stage2Attributes.fromBits(1L << 53));
        assertEquals(0x07c0_0000_0000_07ffL, Stage2Attributes.fromBitsTruncate(-1L).bits());
    }

    @Test
    void ofIsTheUnion() {
        assertEquals(1 | 1L << 54, El23Attributes.of(El23Attributes.VALID, El23Attributes.XN).bits());
        assertEquals(1 | 1L << 10, Stage2Attributes.of(Stage2Attributes.VALID, Stage2Attributes.ACCESS_FLAG).bits());
        assertEquals(0, El23Attributes.of().bits());
    }

    @Test
    void bbmSafetyThroughEveryEntry() {
        El1Attributes valid = El1Attributes.VALID;
        El1Attributes validNg = El1Attributes.of(El1Attributes.VALID, El1Attributes.NON_GLOBAL);
        // NON_GLOBAL may be set without break-before-make, not cleared.
        assertTrue(El1Attributes.isBbmSafe(valid, validNg));
        assertFalse(El1Attributes.isBbmSafe(validNg, valid));
        assertTrue(El1Attributes.TYPE.isBbmSafe(valid, validNg));
        assertFalse(El1Attributes.TYPE.isBbmSafe(validNg, valid));

        El23Attributes v23 = El23Attributes.VALID;
        assertTrue(El23Attributes.isBbmSafe(v23, El23Attributes.of(v23, El23Attributes.XN)));
        assertFalse(El23Attributes.isBbmSafe(v23, El23Attributes.of(v23, El23Attributes.ATTRIBUTE_INDEX_1)));

        Stage2Attributes s2 = Stage2Attributes.VALID;
        assertTrue(Stage2Attributes.isBbmSafe(s2, Stage2Attributes.of(s2, Stage2Attributes.S2AP_ACCESS_RW)));
        assertFalse(Stage2Attributes.isBbmSafe(s2, Stage2Attributes.of(s2, Stage2Attributes.SH_INNER)));
    }

    @Test
    void typeToStringIsTheRustTypeName() {
        assertEquals("El1Attributes", El1Attributes.TYPE.toString());
        assertEquals("El23Attributes", El23Attributes.TYPE.toString());
        assertEquals("Stage2Attributes", Stage2Attributes.TYPE.toString());
    }

    @Test
    void bitsOfListsTheFlagsBitsInOrder() {
        assertArrayEquals(new long[] {1L << 6, 1L << 54, 0},
                PagingAttributes.bitsOf(new PagingAttributes<?>[] {El1Attributes.USER, El23Attributes.XN,
                    Stage2Attributes.S2AP_ACCESS_NONE}));
    }

    @Test
    void aTypeIsBuiltFromItsDeclaredFlags() {
        PagingAttributes.Type<El1Attributes> type = new PagingAttributes.Type<>("T", new String[] {"A", "B", "C"},
                new long[] {1, 0, 0b110}, El1Attributes::fromBitsRetain, (o, n) -> true);
        assertEquals(0b111, type.allBits(), "all() is the union of the declared flags");
        assertEquals(List.of(new PagingAttributes.Type.Flag("A", 1), new PagingAttributes.Type.Flag("B", 0),
                new PagingAttributes.Type.Flag("C", 0b110)), type.declaredFlags());
        assertEquals(0b111, Bitflags.all(new long[] {1, 0b10, 0b110}));
        assertEquals(0, Bitflags.all(new long[0]));
        AssertionError mismatch = assertThrows(AssertionError.class, () -> new PagingAttributes.Type<>("T",
                new String[] {"A", "B"}, new long[] {1}, El1Attributes::fromBitsRetain, (o, n) -> true));
        assertEquals("T: names and bits differ in length", mismatch.getMessage());
    }
}
