package dev.pvmfw.paging.v0_12_1;

import java.util.Optional;

/**
 * Constraints on what {@code map_range} may write ({@code paging::Constraints}, a bitflags 2.11 struct over
 * {@code usize}): {@link #NO_BLOCK_MAPPINGS} makes it write pages only; {@link #NO_CONTIGUOUS_HINT} is declared but
 * changes nothing at 0.12.1 (the crate never sets the contiguous bit). A split re-creates the old entry with
 * <em>empty</em> constraints, whatever the caller gave. Immutable; {@link #toString()} is the Rust {@code Debug},
 * e.g. {@code Constraints(NO_BLOCK_MAPPINGS | NO_CONTIGUOUS_HINT)}, {@code Constraints(0x0)} or, for a bit no flag
 * names, {@code Constraints(0x4)}.
 */
public final class Constraints {
    private static final String[] NAMES = {"NO_BLOCK_MAPPINGS", "NO_CONTIGUOUS_HINT"};
    private static final long[] BITS = {1L, 1L << 1};
    private static final long ALL_BITS = Bitflags.all(BITS);

    private static final Constraints EMPTY = new Constraints(0);
    /** Block mappings are not permitted, only page mappings. */
    public static final Constraints NO_BLOCK_MAPPINGS = new Constraints(BITS[0]);
    /** Use of the contiguous hint is not permitted. */
    public static final Constraints NO_CONTIGUOUS_HINT = new Constraints(BITS[1]);

    private final long bits;

    private Constraints(long bits) {
        this.bits = bits;
    }

    /** The raw bits ({@code bits()}), unknown ones included. */
    public long bits() {
        return bits;
    }

    /** {@code Constraints::empty()}. */
    public static Constraints empty() {
        return EMPTY;
    }

    /** {@code Constraints::all()}. */
    public static Constraints all() {
        return new Constraints(ALL_BITS);
    }

    /** {@code from_bits}: present iff no bit lies outside {@code all()}. */
    public static Optional<Constraints> fromBits(long bits) {
        return Bitflags.isKnown(bits, ALL_BITS) ? Optional.of(fromBitsRetain(bits)) : Optional.empty();
    }

    /** {@code from_bits_truncate}. */
    public static Constraints fromBitsTruncate(long bits) {
        return fromBitsRetain(Bitflags.truncate(bits, ALL_BITS));
    }

    /** {@code from_bits_retain}: exactly {@code bits}, named or not. */
    public static Constraints fromBitsRetain(long bits) {
        return bits == 0 ? EMPTY : new Constraints(bits);
    }

    /** {@code from_name}. */
    public static Optional<Constraints> fromName(String name) {
        int i = Bitflags.indexOfName(NAMES, name);
        return i < 0 ? Optional.empty() : Optional.of(new Constraints(BITS[i]));
    }

    /** {@code self | other}. */
    public Constraints union(Constraints other) {
        return fromBitsRetain(bits | other.bits);
    }

    /** {@code self.contains(other)}. */
    public boolean contains(Constraints other) {
        return Bitflags.contains(bits, other.bits);
    }

    /** {@code is_empty()}: no bit set. */
    public boolean isEmpty() {
        return bits == 0;
    }

    @Override
    public String toString() {
        return Bitflags.debug("Constraints", bits, BITS, NAMES);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Constraints c && c.bits == bits;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bits);
    }
}
