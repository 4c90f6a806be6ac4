package dev.pvmfw.paging.v0_12_1;

import java.util.Optional;

/**
 * The attribute bits of a stage-2 descriptor ({@code descriptor::Stage2Attributes}, a bitflags 2.11 struct over
 * {@code usize}), under the crate's names. Several flags share bits (the device and inner memory types are both
 * bits 3:2), which only matters for the Debug text. {@code all()} is {@code 0x07c0_0000_0000_07ff}.
 *
 * <table>
 *   <caption>Flags in declaration order (the order of the Debug text)</caption>
 *   <tr><th>name</th><th>value</th></tr>
 *   <tr><td>VALID, TABLE_OR_PAGE</td><td>bit 0, bit 1</td></tr>
 *   <tr><td>MEMATTR_DEVICE_nGnRnE, _nGnRE, _nGRE, _GRE</td><td>{@code 0..3 << 2}</td></tr>
 *   <tr><td>MEMATTR_NORMAL_INNER_NC, _WT, _WB</td><td>{@code 1..3 << 2}</td></tr>
 *   <tr><td>MEMATTR_NORMAL_OUTER_NC, _WT, _WB</td><td>{@code 1..3 << 4}</td></tr>
 *   <tr><td>S2AP_ACCESS_NONE, _RO, _WO, _RW</td><td>{@code 0..3 << 6}</td></tr>
 *   <tr><td>SH_NONE, SH_OUTER, SH_INNER</td><td>{@code 0, 2, 3 << 8}</td></tr>
 *   <tr><td>ACCESS_FLAG</td><td>bit 10</td></tr>
 *   <tr><td>XN</td><td>bit 54</td></tr>
 *   <tr><td>SWFLAG_0..3</td><td>bits 55..58</td></tr>
 * </table>
 *
 * <p>{@code is_bbm_safe}: on a live valid mapping only VALID, the two S2AP bits, ACCESS_FLAG, XN and SWFLAG_0..3 may
 * differ; bits outside {@code all()} do not count.
 */
public final class Stage2Attributes extends PagingAttributes<Stage2Attributes> {
    /** Bit 0: the descriptor is valid. */
    public static final Stage2Attributes VALID = new Stage2Attributes(1L);
    /** Bit 1: at levels 0–2 a table (set) or a block (clear); at level 3 set for a page. */
    public static final Stage2Attributes TABLE_OR_PAGE = new Stage2Attributes(1L << 1);
    /** MemAttr = 0b0000 (bits 5:2): Device-nGnRnE; zero-valued, so never printed. */
    public static final Stage2Attributes MEMATTR_DEVICE_nGnRnE = new Stage2Attributes(0L << 2);
    /** MemAttr[1:0] = 0b01 (bits 3:2): Device-nGnRE. */
    public static final Stage2Attributes MEMATTR_DEVICE_nGnRE = new Stage2Attributes(1L << 2);
    /** MemAttr[1:0] = 0b10 (bits 3:2): Device-nGRE. */
    public static final Stage2Attributes MEMATTR_DEVICE_nGRE = new Stage2Attributes(2L << 2);
    /** MemAttr[1:0] = 0b11 (bits 3:2): Device-GRE. */
    public static final Stage2Attributes MEMATTR_DEVICE_GRE = new Stage2Attributes(3L << 2);
    /** Inner non-cacheable. */
    public static final Stage2Attributes MEMATTR_NORMAL_INNER_NC = new Stage2Attributes(1L << 2);
    /** Inner write-through cacheable. */
    public static final Stage2Attributes MEMATTR_NORMAL_INNER_WT = new Stage2Attributes(2L << 2);
    /** Inner write-back cacheable. */
    public static final Stage2Attributes MEMATTR_NORMAL_INNER_WB = new Stage2Attributes(3L << 2);
    /** Outer non-cacheable. */
    public static final Stage2Attributes MEMATTR_NORMAL_OUTER_NC = new Stage2Attributes(1L << 4);
    /** Outer write-through cacheable. */
    public static final Stage2Attributes MEMATTR_NORMAL_OUTER_WT = new Stage2Attributes(2L << 4);
    /** Outer write-back cacheable. */
    public static final Stage2Attributes MEMATTR_NORMAL_OUTER_WB = new Stage2Attributes(3L << 4);
    /** S2AP = 0b00 (bits 7:6): no access; zero-valued, so never printed. */
    public static final Stage2Attributes S2AP_ACCESS_NONE = new Stage2Attributes(0L << 6);
    /** S2AP = 0b01 (bits 7:6): read-only. */
    public static final Stage2Attributes S2AP_ACCESS_RO = new Stage2Attributes(1L << 6);
    /** S2AP = 0b10 (bits 7:6): write-only. */
    public static final Stage2Attributes S2AP_ACCESS_WO = new Stage2Attributes(2L << 6);
    /** S2AP = 0b11 (bits 7:6): read/write. */
    public static final Stage2Attributes S2AP_ACCESS_RW = new Stage2Attributes(3L << 6);
    /** SH = 0b00 (bits 9:8): non-shareable; zero-valued, so never printed. */
    public static final Stage2Attributes SH_NONE = new Stage2Attributes(0L << 8);
    /** SH = 0b10 (bits 9:8): outer shareable. */
    public static final Stage2Attributes SH_OUTER = new Stage2Attributes(2L << 8);
    /** SH = 0b11 (bits 9:8): inner shareable. */
    public static final Stage2Attributes SH_INNER = new Stage2Attributes(3L << 8);
    /** Bit 10, AF: the Access flag. */
    public static final Stage2Attributes ACCESS_FLAG = new Stage2Attributes(1L << 10);
    /** Bit 54: execute-never. */
    public static final Stage2Attributes XN = new Stage2Attributes(1L << 54);
    /** Bit 55: reserved for software. */
    public static final Stage2Attributes SWFLAG_0 = new Stage2Attributes(1L << 55);
    /** Bit 56: reserved for software. */
    public static final Stage2Attributes SWFLAG_1 = new Stage2Attributes(1L << 56);
    /** Bit 57: reserved for software. */
    public static final Stage2Attributes SWFLAG_2 = new Stage2Attributes(1L << 57);
    /** Bit 58: reserved for software. */
    public static final Stage2Attributes SWFLAG_3 = new Stage2Attributes(1L << 58);

    private static final String[] NAMES = {
        "VALID", "TABLE_OR_PAGE", "MEMATTR_DEVICE_nGnRnE", "MEMATTR_DEVICE_nGnRE", "MEMATTR_DEVICE_nGRE",
        "MEMATTR_DEVICE_GRE", "MEMATTR_NORMAL_INNER_NC", "MEMATTR_NORMAL_INNER_WT", "MEMATTR_NORMAL_INNER_WB",
        "MEMATTR_NORMAL_OUTER_NC", "MEMATTR_NORMAL_OUTER_WT", "MEMATTR_NORMAL_OUTER_WB", "S2AP_ACCESS_NONE",
        "S2AP_ACCESS_RO", "S2AP_ACCESS_WO", "S2AP_ACCESS_RW", "SH_NONE", "SH_OUTER", "SH_INNER", "ACCESS_FLAG", "XN",
        "SWFLAG_0", "SWFLAG_1", "SWFLAG_2", "SWFLAG_3",
    };
    private static final Stage2Attributes[] DECLARED = {
        VALID, TABLE_OR_PAGE, MEMATTR_DEVICE_nGnRnE, MEMATTR_DEVICE_nGnRE, MEMATTR_DEVICE_nGRE, MEMATTR_DEVICE_GRE,
        MEMATTR_NORMAL_INNER_NC, MEMATTR_NORMAL_INNER_WT, MEMATTR_NORMAL_INNER_WB, MEMATTR_NORMAL_OUTER_NC,
        MEMATTR_NORMAL_OUTER_WT, MEMATTR_NORMAL_OUTER_WB, S2AP_ACCESS_NONE, S2AP_ACCESS_RO, S2AP_ACCESS_WO,
        S2AP_ACCESS_RW, SH_NONE, SH_OUTER, SH_INNER, ACCESS_FLAG, XN, SWFLAG_0, SWFLAG_1, SWFLAG_2, SWFLAG_3,
    };

    private static final long[] DECLARED_BITS = bitsOf(DECLARED);
    /** {@code all().bits()}. */
    static final long ALL_BITS = Bitflags.all(DECLARED_BITS);

    /** The bits that may differ on a live valid mapping without break-before-make ("also covers NONE, RO, WO"). */
    static final long ALLOWED = VALID.bits() | S2AP_ACCESS_RW.bits() | ACCESS_FLAG.bits() | XN.bits()
            | SWFLAG_0.bits() | SWFLAG_1.bits() | SWFLAG_2.bits() | SWFLAG_3.bits();

    /** The type as a value. */
    public static final Type<Stage2Attributes> TYPE = new Type<>("Stage2Attributes", NAMES, DECLARED_BITS,
            Stage2Attributes::new, Stage2Attributes::bbmSafe);

    private Stage2Attributes(long bits) {
        super(bits);
    }

    @Override
    public Type<Stage2Attributes> type() {
        return TYPE;
    }

    /** {@code empty()}. */
    public static Stage2Attributes empty() {
        return TYPE.empty();
    }

    /** {@code all()}: {@code 0x07c0_0000_0000_07ff}. */
    public static Stage2Attributes all() {
        return TYPE.all();
    }

    /** {@code from_bits}: present iff no bit lies outside {@code all()}. */
    public static Optional<Stage2Attributes> fromBits(long bits) {
        return TYPE.fromBits(bits);
    }

    /** {@code from_bits_truncate}: {@code bits & all()}. */
    public static Stage2Attributes fromBitsTruncate(long bits) {
        return TYPE.fromBitsTruncate(bits);
    }

    /** {@code from_bits_retain}: exactly {@code bits}. */
    public static Stage2Attributes fromBitsRetain(long bits) {
        return TYPE.fromBitsRetain(bits);
    }

    /** {@code from_name}. */
    public static Optional<Stage2Attributes> fromName(String name) {
        return TYPE.fromName(name);
    }

    /** The union of {@code flags}. */
    public static Stage2Attributes of(Stage2Attributes... flags) {
        long bits = 0;
        for (Stage2Attributes f : flags) {
            bits |= f.bits();
        }
        return TYPE.fromBitsRetain(bits);
    }

    /** {@code <Stage2Attributes as PagingAttributes>::is_bbm_safe(old, new)}. */
    public static boolean isBbmSafe(Stage2Attributes oldFlags, Stage2Attributes newFlags) {
        return bbmSafe(oldFlags.bits(), newFlags.bits());
    }

    /** {@code ((old ^ new) & !ALLOWED).is_empty()}, with bitflags 2.11's truncating {@code !}. */
    static boolean bbmSafe(long oldFlags, long newFlags) {
        return ((oldFlags ^ newFlags) & ~ALLOWED & ALL_BITS) == 0;
    }
}
