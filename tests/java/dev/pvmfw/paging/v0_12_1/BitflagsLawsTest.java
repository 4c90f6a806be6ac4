package dev.pvmfw.paging.v0_12_1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.testing.Property;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bitflags 2.11 laws of {@code docs/aarch64-paging-0.12.1.md}, "bitflags 2.11", as seeded properties over every
 * attribute type (no jqwik: {@link Property}, whose failures print the seed and a reproduce line). Inputs are
 * {@code [a, b, c, pa]}: three flag values biased to named flags, {@code all()}, unknown bits and zero, and a PA.
 */
class BitflagsLawsTest {
    private static final int CASES = 5_000;

    static Stream<PagingAttributes.Type<?>> types() {
        return Stream.of(El1Attributes.TYPE, El23Attributes.TYPE, Stage2Attributes.TYPE);
    }

    static long flags(SplittableRandom r, PagingAttributes.Type<?> type) {
        long all = type.allBits();
        return switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1 -> r.nextLong();
            case 2 -> r.nextLong() & all;
            case 3 -> r.nextLong() & ~all;
            case 4 -> {
                long bits = 0;
                for (PagingAttributes.Type.Flag f : type.declaredFlags()) {
                    if (r.nextInt(4) == 0) {
                        bits |= f.bits();
                    }
                }
                yield bits;
            }
            default -> (r.nextLong() & all) | 1L << r.nextInt(64);
        };
    }

    static long[] input(SplittableRandom r, PagingAttributes.Type<?> type) {
        return new long[] {flags(r, type), flags(r, type), flags(r, type), r.nextLong()};
    }

    static String id(String method) {
        return BitflagsLawsTest.class.getSimpleName() + "#" + method;
    }

    @ParameterizedTest
    @MethodSource("types")
    <A extends PagingAttributes<A>> void fromBitsFailsOnlyOnUnknownBitsAndTruncateIsAndAll(
            PagingAttributes.Type<A> type) {
        Property.forAll(id("fromBits_" + type.name()), CASES, r -> input(r, type), in -> {
            long bits = in[0];
            long all = type.allBits();
            assertEquals((bits & ~all) == 0, type.fromBits(bits).isPresent());
            type.fromBits(bits).ifPresent(a -> assertEquals(bits, a.bits()));
            assertEquals(bits & all, type.fromBitsTruncate(bits).bits());
            assertTrue(type.fromBits(type.fromBitsTruncate(bits).bits()).isPresent());
            assertEquals(bits, type.fromBitsRetain(bits).bits());
        });
    }

    @ParameterizedTest
    @MethodSource("types")
    <A extends PagingAttributes<A>> void complementIsTruncatedAndTheOtherOperationsRetain(
            PagingAttributes.Type<A> type) {
        Property.forAll(id("operations_" + type.name()), CASES, r -> input(r, type), in -> {
            A a = type.fromBitsRetain(in[0]);
            A b = type.fromBitsRetain(in[1]);
            long all = type.allBits();
            assertEquals(~in[0] & all, a.complement().bits());
            assertEquals(in[0] & all, a.complement().complement().bits());
            assertEquals(in[0] | in[1], a.union(b).bits());
            assertEquals(in[0] & in[1], a.intersection(b).bits());
            assertEquals(in[0] & ~in[1], a.difference(b).bits());
            assertEquals(in[0] ^ in[1], a.symmetricDifference(b).bits());
            assertEquals((in[0] & in[1]) == in[1], a.contains(b));
            assertEquals((in[0] & in[1]) != 0, a.intersects(b));
            assertEquals((in[0] & all) == all, a.isAll());
            // (a | b) & !c: every unknown bit is gone.
            assertEquals(0, a.union(b).intersection(type.fromBitsRetain(in[2]).complement()).bits() & ~all);
        });
    }

    /** The Debug text parsed back: its names in declaration order, each contained and adding a bit, then the rest. */
    @ParameterizedTest
    @MethodSource("types")
    <A extends PagingAttributes<A>> void debugNamesAndRemainderAddUpToTheValue(PagingAttributes.Type<A> type) {
        List<String> declared = type.declaredFlags().stream().map(PagingAttributes.Type.Flag::name).toList();
        Property.forAll(id("debug_" + type.name()), CASES, r -> input(r, type), in -> {
            long bits = in[0];
            String text = type.fromBitsRetain(bits).toString();
            String prefix = type.name() + "(";
            assertTrue(text.startsWith(prefix) && text.endsWith(")"), text);
            String body = text.substring(prefix.length(), text.length() - 1);
            if (bits == 0) {
                assertEquals("0x0", body);
                return;
            }
            long covered = 0;
            long rest = 0;
            int lastIndex = -1;
            List<String> parts = List.of(body.split(" \\| "));
            for (int i = 0; i < parts.size(); i++) {
                String part = parts.get(i);
                if (part.startsWith("0x")) {
                    assertEquals(parts.size() - 1, i, "the hex remainder comes last: " + text);
                    rest = Long.parseUnsignedLong(part.substring(2), 16);
                    continue;
                }
                int index = declared.indexOf(part);
                assertTrue(index > lastIndex, "declaration order: " + text);
                lastIndex = index;
                long flag = type.declaredFlags().get(index).bits();
                assertTrue(flag != 0 && (bits & flag) == flag, part + " is contained in " + text);
                assertTrue((flag & ~covered) != 0, part + " adds a bit in " + text);
                covered |= flag;
            }
            assertEquals(0, covered & rest);
            assertEquals(bits, covered | rest, text);
        });
    }

    /**
     * modify_flags: (old | set) & !clear with the truncating !, refused exactly when TABLE_OR_PAGE would flip, and
     * written with the old output address.
     */
    @ParameterizedTest
    @MethodSource("types")
    <A extends PagingAttributes<A>> void modifyFlagsLaw(PagingAttributes.Type<A> type) {
        Property.forAll(id("modifyFlags_" + type.name()), CASES, r -> input(r, type), in -> {
            long old = in[0];
            Descriptor<A> cell = Descriptor.detached(type, old);
            UpdatableDescriptor<A> d = UpdatableDescriptor.of(cell, 3, false);
            boolean ok = d.modifyFlags(type.fromBitsRetain(in[1]), type.fromBitsRetain(in[2]));
            long oldFlags = Descriptor.flagBitsOf(old);
            long expected = (oldFlags | in[1]) & ~in[2] & type.allBits();
            boolean flips = ((oldFlags ^ expected) & PagingAttributes.Type.TABLE_OR_PAGE) != 0;
            assertEquals(!flips, ok);
            long now = cell.bits();
            if (ok) {
                // set() ORs the flags in unmasked: El1Attributes' and El23Attributes' NT lands in the address.
                assertEquals(Descriptor.outputAddressOf(old) | expected, now);
                assertEquals(now != old, d.updated());
                // Applying it again changes nothing more.
                UpdatableDescriptor<A> again = UpdatableDescriptor.of(cell, 3, false);
                assertTrue(again.modifyFlags(type.fromBitsRetain(in[1]), type.fromBitsRetain(in[2])));
                assertEquals(now, cell.bits());
                assertFalse(again.updated());
            } else {
                assertEquals(old, now);
                assertFalse(d.updated());
            }
        });
    }

    /** A live descriptor refuses {@code set} exactly when it is VALID, the new flags are, and the PA or flags differ unsafely. */
    @ParameterizedTest
    @MethodSource("types")
    <A extends PagingAttributes<A>> void liveSetLaw(PagingAttributes.Type<A> type) {
        Property.forAll(id("liveSet_" + type.name()), CASES, r -> {
            long[] in = input(r, type);
            if (r.nextBoolean()) {
                in[3] = Descriptor.outputAddressOf(in[0]); // the same PA, often
            }
            return in;
        }, in -> {
            UpdatableDescriptor<A> clone = UpdatableDescriptor.cloneFrom(type, in[0], 2);
            boolean ok = clone.set(new PhysicalAddress(in[3]), type.fromBitsRetain(in[1]));
            boolean refused = Descriptor.isValid(in[0]) && (in[1] & 1) != 0
                    && (in[3] != Descriptor.outputAddressOf(in[0])
                            || !type.isBbmSafe(Descriptor.flagBitsOf(in[0]), in[1]));
            assertEquals(!refused, ok);
            assertEquals(ok ? (in[3] & Descriptor.PHYSICAL_ADDRESS_BITMASK) | in[1] : in[0], clone.bits());
            // The same write on an inactive descriptor is never refused.
            UpdatableDescriptor<A> inactive = UpdatableDescriptor.of(Descriptor.detached(type, in[0]), 2, false);
            assertTrue(inactive.set(new PhysicalAddress(in[3]), type.fromBitsRetain(in[1])));
        });
    }

    /** is_bbm_safe: reflexive, blind to unknown bits; stage 2 symmetric; stage 1 symmetric but for setting nG. */
    @ParameterizedTest
    @MethodSource("types")
    <A extends PagingAttributes<A>> void bbmSafetyLaws(PagingAttributes.Type<A> type) {
        Property.forAll(id("bbm_" + type.name()), CASES, r -> input(r, type), in -> {
            long all = type.allBits();
            assertTrue(type.isBbmSafe(in[0], in[0]));
            assertEquals(type.isBbmSafe(in[0] & all, in[1] & all), type.isBbmSafe(in[0], in[1]));
            boolean forth = type.isBbmSafe(in[0], in[1]);
            boolean back = type.isBbmSafe(in[1], in[0]);
            if (type == Stage2Attributes.TYPE) {
                assertEquals(forth, back);
            } else {
                long ng = El1Attributes.NON_GLOBAL.bits();
                boolean setsNg = (in[1] & ~in[0] & ng) != 0;
                if (forth && !setsNg) {
                    assertTrue(back);
                }
            }
        });
    }

    @org.junit.jupiter.api.Test
    void constraintsFollowTheSameRules() {
        Property.forAll(id("constraints"), CASES, r -> new long[] {r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(8)},
                in -> {
                    assertEquals((in[0] & ~3L) == 0, Constraints.fromBits(in[0]).isPresent());
                    assertEquals(in[0] & 3, Constraints.fromBitsTruncate(in[0]).bits());
                    String text = Constraints.fromBitsRetain(in[0]).toString();
                    List<String> expected = new ArrayList<>();
                    if ((in[0] & 1) != 0) {
                        expected.add("NO_BLOCK_MAPPINGS");
                    }
                    if ((in[0] & 2) != 0) {
                        expected.add("NO_CONTIGUOUS_HINT");
                    }
                    if ((in[0] & ~3L) != 0 || in[0] == 0) {
                        expected.add("0x" + Long.toHexString(in[0] & ~3L));
                    }
                    assertEquals("Constraints(" + String.join(" | ", expected) + ")", text);
                });
    }
}
