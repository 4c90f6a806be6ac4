package dev.pvmfw.paging.v0_4_0;

import dev.pvmfw.paging.PhysicalAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.testing.Property;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Descriptor laws in the style of Linux {@code debug_vm_pgtable}, as seeded randomized properties over descriptors and
 * flag sets (laws in the style of Linux's {@code mm/debug_vm_pgtable.c}). Inputs are {@code [descriptor, set, clear, pa]}; set and clear are valid
 * {@link Attributes} unions.
 */
class DescriptorLawsTest {
    private static final int CASES = 20_000;
    private static final List<Attributes> FLAGS = List.of(Attributes.VALID, Attributes.TABLE_OR_PAGE,
            Attributes.NORMAL, Attributes.USER, Attributes.READ_ONLY, Attributes.ACCESSED, Attributes.NON_GLOBAL,
            Attributes.DBM, Attributes.EXECUTE_NEVER, Attributes.SWFLAG_0, Attributes.SWFLAG_1, Attributes.SWFLAG_2,
            Attributes.SWFLAG_3);

    /** Descriptors biased to what tables hold: leaves, tables, zero, garbage, partial multi-bit flags. */
    static long descriptor(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1 -> r.nextLong();
            case 2 -> (r.nextLong() & Descriptor.PHYSICAL_ADDRESS_BITMASK) | flags(r);
            case 3 -> (r.nextLong() & Descriptor.PHYSICAL_ADDRESS_BITMASK) | 0b11;
            case 4 -> (r.nextLong() & Descriptor.PHYSICAL_ADDRESS_BITMASK) | flags(r) | (1L << r.nextInt(64));
            default -> (r.nextLong() & Descriptor.PHYSICAL_ADDRESS_BITMASK) | (r.nextBoolean() ? 1L << 2 : 1L << 53);
        };
    }

    static long flags(SplittableRandom r) {
        long bits = 0;
        for (Attributes f : FLAGS) {
            if (r.nextInt(3) == 0) {
                bits |= f.bits();
            }
        }
        return bits;
    }

    static long[] input(SplittableRandom r) {
        return new long[] {descriptor(r), flags(r), flags(r), r.nextLong()};
    }

    /** An input's set/clear as attributes; the shrinker may produce partial unions, so truncate. */
    static Attributes attrs(long bits) {
        return Attributes.fromBitsTruncate(bits);
    }

    static long modify(long d, Attributes set, Attributes clear) {
        Descriptor desc = Descriptor.detached(d);
        desc.modifyFlags(set, clear);
        return desc.bits();
    }

    @Test
    void modifyFlagsIsIdempotent() {
        Property.forAll("DescriptorLawsTest#modifyFlagsIsIdempotent", CASES, DescriptorLawsTest::input, in -> {
            long once = modify(in[0], attrs(in[1]), attrs(in[2]));
            assertEquals(once, modify(once, attrs(in[1]), attrs(in[2])));
        });
    }

    @Test
    void setThenClearRestoresBitsThatWereClear() {
        Property.forAll("DescriptorLawsTest#setThenClearRestoresBitsThatWereClear", CASES, DescriptorLawsTest::input,
                in -> {
                    Attributes set = attrs(in[1] & ~in[0]);
                    long back = modify(modify(in[0], set, Attributes.empty()), Attributes.empty(), set);
                    assertEquals(in[0], back);
                });
    }

    @Test
    void clearThenSetRestoresBitsThatWereSet() {
        Property.forAll("DescriptorLawsTest#clearThenSetRestoresBitsThatWereSet", CASES, DescriptorLawsTest::input,
                in -> {
                    Attributes clear = attrs(in[2] & in[0]);
                    long back = modify(modify(in[0], Attributes.empty(), clear), clear, Attributes.empty());
                    assertEquals(in[0], back);
                });
    }

    @Test
    void modifyFlagsTouchesOnlySetAndClearBits() {
        Property.forAll("DescriptorLawsTest#modifyFlagsTouchesOnlySetAndClearBits", CASES, DescriptorLawsTest::input,
                in -> {
                    Attributes set = attrs(in[1]);
                    Attributes clear = attrs(in[2]);
                    long out = modify(in[0], set, clear);
                    long untouched = ~(set.bits() | clear.bits());
                    assertEquals(in[0] & untouched, out & untouched);
                    assertEquals(Descriptor.outputAddressOf(in[0]), Descriptor.outputAddressOf(out));
                    // clear wins over set, as (d | set) & !clear
                    assertEquals(0, out & clear.bits());
                    assertEquals(set.bits() & ~clear.bits(), out & set.bits() & ~clear.bits());
                });
    }

    @Test
    void setStoresMaskedAddressAndExactFlags() {
        Property.forAll("DescriptorLawsTest#setStoresMaskedAddressAndExactFlags", CASES, DescriptorLawsTest::input,
                in -> {
                    Attributes flags = attrs(in[1]);
                    Descriptor d = Descriptor.detached(in[0]);
                    d.set(new PhysicalAddress(in[3]), flags);
                    assertEquals(in[3] & Descriptor.PHYSICAL_ADDRESS_BITMASK, d.outputAddress().value());
                    assertEquals(flags, d.flags().orElseThrow());
                    assertEquals((in[3] & Descriptor.PHYSICAL_ADDRESS_BITMASK) | flags.bits(), d.bits());
                });
    }

    @Test
    void addressAndFlagBitsPartitionTheDescriptor() {
        Property.forAll("DescriptorLawsTest#addressAndFlagBitsPartitionTheDescriptor", CASES,
                DescriptorLawsTest::input, in -> {
                    long d = in[0];
                    long flagBits = d & ~Descriptor.PHYSICAL_ADDRESS_BITMASK;
                    assertEquals(d, Descriptor.outputAddressOf(d) | flagBits);
                    assertEquals(0, Descriptor.outputAddressOf(d) & flagBits);
                    Descriptor.flagsOf(d).ifPresent(f -> assertEquals(flagBits, f.bits()));
                });
    }

    /**
     * The bitflags 2.0.2 rule, restated independently of {@link Descriptor#hasKnownFlags}: no bit outside {@code all()}, and NORMAL
     * (2|8|9) and EXECUTE_NEVER (53|54) each wholly present or wholly absent.
     */
    static boolean validFlagsSecondOpinion(long flagBits) {
        long normal = 0x304L;
        long xn = 3L << 53;
        return (flagBits & ~0x07E8_0000_0000_0FC7L) == 0
                && ((flagBits & normal) == 0 || (flagBits & normal) == normal)
                && ((flagBits & xn) == 0 || (flagBits & xn) == xn);
    }

    @Test
    void flagsAreKnownExactlyWhenCompleteFlagsCoverThem() {
        Property.forAll("DescriptorLawsTest#flagsAreKnownExactlyWhenCompleteFlagsCoverThem", CASES,
                DescriptorLawsTest::input, in -> {
                    long flagBits = in[0] & ~Descriptor.PHYSICAL_ADDRESS_BITMASK;
                    assertEquals(validFlagsSecondOpinion(flagBits), Descriptor.flagsOf(in[0]).isPresent());
                });
    }

    @Test
    void fastFlagTestAgreesWithTheBitflagsDefinition() {
        Property.forAll("DescriptorLawsTest#fastFlagTestAgreesWithTheBitflagsDefinition", CASES,
                DescriptorLawsTest::input, in -> {
                    long flagBits = in[0] & ~Descriptor.PHYSICAL_ADDRESS_BITMASK;
                    assertEquals(Attributes.isValidBitsByDefinition(flagBits), Attributes.isValidBits(flagBits));
                });
    }

    @Test
    void tableOrPageNeedsValidTableBitAndKnownFlags() {
        Property.forAll("DescriptorLawsTest#tableOrPageNeedsValidTableBitAndKnownFlags", CASES,
                DescriptorLawsTest::input, in -> {
                    long d = in[0];
                    boolean expected = (d & 0b11) == 0b11 && validFlagsSecondOpinion(d & ~Descriptor.PHYSICAL_ADDRESS_BITMASK);
                    assertEquals(expected, Descriptor.isTableOrPage(d));
                    assertEquals(expected, Descriptor.detached(d).isTableOrPage());
                });
    }

    /** 0.4.0's modify_flags has no checks: TABLE_OR_PAGE flips both ways (0.5 panics, 0.11+ refuses). */
    @Test
    void modifyFlagsTogglesTableOrPageQuirk() {
        Descriptor block = Descriptor.detached(0x4020_0000L | 0x705); // a valid 2 MiB block, NORMAL | AF | VALID
        block.modifyFlags(Attributes.TABLE_OR_PAGE, Attributes.empty());
        assertTrue(block.isTableOrPage()); // a block is now a "table" pointing at 0x4020_0000
        block.modifyFlags(Attributes.empty(), Attributes.TABLE_OR_PAGE);
        assertFalse(block.isTableOrPage());
        assertEquals(0x4020_0705L, block.bits());
    }
}
