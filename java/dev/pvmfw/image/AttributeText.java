package dev.pvmfw.image;

import java.util.List;

/**
 * One table-driven decoder of stage-1 block/page attribute bits (Linux ptdump's {@code prot_bits} idea), shared by the
 * dumps, {@code decode} and {@code check}. Memory types assume pvmfw's MAIR: Attr0 Device-nGnRE, Attr1 Normal WB.
 */
public final class AttributeText {
    private AttributeText() {}

    /** AP[2], bit 7: read-only. */
    private static final long AP2_READ_ONLY = 1L << 7;

    /** A bit field with the column text when set and clear. */
    private record Field(long mask, long value, String set, String clear) {}

    private static final List<Field> COLUMNS = List.of(
            new Field(1L << 7, 1L << 7, "ro", "RW"),
            new Field(1L << 53, 1L << 53, "NX", "x "),
            new Field(1L << 54, 1L << 54, "UXN", "   "),
            new Field(1L << 6, 1L << 6, "USR", "   "),
            new Field(1L << 10, 1L << 10, "AF", "  "),
            new Field(1L << 11, 1L << 11, "NG", "  "),
            new Field(1L << 51, 1L << 51, "DBM", "   "),
            new Field(1L << 52, 1L << 52, "CON", "   "));

    /** AttrIndx, bits 4:2. */
    public static int attrIndx(long d) {
        return (int) ((d >>> 2) & 7);
    }

    /** Memory type under pvmfw's MAIR. */
    public static String memoryType(long d) {
        return switch (attrIndx(d)) {
            case 0 -> "DEVICE/nGnRE";
            case 1 -> "MEM/NORMAL";
            default -> "ATTR" + attrIndx(d);
        };
    }

    /** Shareability, bits 9:8. */
    public static String shareability(long d) {
        return switch ((int) ((d >>> 8) & 3)) {
            case 0 -> "NSH";
            case 2 -> "OSH";
            case 3 -> "SHD";
            default -> "SH?";
        };
    }

    /** ptdump-like fixed-width columns: {@code RW NX UXN USR AF NG DBM CON SHD MEM/NORMAL SW0 …}. */
    public static String columns(long d) {
        StringBuilder out = new StringBuilder();
        for (Field f : COLUMNS) {
            out.append((d & f.mask()) == f.value() ? f.set() : f.clear()).append(' ');
        }
        out.append(shareability(d)).append(' ').append(String.format("%-12s", memoryType(d)));
        for (int sw = 0; sw < 4; sw++) {
            if ((d & 1L << (55 + sw)) != 0) {
                out.append(" SW").append(sw);
            }
        }
        return out.toString().stripTrailing();
    }

    /** Whether the leaf is writable at EL1 (AP[2] clear). */
    public static boolean writable(long d) {
        return (d & AP2_READ_ONLY) == 0;
    }

    /** Whether EL1 may execute it (PXN, bit 53, clear). */
    public static boolean privilegedExecutable(long d) {
        return (d & 1L << 53) == 0;
    }
}
