package dev.pvmfw.paging.v0_12_1;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The attribute bits of one kind of descriptor ({@code descriptor::PagingAttributes}, a trait over bitflags 2.11
 * types): {@link El1Attributes} (EL1&amp;0 and EL2&amp;0), {@link El23Attributes} (EL2 and EL3) and
 * {@link Stage2Attributes}. A value is immutable and may hold any bits, named or not ({@code from_bits_retain}); its
 * operations follow bitflags 2.11 ({@code Bitflags}): union, intersection, difference and symmetric difference keep
 * unknown bits, {@link #complement()} drops them.
 *
 * <p>Only this package's three classes extend it (the constructor is package-private).
 *
 * @param <A> the concrete attribute type
 */
public abstract class PagingAttributes<A extends PagingAttributes<A>> {
    private final long bits;

    PagingAttributes(long bits) {
        this.bits = bits;
    }

    /** The bits of each of {@code flags}, in order. */
    static long[] bitsOf(PagingAttributes<?>[] flags) {
        long[] out = new long[flags.length];
        for (int i = 0; i < flags.length; i++) {
            out[i] = flags[i].bits();
        }
        return out;
    }

    /** The type's {@code Flags} and {@code PagingAttributes} constants, as a value. */
    public abstract Type<A> type();

    /** The raw bits. */
    public final long bits() {
        return bits;
    }

    /** {@code self | other}, unknown bits kept. */
    public final A union(A other) {
        return type().fromBitsRetain(bits | other.bits());
    }

    /** {@code self & other}, unknown bits kept. */
    public final A intersection(A other) {
        return type().fromBitsRetain(bits & other.bits());
    }

    /** {@code self - other}: {@code self & !other.bits} on the raw bits, unknown bits of self kept. */
    public final A difference(A other) {
        return type().fromBitsRetain(bits & ~other.bits());
    }

    /** {@code self ^ other}, unknown bits kept. */
    public final A symmetricDifference(A other) {
        return type().fromBitsRetain(bits ^ other.bits());
    }

    /** {@code !self}: the complement <em>truncated to {@code all()}</em>, so unknown bits never survive it. */
    public final A complement() {
        return type().fromBitsRetain(Bitflags.complement(bits, type().allBits()));
    }

    /** Whether every bit of {@code other} is set here (always true for a zero-valued flag). */
    public final boolean contains(A other) {
        return Bitflags.contains(bits, other.bits());
    }

    /** Whether any bit of {@code other} is set here. */
    public final boolean intersects(A other) {
        return (bits & other.bits()) != 0;
    }

    /** {@code is_empty()}: no bit set, named or not. */
    public final boolean isEmpty() {
        return bits == 0;
    }

    /** Whether every bit of {@code all()} is set (unknown bits do not matter). */
    public final boolean isAll() {
        return Bitflags.contains(bits, type().allBits());
    }

    /** The names {@code iter_names} yields, in declaration order (see {@code Bitflags}). */
    public final List<String> names() {
        return Bitflags.iterNames(bits, type().declaredBits, type().declaredNames, null);
    }

    /** The Rust {@code Debug} text, e.g. {@code El1Attributes(VALID | TABLE_OR_PAGE)} or {@code El1Attributes(0x0)}. */
    @Override
    public final String toString() {
        return type().debug(bits);
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof PagingAttributes<?> a && a.type() == type() && a.bits == bits;
    }

    @Override
    public final int hashCode() {
        return Long.hashCode(bits) * 31 + type().name.hashCode();
    }

    /**
     * One attribute type as a value: what the crate's generic code gets from {@code A: PagingAttributes} (the
     * bitflags {@code Flags} trait, {@code VALID}, {@code TABLE_OR_PAGE}, {@code is_bbm_safe}). The tables of this
     * package hold raw bits and consult it.
     *
     * @param <A> the attribute type
     */
    public static final class Type<A extends PagingAttributes<A>> {
        /** Bit 0 in every attribute type. */
        static final long VALID = 1L;
        /** Bit 1 in every attribute type. */
        static final long TABLE_OR_PAGE = 1L << 1;

        private final String name;
        private final String[] declaredNames;
        private final long[] declaredBits;
        private final long all;
        private final LongFunction<A> make;
        private final BbmRule bbmRule;
        private final A empty;
        private final List<Flag> flags;

        /**
         * A declared flag.
         *
         * @param name its Rust name, e.g. {@code ATTRIBUTE_INDEX_1}
         * @param bits its value (0 for a zero-valued flag such as {@code ATTRIBUTE_INDEX_0})
         */
        public record Flag(String name, long bits) {}

        /** {@code is_bbm_safe(old, new)} on raw flag bits. */
        @FunctionalInterface
        interface BbmRule {
            boolean isSafe(long oldFlags, long newFlags);
        }

        Type(String name, String[] declaredNames, long[] declaredBits, LongFunction<A> make, BbmRule bbmRule) {
            if (declaredNames.length != declaredBits.length) {
                throw new AssertionError(name + ": names and bits differ in length");
            }
            this.name = name;
            this.declaredNames = declaredNames.clone();
            this.declaredBits = declaredBits.clone();
            this.all = Bitflags.all(declaredBits);
            this.make = make;
            this.bbmRule = bbmRule;
            this.empty = make.apply(0);
            List<Flag> named = new ArrayList<>();
            for (int i = 0; i < declaredNames.length; i++) {
                named.add(new Flag(declaredNames[i], declaredBits[i]));
            }
            this.flags = Collections.unmodifiableList(named);
        }

        /** The Rust type's name, {@code El1Attributes}. */
        public String name() {
            return name;
        }

        /** {@code all().bits()}. */
        public long allBits() {
            return all;
        }

        /** {@code empty()}. */
        public A empty() {
            return empty;
        }

        /** {@code all()}. */
        public A all() {
            return make.apply(all);
        }

        /** {@code from_bits}: present iff no bit lies outside {@code all()}. */
        public Optional<A> fromBits(long bits) {
            return Bitflags.isKnown(bits, all) ? Optional.of(make.apply(bits)) : Optional.empty();
        }

        /** {@code from_bits_truncate}: {@code bits & all()}. */
        public A fromBitsTruncate(long bits) {
            return make.apply(Bitflags.truncate(bits, all));
        }

        /** {@code from_bits_retain}: exactly {@code bits}. */
        public A fromBitsRetain(long bits) {
            return bits == 0 ? empty : make.apply(bits);
        }

        /** {@code from_name}: the declared flag with this (case-sensitive) name. */
        public Optional<A> fromName(String name) {
            int i = Bitflags.indexOfName(declaredNames, Objects.requireNonNull(name));
            return i < 0 ? Optional.empty() : Optional.of(make.apply(declaredBits[i]));
        }

        /** {@code PagingAttributes::is_bbm_safe(old, new)} on raw flag bits. */
        public boolean isBbmSafe(long oldFlags, long newFlags) {
            return bbmRule.isSafe(oldFlags, newFlags);
        }

        /** {@code PagingAttributes::is_bbm_safe(old, new)}. */
        public boolean isBbmSafe(A oldFlags, A newFlags) {
            return bbmRule.isSafe(oldFlags.bits(), newFlags.bits());
        }

        /** The {@code Debug} text of a value with these bits. */
        public String debug(long bits) {
            return Bitflags.debug(name, bits, declaredBits, declaredNames);
        }

        /** The declared flags, in declaration order (the order of the Debug text), zero-valued ones included. */
        public List<Flag> declaredFlags() {
            return flags;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
