package dev.pvmfw.paging.v0_12_1;

import java.util.Optional;

/**
 * The attribute bits of a stage-1 descriptor in the EL1&amp;0 and EL2&amp;0 regimes ({@code descriptor::El1Attributes},
 * a bitflags 2.11 struct over {@code usize}), under the crate's names. {@code all()} is
 * {@code 0xfffc_0000_0001_0fff}.
 *
 * <table>
 *   <caption>Flags in declaration order (the order of the Debug text)</caption>
 *   <tr><th>name</th><th>value</th></tr>
 *   <tr><td>VALID, TABLE_OR_PAGE</td><td>bit 0, bit 1</td></tr>
 *   <tr><td>ATTRIBUTE_INDEX_0..7</td><td>{@code n << 2} (bits 4:2; index 0 is zero-valued, never printed)</td></tr>
 *   <tr><td>OUTER_SHAREABLE, INNER_SHAREABLE</td><td>{@code 2 << 8}, {@code 3 << 8}</td></tr>
 *   <tr><td>NS, USER, READ_ONLY</td><td>bits 5, 6, 7</td></tr>
 *   <tr><td>ACCESSED, NON_GLOBAL</td><td>bits 10, 11</td></tr>
 *   <tr><td>NT</td><td>bit 16 — inside the output-address field, so {@code flags()} never reports it</td></tr>
 *   <tr><td>GP, DBM, CONTIGUOUS_OR_PROTECTED, PXN, UXN</td><td>bits 50, 51, 52, 53, 54</td></tr>
 *   <tr><td>SWFLAG_0..3</td><td>bits 55..58</td></tr>
 *   <tr><td>PXN_TABLE, XN_TABLE, AP_TABLE_NO_EL0, AP_TABLE_NO_WRITE, NS_TABLE</td><td>bits 59..63</td></tr>
 * </table>
 *
 * <p>{@code is_bbm_safe}: on a live valid mapping, VALID, READ_ONLY, ACCESSED, DBM, PXN, UXN and SWFLAG_0..3 may be
 * set or cleared, NON_GLOBAL only set; a change of any other bit of {@code all()} is unsafe; bits outside
 * {@code all()} do not count.
 */
public final class El1Attributes extends PagingAttributes<El1Attributes> {
    /** Bit 0: the descriptor is valid. */
    public static final El1Attributes VALID = new El1Attributes(1L);
    /** Bit 1: at levels 0–2 a table (set) or a block (clear); at level 3 set for a page. */
    public static final El1Attributes TABLE_OR_PAGE = new El1Attributes(1L << 1);
    /**
     * AttrIndx = 0 (bits 4:2): memory attributes 0 of MAIR_ELx; zero-valued, so contained in every value and never
     * printed.
     */
    public static final El1Attributes ATTRIBUTE_INDEX_0 = new El1Attributes(0L << 2);
    /** AttrIndx = 1 (bits 4:2): memory attributes 1 of MAIR_ELx. */
    public static final El1Attributes ATTRIBUTE_INDEX_1 = new El1Attributes(1L << 2);
    /** AttrIndx = 2 (bits 4:2): memory attributes 2 of MAIR_ELx. */
    public static final El1Attributes ATTRIBUTE_INDEX_2 = new El1Attributes(2L << 2);
    /** AttrIndx = 3 (bits 4:2): memory attributes 3 of MAIR_ELx. */
    public static final El1Attributes ATTRIBUTE_INDEX_3 = new El1Attributes(3L << 2);
    /** AttrIndx = 4 (bits 4:2): memory attributes 4 of MAIR_ELx. */
    public static final El1Attributes ATTRIBUTE_INDEX_4 = new El1Attributes(4L << 2);
    /** AttrIndx = 5 (bits 4:2): memory attributes 5 of MAIR_ELx. */
    public static final El1Attributes ATTRIBUTE_INDEX_5 = new El1Attributes(5L << 2);
    /** AttrIndx = 6 (bits 4:2): memory attributes 6 of MAIR_ELx. */
    public static final El1Attributes ATTRIBUTE_INDEX_6 = new El1Attributes(6L << 2);
    /** AttrIndx = 7 (bits 4:2): memory attributes 7 of MAIR_ELx. */
    public static final El1Attributes ATTRIBUTE_INDEX_7 = new El1Attributes(7L << 2);
    /** SH = 0b10 (bits 9:8): outer shareable. */
    public static final El1Attributes OUTER_SHAREABLE = new El1Attributes(2L << 8);
    /** SH = 0b11 (bits 9:8): inner shareable. */
    public static final El1Attributes INNER_SHAREABLE = new El1Attributes(3L << 8);
    /** Bit 5: non-secure. */
    public static final El1Attributes NS = new El1Attributes(1L << 5);
    /** Bit 6, AP[1]: accessible at EL0. */
    public static final El1Attributes USER = new El1Attributes(1L << 6);
    /** Bit 7, AP[2]: read-only. */
    public static final El1Attributes READ_ONLY = new El1Attributes(1L << 7);
    /** Bit 10, AF: the Access flag. */
    public static final El1Attributes ACCESSED = new El1Attributes(1L << 10);
    /** Bit 11, nG: the translation belongs to the current ASID only. */
    public static final El1Attributes NON_GLOBAL = new El1Attributes(1L << 11);
    /** Bit 16, which the descriptor layout counts as output address: written into the PA, never read back. */
    public static final El1Attributes NT = new El1Attributes(1L << 16);
    /** Guarded page (BTI). */
    public static final El1Attributes GP = new El1Attributes(1L << 50);
    /** Bit 51: the dirty bit modifier. */
    public static final El1Attributes DBM = new El1Attributes(1L << 51);
    /** Bit 52: the Contiguous hint (Protected in the other descriptor formats). */
    public static final El1Attributes CONTIGUOUS_OR_PROTECTED = new El1Attributes(1L << 52);
    /** Privileged execute-never. */
    public static final El1Attributes PXN = new El1Attributes(1L << 53);
    /** Unprivileged execute-never. */
    public static final El1Attributes UXN = new El1Attributes(1L << 54);
    /** Bit 55: reserved for software. */
    public static final El1Attributes SWFLAG_0 = new El1Attributes(1L << 55);
    /** Bit 56: reserved for software. */
    public static final El1Attributes SWFLAG_1 = new El1Attributes(1L << 56);
    /** Bit 57: reserved for software. */
    public static final El1Attributes SWFLAG_2 = new El1Attributes(1L << 57);
    /** Bit 58: reserved for software. */
    public static final El1Attributes SWFLAG_3 = new El1Attributes(1L << 58);
    /** Bit 59 (table descriptors): PXNTable, privileged execute-never below. */
    public static final El1Attributes PXN_TABLE = new El1Attributes(1L << 59);
    /** Bit 60 (table descriptors): XNTable (UXNTable), execute-never below. */
    public static final El1Attributes XN_TABLE = new El1Attributes(1L << 60);
    /** Bit 61 (table descriptors): APTable[0], no EL0 access below. */
    public static final El1Attributes AP_TABLE_NO_EL0 = new El1Attributes(1L << 61);
    /** Bit 62 (table descriptors): APTable[1], no write access below. */
    public static final El1Attributes AP_TABLE_NO_WRITE = new El1Attributes(1L << 62);
    /** Bit 63 (table descriptors): NSTable, non-secure below. */
    public static final El1Attributes NS_TABLE = new El1Attributes(1L << 63);

    /** {@code SHAREABILITY_MASK}: INNER_SHAREABLE, bits 9:8. */
    public static final El1Attributes SHAREABILITY_MASK = INNER_SHAREABLE;
    /** {@code ATTRIBUTE_INDEX_MASK}: ATTRIBUTE_INDEX_7, bits 4:2. */
    public static final El1Attributes ATTRIBUTE_INDEX_MASK = ATTRIBUTE_INDEX_7;

    private static final String[] NAMES = {
        "VALID", "TABLE_OR_PAGE", "ATTRIBUTE_INDEX_0", "ATTRIBUTE_INDEX_1", "ATTRIBUTE_INDEX_2", "ATTRIBUTE_INDEX_3",
        "ATTRIBUTE_INDEX_4", "ATTRIBUTE_INDEX_5", "ATTRIBUTE_INDEX_6", "ATTRIBUTE_INDEX_7", "OUTER_SHAREABLE",
        "INNER_SHAREABLE", "NS", "USER", "READ_ONLY", "ACCESSED", "NON_GLOBAL", "NT", "GP", "DBM",
        "CONTIGUOUS_OR_PROTECTED", "PXN", "UXN", "SWFLAG_0", "SWFLAG_1", "SWFLAG_2", "SWFLAG_3", "PXN_TABLE",
        "XN_TABLE", "AP_TABLE_NO_EL0", "AP_TABLE_NO_WRITE", "NS_TABLE",
    };
    private static final El1Attributes[] DECLARED = {
        VALID, TABLE_OR_PAGE, ATTRIBUTE_INDEX_0, ATTRIBUTE_INDEX_1, ATTRIBUTE_INDEX_2, ATTRIBUTE_INDEX_3,
        ATTRIBUTE_INDEX_4, ATTRIBUTE_INDEX_5, ATTRIBUTE_INDEX_6, ATTRIBUTE_INDEX_7, OUTER_SHAREABLE, INNER_SHAREABLE,
        NS, USER, READ_ONLY, ACCESSED, NON_GLOBAL, NT, GP, DBM, CONTIGUOUS_OR_PROTECTED, PXN, UXN, SWFLAG_0, SWFLAG_1,
        SWFLAG_2, SWFLAG_3, PXN_TABLE, XN_TABLE, AP_TABLE_NO_EL0, AP_TABLE_NO_WRITE, NS_TABLE,
    };

    private static final long[] DECLARED_BITS = bitsOf(DECLARED);
    /** {@code all().bits()}. */
    static final long ALL_BITS = Bitflags.all(DECLARED_BITS);

    /** The bits a live valid mapping may clear without break-before-make. */
    static final long CLEAR_ALLOWED = VALID.bits() | READ_ONLY.bits() | ACCESSED.bits() | DBM.bits() | PXN.bits()
            | UXN.bits() | SWFLAG_0.bits() | SWFLAG_1.bits() | SWFLAG_2.bits() | SWFLAG_3.bits();
    /** The bits a live valid mapping may set without break-before-make: the clearable ones and NON_GLOBAL. */
    static final long SET_ALLOWED = CLEAR_ALLOWED | NON_GLOBAL.bits();

    /** The type as a value. */
    public static final Type<El1Attributes> TYPE = new Type<>("El1Attributes", NAMES, DECLARED_BITS,
            El1Attributes::new, El1Attributes::bbmSafe);

    private El1Attributes(long bits) {
        super(bits);
    }

    @Override
    public Type<El1Attributes> type() {
        return TYPE;
    }

    /** {@code empty()}. */
    public static El1Attributes empty() {
        return TYPE.empty();
    }

    /** {@code all()}: {@code 0xfffc_0000_0001_0fff}. */
    public static El1Attributes all() {
        return TYPE.all();
    }

    /** {@code from_bits}: present iff no bit lies outside {@code all()}. */
    public static Optional<El1Attributes> fromBits(long bits) {
        return TYPE.fromBits(bits);
    }

    /** {@code from_bits_truncate}: {@code bits & all()}. */
    public static El1Attributes fromBitsTruncate(long bits) {
        return TYPE.fromBitsTruncate(bits);
    }

    /** {@code from_bits_retain}: exactly {@code bits}. */
    public static El1Attributes fromBitsRetain(long bits) {
        return TYPE.fromBitsRetain(bits);
    }

    /** {@code from_name}. */
    public static Optional<El1Attributes> fromName(String name) {
        return TYPE.fromName(name);
    }

    /** The union of {@code flags}. */
    public static El1Attributes of(El1Attributes... flags) {
        long bits = 0;
        for (El1Attributes f : flags) {
            bits |= f.bits();
        }
        return TYPE.fromBitsRetain(bits);
    }

    /** {@code <El1Attributes as PagingAttributes>::is_bbm_safe(old, new)}. */
    public static boolean isBbmSafe(El1Attributes oldFlags, El1Attributes newFlags) {
        return bbmSafe(oldFlags.bits(), newFlags.bits());
    }

    /**
     * {@code (!old & new & !SET_ALLOWED).is_empty() && (old & !new & !CLEAR_ALLOWED).is_empty()}, with bitflags
     * 2.11's truncating {@code !}: only bits of {@code all()} count.
     */
    static boolean bbmSafe(long oldFlags, long newFlags) {
        return (~oldFlags & newFlags & ~SET_ALLOWED & ALL_BITS) == 0
                && (oldFlags & ~newFlags & ~CLEAR_ALLOWED & ALL_BITS) == 0;
    }

}
