package dev.pvmfw.paging.v0_4_0;

import java.util.List;
import java.util.Optional;

/**
 * The attribute bits of aarch64-paging 0.4.0 ({@code paging::Attributes}, a bitflags 2 struct over {@code usize}),
 * with the names of the Arm ARM.
 *
 * <p>Values are immutable. Every value built through this API is a union of complete named flags, which is what
 * {@link #fromBits} accepts (the bitflags 2.0.2 rule, {@code Bitflags}), except {@link #fromBitsRetain}'s. {@link #toString()} is the Rust
 * {@code Debug} text, e.g. {@code Attributes(VALID | DEVICE_NGNRE | NORMAL)}.
 *
 * <table>
 *   <caption>Flags in declaration order (the order of the Debug text)</caption>
 *   <tr><th>name</th><th>bits</th><th>meaning (stage 1, 4 KiB granule)</th></tr>
 *   <tr><td>VALID</td><td>0</td><td>descriptor valid</td></tr>
 *   <tr><td>TABLE_OR_PAGE</td><td>1</td><td>levels 0–2: table (1) or block (0); level 3: 1 for a page</td></tr>
 *   <tr><td>DEVICE_NGNRE</td><td>none (value 0)</td><td>AttrIndx 0 (MAIR Attr0)</td></tr>
 *   <tr><td>NORMAL</td><td>2, 8, 9</td><td>AttrIndx 1 (MAIR Attr1), inner shareable</td></tr>
 *   <tr><td>USER</td><td>6</td><td>AP[1]</td></tr>
 *   <tr><td>READ_ONLY</td><td>7</td><td>AP[2]</td></tr>
 *   <tr><td>ACCESSED</td><td>10</td><td>AF</td></tr>
 *   <tr><td>NON_GLOBAL</td><td>11</td><td>nG</td></tr>
 *   <tr><td>DBM</td><td>51</td><td>dirty bit modifier</td></tr>
 *   <tr><td>EXECUTE_NEVER</td><td>53, 54</td><td>PXN and UXN together</td></tr>
 *   <tr><td>SWFLAG_0..3</td><td>55..58</td><td>software bits, ignored by hardware</td></tr>
 * </table>
 */
public final class Attributes {
    static final long VALID_BIT = 1L;
    static final long TABLE_OR_PAGE_BIT = 1L << 1;
    static final long NORMAL_BITS = 1L << 2 | 3L << 8;
    static final long ACCESSED_BIT = 1L << 10;

    /** Bit 0: the descriptor is valid. */
    public static final Attributes VALID = new Attributes(VALID_BIT);
    /** Bit 1: at levels 0–2 a table (set) or a block (clear); at level 3 set for a page. */
    public static final Attributes TABLE_OR_PAGE = new Attributes(TABLE_OR_PAGE_BIT);
    /** Device-nGnRE, AttrIndx 0: a zero-valued flag, "contained" in every value. */
    public static final Attributes DEVICE_NGNRE = new Attributes(0);
    /** Normal memory, AttrIndx 1, inner shareable: bits 2, 8 and 9 together. */
    public static final Attributes NORMAL = new Attributes(NORMAL_BITS);
    /** Bit 6, AP[1]: accessible at EL0. */
    public static final Attributes USER = new Attributes(1L << 6);
    /** Bit 7, AP[2]: read-only. */
    public static final Attributes READ_ONLY = new Attributes(1L << 7);
    /** Bit 10, AF: the Access flag. */
    public static final Attributes ACCESSED = new Attributes(ACCESSED_BIT);
    /** Bit 11, nG: the translation is specific to the current ASID. */
    public static final Attributes NON_GLOBAL = new Attributes(1L << 11);
    /** Bit 51: the dirty bit modifier. */
    public static final Attributes DBM = new Attributes(1L << 51);
    /** PXN and UXN: bits 53 and 54 together. */
    public static final Attributes EXECUTE_NEVER = new Attributes(3L << 53);
    /** Bit 55: a software bit, ignored by hardware (pvmfw's {@code MMIO_LAZY_MAP_FLAG} on 0.4.0). */
    public static final Attributes SWFLAG_0 = new Attributes(1L << 55);
    /** Bit 56: a software bit, ignored by hardware. */
    public static final Attributes SWFLAG_1 = new Attributes(1L << 56);
    /** Bit 57: a software bit, ignored by hardware. */
    public static final Attributes SWFLAG_2 = new Attributes(1L << 57);
    /** Bit 58: a software bit, ignored by hardware. */
    public static final Attributes SWFLAG_3 = new Attributes(1L << 58);

    /** Declaration order; it decides the Debug text. */
    private static final Attributes[] DECLARED = {
        VALID, TABLE_OR_PAGE, DEVICE_NGNRE, NORMAL, USER, READ_ONLY, ACCESSED, NON_GLOBAL, DBM, EXECUTE_NEVER,
        SWFLAG_0, SWFLAG_1, SWFLAG_2, SWFLAG_3,
    };
    private static final String[] NAMES = {
        "VALID", "TABLE_OR_PAGE", "DEVICE_NGNRE", "NORMAL", "USER", "READ_ONLY", "ACCESSED", "NON_GLOBAL", "DBM",
        "EXECUTE_NEVER", "SWFLAG_0", "SWFLAG_1", "SWFLAG_2", "SWFLAG_3",
    };
    private static final long[] DECLARED_BITS = new long[DECLARED.length];

    static {
        for (int i = 0; i < DECLARED.length; i++) {
            DECLARED_BITS[i] = DECLARED[i].bits;
        }
    }

    /** Every known bit, {@code 0x07E8_0000_0000_0FC7}. */
    public static final long ALL_BITS = Bitflags.truncateToCompleteFlags(-1L, DECLARED_BITS);
    /** The two flags of more than one bit, NORMAL and EXECUTE_NEVER, for the fast validity test. */
    private static final long MULTI_BIT_0 = NORMAL_BITS;
    private static final long MULTI_BIT_1 = 3L << 53;

    static {
        long seen = 0;
        for (long flag : DECLARED_BITS) {
            if ((seen & flag) != 0) {
                throw new AssertionError("overlapping flags: the fast from_bits test would be wrong");
            }
            if (Long.bitCount(flag) > 1 && flag != MULTI_BIT_0 && flag != MULTI_BIT_1) {
                throw new AssertionError("a multi-bit flag the fast from_bits test does not know");
            }
            seen |= flag;
        }
    }

    private static final Attributes EMPTY = new Attributes(0);
    private static final Attributes ALL = new Attributes(ALL_BITS);

    private final long bits;

    private Attributes(long bits) {
        this.bits = bits;
    }

    /** The raw bits. */
    public long bits() {
        return bits;
    }

    /** No flags. */
    public static Attributes empty() {
        return EMPTY;
    }

    /** Every flag. */
    public static Attributes all() {
        return ALL;
    }

    /**
     * bitflags 2.0.2 {@code from_bits}: present iff {@code bits} is exactly a union of complete named flags. Absent for
     * any unknown bit (3, 4, 5, 12–50, 52, 59–63) and for partial multi-bit flags (bit 2 without 8|9, bit 53 without
     * 54). {@code fromBits(0)} is present and empty.
     */
    public static Optional<Attributes> fromBits(long bits) {
        return isValidBits(bits) ? Optional.of(of(bits)) : Optional.empty();
    }

    /**
     * Why {@code Attributes::from_bits(bits)} is {@code None}, one phrase a reason (the unknown bits; NORMAL or
     * EXECUTE_NEVER set only in part); empty when it is {@code Some}. Not the crate's API: its explanation.
     */
    public static List<String> refusals(long bits) {
        return Bitflags.refusals(bits, DECLARED_BITS, NAMES);
    }

    /** {@link #fromBits}' test without allocating. */
    public static boolean isValidBits(long bits) {
        return Bitflags.isUnionOfCompleteFlags(bits, ALL_BITS, MULTI_BIT_0, MULTI_BIT_1);
    }

    /** The definition of {@link #isValidBits}: truncating to complete flags changes nothing (slow; for tests). */
    static boolean isValidBitsByDefinition(long bits) {
        return Bitflags.isUnionOfCompleteFlags(bits, DECLARED_BITS);
    }

    /**
     * bitflags {@code from_bits_retain}: exactly {@code bits}, named or not (so not necessarily a value
     * {@link #fromBits} accepts). What the crate's callers use to hand raw bits to {@code modify_flags}.
     */
    public static Attributes fromBitsRetain(long bits) {
        return of(bits);
    }

    /** bitflags {@code from_bits_truncate}: keeps only the complete named flags present in {@code bits}. */
    public static Attributes fromBitsTruncate(long bits) {
        return of(Bitflags.truncateToCompleteFlags(bits, DECLARED_BITS));
    }

    /** The flag with this exact (Rust) name, e.g. {@code "SWFLAG_0"}. */
    public static Optional<Attributes> fromName(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return Optional.of(DECLARED[i]);
            }
        }
        return Optional.empty();
    }

    /** The union of the given flags ({@code a | b | ...}). */
    public static Attributes of(Attributes... flags) {
        long bits = 0;
        for (Attributes f : flags) {
            bits |= f.bits;
        }
        return of(bits);
    }

    private static Attributes of(long bits) {
        return bits == 0 ? EMPTY : bits == ALL_BITS ? ALL : new Attributes(bits);
    }

    /** {@code self | other}. */
    public Attributes union(Attributes other) {
        return of(bits | other.bits);
    }

    /** {@code self & !other}. */
    public Attributes difference(Attributes other) {
        return of(bits & ~other.bits);
    }

    /** {@code self & other}. */
    public Attributes intersection(Attributes other) {
        return of(bits & other.bits);
    }

    /** Whether every bit of {@code other} is set here (so always true for DEVICE_NGNRE and the empty set). */
    public boolean contains(Attributes other) {
        return (bits & other.bits) == other.bits;
    }

    /** Whether any bit of {@code other} is set here. */
    public boolean intersects(Attributes other) {
        return (bits & other.bits) != 0;
    }

    /** Whether no bit is set ({@code is_empty}); true for DEVICE_NGNRE and the empty set. */
    public boolean isEmpty() {
        return bits == 0;
    }

    /** Rust {@code Debug} text of the flags in {@code bits} (which need not be valid), bitflags 2.0.2 style. */
    public static String debugString(long bits) {
        return Bitflags.debugFlags("Attributes", bits, DECLARED_BITS, NAMES);
    }

    /** Declared flag names, in declaration order. */
    public static List<String> declaredNames() {
        return List.of(NAMES);
    }

    /** The Rust {@code Debug} text, e.g. {@code Attributes(VALID | TABLE_OR_PAGE)} or {@code Attributes(0x0)}. */
    @Override
    public String toString() {
        return debugString(bits);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attributes a && a.bits == bits;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bits);
    }
}
