package dev.pvmfw.paging.v0_12_1;

import java.util.Optional;

/**
 * The attribute bits of a stage-1 descriptor in the EL2 and EL3 regimes ({@code descriptor::El23Attributes}, a
 * bitflags 2.11 struct over {@code usize}), under the crate's names: {@link El1Attributes} with bit 6 named
 * {@code USER_RES1}, no PXN (bit 53 is unknown) and bit 54 named {@code XN}. {@code all()} is
 * {@code 0xffdc_0000_0001_0fff}.
 *
 * <table>
 *   <caption>Flags in declaration order (the order of the Debug text)</caption>
 *   <tr><th>name</th><th>value</th></tr>
 *   <tr><td>VALID, TABLE_OR_PAGE</td><td>bit 0, bit 1</td></tr>
 *   <tr><td>ATTRIBUTE_INDEX_0..7</td><td>{@code n << 2} (bits 4:2; index 0 is zero-valued, never printed)</td></tr>
 *   <tr><td>OUTER_SHAREABLE, INNER_SHAREABLE</td><td>{@code 2 << 8}, {@code 3 << 8}</td></tr>
 *   <tr><td>NS, USER_RES1, READ_ONLY</td><td>bits 5, 6, 7</td></tr>
 *   <tr><td>ACCESSED, NON_GLOBAL</td><td>bits 10, 11</td></tr>
 *   <tr><td>NT</td><td>bit 16 — inside the output-address field, so {@code flags()} never reports it</td></tr>
 *   <tr><td>GP, DBM, CONTIGUOUS_OR_PROTECTED, XN</td><td>bits 50, 51, 52, 54 (53 is unknown)</td></tr>
 *   <tr><td>SWFLAG_0..3</td><td>bits 55..58</td></tr>
 *   <tr><td>PXN_TABLE, XN_TABLE, AP_TABLE_NO_EL0, AP_TABLE_NO_WRITE, NS_TABLE</td><td>bits 59..63</td></tr>
 * </table>
 *
 * <p>{@code is_bbm_safe}: on a live valid mapping, VALID, READ_ONLY, ACCESSED, DBM, XN and SWFLAG_0..3 may be
 * set or cleared, NON_GLOBAL only set; a change of any other bit of {@code all()} is unsafe; bits outside
 * {@code all()} do not count.
 */
public final class El23Attributes extends PagingAttributes<El23Attributes> {
    /** Bit 0: the descriptor is valid. */
    public static final El23Attributes VALID = new El23Attributes(1L);
    /** Bit 1: at levels 0–2 a table (set) or a block (clear); at level 3 set for a page. */
    public static final El23Attributes TABLE_OR_PAGE = new El23Attributes(1L << 1);
    /**
     * AttrIndx = 0 (bits 4:2): memory attributes 0 of MAIR_ELx; zero-valued, so contained in every value and never
     * printed.
     */
    public static final El23Attributes ATTRIBUTE_INDEX_0 = new El23Attributes(0L << 2);
    /** AttrIndx = 1 (bits 4:2): memory attributes 1 of MAIR_ELx. */
    public static final El23Attributes ATTRIBUTE_INDEX_1 = new El23Attributes(1L << 2);
    /** AttrIndx = 2 (bits 4:2): memory attributes 2 of MAIR_ELx. */
    public static final El23Attributes ATTRIBUTE_INDEX_2 = new El23Attributes(2L << 2);
    /** AttrIndx = 3 (bits 4:2): memory attributes 3 of MAIR_ELx. */
    public static final El23Attributes ATTRIBUTE_INDEX_3 = new El23Attributes(3L << 2);
    /** AttrIndx = 4 (bits 4:2): memory attributes 4 of MAIR_ELx. */
    public static final El23Attributes ATTRIBUTE_INDEX_4 = new El23Attributes(4L << 2);
    /** AttrIndx = 5 (bits 4:2): memory attributes 5 of MAIR_ELx. */
    public static final El23Attributes ATTRIBUTE_INDEX_5 = new El23Attributes(5L << 2);
    /** AttrIndx = 6 (bits 4:2): memory attributes 6 of MAIR_ELx. */
    public static final El23Attributes ATTRIBUTE_INDEX_6 = new El23Attributes(6L << 2);
    /** AttrIndx = 7 (bits 4:2): memory attributes 7 of MAIR_ELx. */
    public static final El23Attributes ATTRIBUTE_INDEX_7 = new El23Attributes(7L << 2);
    /** SH = 0b10 (bits 9:8): outer shareable. */
    public static final El23Attributes OUTER_SHAREABLE = new El23Attributes(2L << 8);
    /** SH = 0b11 (bits 9:8): inner shareable. */
    public static final El23Attributes INNER_SHAREABLE = new El23Attributes(3L << 8);
    /** Bit 5: non-secure. */
    public static final El23Attributes NS = new El23Attributes(1L << 5);
    /** Bit 6, RES1 at EL2 and EL3. */
    public static final El23Attributes USER_RES1 = new El23Attributes(1L << 6);
    /** Bit 7, AP[2]: read-only. */
    public static final El23Attributes READ_ONLY = new El23Attributes(1L << 7);
    /** Bit 10, AF: the Access flag. */
    public static final El23Attributes ACCESSED = new El23Attributes(1L << 10);
    /** Bit 11, nG: the translation belongs to the current ASID only. */
    public static final El23Attributes NON_GLOBAL = new El23Attributes(1L << 11);
    /** Bit 16, which the descriptor layout counts as output address: written into the PA, never read back. */
    public static final El23Attributes NT = new El23Attributes(1L << 16);
    /** Guarded page (BTI). */
    public static final El23Attributes GP = new El23Attributes(1L << 50);
    /** Bit 51: the dirty bit modifier. */
    public static final El23Attributes DBM = new El23Attributes(1L << 51);
    /** Bit 52: the Contiguous hint (Protected in the other descriptor formats). */
    public static final El23Attributes CONTIGUOUS_OR_PROTECTED = new El23Attributes(1L << 52);
    /** Execute-never. */
    public static final El23Attributes XN = new El23Attributes(1L << 54);
    /** Bit 55: reserved for software. */
    public static final El23Attributes SWFLAG_0 = new El23Attributes(1L << 55);
    /** Bit 56: reserved for software. */
    public static final El23Attributes SWFLAG_1 = new El23Attributes(1L << 56);
    /** Bit 57: reserved for software. */
    public static final El23Attributes SWFLAG_2 = new El23Attributes(1L << 57);
    /** Bit 58: reserved for software. */
    public static final El23Attributes SWFLAG_3 = new El23Attributes(1L << 58);
    /** Bit 59 (table descriptors): PXNTable, privileged execute-never below. */
    public static final El23Attributes PXN_TABLE = new El23Attributes(1L << 59);
    /** Bit 60 (table descriptors): XNTable (UXNTable), execute-never below. */
    public static final El23Attributes XN_TABLE = new El23Attributes(1L << 60);
    /** Bit 61 (table descriptors): APTable[0], no EL0 access below. */
    public static final El23Attributes AP_TABLE_NO_EL0 = new El23Attributes(1L << 61);
    /** Bit 62 (table descriptors): APTable[1], no write access below. */
    public static final El23Attributes AP_TABLE_NO_WRITE = new El23Attributes(1L << 62);
    /** Bit 63 (table descriptors): NSTable, non-secure below. */
    public static final El23Attributes NS_TABLE = new El23Attributes(1L << 63);

    /** {@code SHAREABILITY_MASK}: INNER_SHAREABLE, bits 9:8. */
    public static final El23Attributes SHAREABILITY_MASK = INNER_SHAREABLE;
    /** {@code ATTRIBUTE_INDEX_MASK}: ATTRIBUTE_INDEX_7, bits 4:2. */
    public static final El23Attributes ATTRIBUTE_INDEX_MASK = ATTRIBUTE_INDEX_7;

    private static final String[] NAMES = {
        "VALID", "TABLE_OR_PAGE", "ATTRIBUTE_INDEX_0", "ATTRIBUTE_INDEX_1", "ATTRIBUTE_INDEX_2", "ATTRIBUTE_INDEX_3",
        "ATTRIBUTE_INDEX_4", "ATTRIBUTE_INDEX_5", "ATTRIBUTE_INDEX_6", "ATTRIBUTE_INDEX_7", "OUTER_SHAREABLE",
        "INNER_SHAREABLE", "NS", "USER_RES1", "READ_ONLY", "ACCESSED", "NON_GLOBAL", "NT", "GP", "DBM",
        "CONTIGUOUS_OR_PROTECTED", "XN", "SWFLAG_0", "SWFLAG_1", "SWFLAG_2", "SWFLAG_3", "PXN_TABLE",
        "XN_TABLE", "AP_TABLE_NO_EL0", "AP_TABLE_NO_WRITE", "NS_TABLE",
    };
    private static final El23Attributes[] DECLARED = {
        VALID, TABLE_OR_PAGE, ATTRIBUTE_INDEX_0, ATTRIBUTE_INDEX_1, ATTRIBUTE_INDEX_2, ATTRIBUTE_INDEX_3,
        ATTRIBUTE_INDEX_4, ATTRIBUTE_INDEX_5, ATTRIBUTE_INDEX_6, ATTRIBUTE_INDEX_7, OUTER_SHAREABLE, INNER_SHAREABLE,
        NS, USER_RES1, READ_ONLY, ACCESSED, NON_GLOBAL, NT, GP, DBM, CONTIGUOUS_OR_PROTECTED, XN, SWFLAG_0, SWFLAG_1,
        SWFLAG_2, SWFLAG_3, PXN_TABLE, XN_TABLE, AP_TABLE_NO_EL0, AP_TABLE_NO_WRITE, NS_TABLE,
    };

    private static final long[] DECLARED_BITS = bitsOf(DECLARED);
    /** {@code all().bits()}. */
    static final long ALL_BITS = Bitflags.all(DECLARED_BITS);

    /** The bits a live valid mapping may clear without break-before-make. */
    static final long CLEAR_ALLOWED = VALID.bits() | READ_ONLY.bits() | ACCESSED.bits() | DBM.bits() | XN.bits()
            | SWFLAG_0.bits() | SWFLAG_1.bits() | SWFLAG_2.bits() | SWFLAG_3.bits();
    /** The bits a live valid mapping may set without break-before-make: the clearable ones and NON_GLOBAL. */
    static final long SET_ALLOWED = CLEAR_ALLOWED | NON_GLOBAL.bits();

    /** The type as a value. */
    public static final Type<El23Attributes> TYPE = new Type<>("El23Attributes", NAMES, DECLARED_BITS,
            El23Attributes::new, El23Attributes::bbmSafe);

    private El23Attributes(long bits) {
        super(bits);
    }

    @Override
    public Type<El23Attributes> type() {
        return TYPE;
    }

    /** {@code empty()}. */
    public static El23Attributes empty() {
        return TYPE.empty();
    }

    /** {@code all()}: {@code 0xffdc_0000_0001_0fff}. */
    public static El23Attributes all() {
        return TYPE.all();
    }

    /** {@code from_bits}: present iff no bit lies outside {@code all()}. */
    public static Optional<El23Attributes> fromBits(long bits) {
        return TYPE.fromBits(bits);
    }

    /** {@code from_bits_truncate}: {@code bits & all()}. */
    public static El23Attributes fromBitsTruncate(long bits) {
        return TYPE.fromBitsTruncate(bits);
    }

    /** {@code from_bits_retain}: exactly {@code bits}. */
    public static El23Attributes fromBitsRetain(long bits) {
        return TYPE.fromBitsRetain(bits);
    }

    /** {@code from_name}. */
    public static Optional<El23Attributes> fromName(String name) {
        return TYPE.fromName(name);
    }

    /** The union of {@code flags}. */
    public static El23Attributes of(El23Attributes... flags) {
        long bits = 0;
        for (El23Attributes f : flags) {
            bits |= f.bits();
        }
        return TYPE.fromBitsRetain(bits);
    }

    /** {@code <El23Attributes as PagingAttributes>::is_bbm_safe(old, new)}. */
    public static boolean isBbmSafe(El23Attributes oldFlags, El23Attributes newFlags) {
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
