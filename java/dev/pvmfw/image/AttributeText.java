package dev.pvmfw.image;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.DescriptorBits;
import java.util.List;

/**
 * One table-driven decoder of stage-1 block/page attribute bits (Linux ptdump's {@code prot_bits} idea), shared by the
 * dumps, {@code decode}, {@code translate} and {@code check}. The memory type is the MAIR attribute the descriptor's
 * AttrIndx selects, in the {@link MmuConfig} the image is read with ({@link #memoryType(int)}).
 */
public final class AttributeText {
    private AttributeText() {}

    /** A bit field with the column text when set and clear. */
    private record Field(long mask, String set, String clear) {}

    private static final List<Field> COLUMNS = List.of(
            new Field(DescriptorBits.AP2_READ_ONLY, "ro", "RW"),
            new Field(DescriptorBits.PXN, "NX", "x "),
            new Field(DescriptorBits.UXN, "UXN", "   "),
            new Field(DescriptorBits.AP1_USER, "USR", "   "),
            new Field(DescriptorBits.AF, "AF", "  "),
            new Field(DescriptorBits.NG, "NG", "  "),
            new Field(DescriptorBits.DBM, "DBM", "   "),
            new Field(DescriptorBits.CONTIGUOUS, "CON", "   "));

    private static final int SH_SHIFT = Long.numberOfTrailingZeros(DescriptorBits.SH_MASK);
    /** The four software bits, 58:55. */
    private static final int SOFTWARE_BITS = 4;

    /** AttrIndx, bits 4:2. */
    public static int attrIndx(long d) {
        return (int) ((d & DescriptorBits.ATTR_INDX_MASK) >>> DescriptorBits.ATTR_INDX_SHIFT);
    }

    /** The memory type of {@code d} under {@code config}'s MAIR: {@link #memoryType(int)} of its AttrIndx's byte. */
    public static String memoryType(long d, MmuConfig config) {
        return memoryType(config.attribute(attrIndx(d)));
    }

    /**
     * The memory type a MAIR attribute byte encodes (Arm ARM, MAIR_ELx.Attr&lt;n&gt;), in ptdump's words where Linux
     * has one: {@code 0b0000dd00} Device, dd = 00 {@code DEVICE/nGnRnE}, 01 {@code DEVICE/nGnRE}, 10
     * {@code DEVICE/nGRE}, 11 {@code DEVICE/GRE} ({@code 0b0000dd01}, FEAT_XS: the same with {@code -XS0}); Normal
     * {@code 0booooiiii}: {@code 0xff} (write-back, read/write-allocate, non-transient, inner and outer: the Normal
     * memory every kernel uses) {@code MEM/NORMAL}, {@code 0x44} {@code MEM/NORMAL-NC}, {@code 0xf0} (FEAT_MTE2)
     * {@code MEM/NORMAL-TAGGED}, otherwise {@code MEM/NORMAL-} and the cacheability of each half
     * ({@link #cacheability}), once if inner and outer agree, else {@code O…/I…}; {@code 0x40} and {@code 0xa0}
     * (FEAT_XS) Normal with {@code -XS0}; anything else {@code UNPREDICTABLE/0x..}.
     */
    public static String memoryType(int attr) {
        int outer = (attr >>> 4) & 0xf;
        int inner = attr & 0xf;
        if (outer == 0) {
            String dd = switch (inner >>> 2) {
                case 0 -> "nGnRnE";
                case 1 -> "nGnRE";
                case 2 -> "nGRE";
                default -> "GRE";
            };
            return switch (inner & 0b11) {
                case 0b00 -> "DEVICE/" + dd;
                case 0b01 -> "DEVICE/" + dd + "-XS0";
                default -> unpredictable(attr);
            };
        }
        if (inner == 0) {
            return switch (attr) {
                case 0x40 -> "MEM/NORMAL-NC-XS0";
                case 0xa0 -> "MEM/NORMAL-WT-RA-XS0";
                case 0xf0 -> "MEM/NORMAL-TAGGED";
                default -> unpredictable(attr);
            };
        }
        if (attr == 0xff) {
            return "MEM/NORMAL";
        }
        return "MEM/NORMAL-" + (outer == inner ? cacheability(outer)
                : "O" + cacheability(outer) + "/I" + cacheability(inner));
    }

    /**
     * One half of a Normal attribute (Attr&lt;n&gt;[7:4] outer, [3:0] inner, not 0): {@code NC} for 0b0100, else
     * {@code WT} (0bx0RW) or {@code WB} (0bx1RW), {@code t} if transient (0b0xRW), and the allocation hints R and W
     * ({@code -RWA}, {@code -RA}, {@code -WA}, {@code -NA} for none): 0b1111 is {@code WB-RWA}.
     */
    static String cacheability(int half) {
        if (half == 0b0100) {
            return "NC";
        }
        boolean r = (half & 0b10) != 0;
        boolean w = (half & 0b01) != 0;
        return ((half & 0b0100) != 0 ? "WB" : "WT") + ((half & 0b1000) == 0 ? "t" : "") + "-"
                + (r || w ? (r ? "R" : "") + (w ? "W" : "") + "A" : "NA");
    }

    private static String unpredictable(int attr) {
        return String.format("UNPREDICTABLE/0x%02x", attr);
    }

    /** Shareability, bits 9:8. */
    public static String shareability(long d) {
        return switch ((int) ((d & DescriptorBits.SH_MASK) >>> SH_SHIFT)) {
            case 0 -> "NSH";
            case 2 -> "OSH";
            case 3 -> "SHD";
            default -> "SH?";
        };
    }

    /**
     * ptdump-like fixed-width columns: {@code RW NX UXN USR AF NG DBM CON SHD MEM/NORMAL SW0 …}, the memory type under
     * {@code config}'s MAIR.
     */
    public static String columns(long d, MmuConfig config) {
        StringBuilder out = new StringBuilder();
        for (Field f : COLUMNS) {
            out.append((d & f.mask()) != 0 ? f.set() : f.clear()).append(' ');
        }
        out.append(shareability(d)).append(' ').append(String.format("%-12s", memoryType(d, config)));
        for (int sw = 0; sw < SOFTWARE_BITS; sw++) {
            if ((d & DescriptorBits.SOFTWARE_BIT_55 << sw) != 0) {
                out.append(" SW").append(sw);
            }
        }
        return out.toString().stripTrailing();
    }

    /** Whether the leaf is writable at EL1 (AP[2] clear). */
    public static boolean writable(long d) {
        return (d & DescriptorBits.AP2_READ_ONLY) == 0;
    }

    /** Whether EL1 may execute it (PXN clear). */
    public static boolean privilegedExecutable(long d) {
        return (d & DescriptorBits.PXN) == 0;
    }
}
