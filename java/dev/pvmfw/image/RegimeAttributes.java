package dev.pvmfw.image;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.DescriptorBits;
import dev.pvmfw.paging.TranslationRegime;
import java.util.ArrayList;
import java.util.List;

/**
 * A block or page descriptor's attributes as the table's translation regime defines them (Arm ARM D8.3, "Memory
 * attribute fields in the VMSAv8-64 translation table format descriptors"; the field names are aarch64-paging 0.12's
 * {@code El1Attributes}, {@code El23Attributes} and {@code Stage2Attributes}, {@code descriptor.rs} at tag 0.12.1):
 *
 * <ul>
 *   <li>EL1&amp;0 and EL2&amp;0 (stage 1, two privilege levels): AttrIndx (the memory type from the MAIR), SH,
 *       AP[2:1], AF, nG, PXN, UXN, DBM, Contiguous;</li>
 *   <li>EL2 and EL3 (stage 1, one privilege level): AttrIndx, SH, AP[2] (AP[1] is RES1: the crate's
 *       {@code USER_RES1}), AF, nG, XN (bit 54; bit 53 is RES0), DBM, Contiguous;</li>
 *   <li>Stage 2: MemAttr[3:0] (bits 5:2, the memory type itself, no MAIR; read without FEAT_S2FWB), S2AP (bits 7:6:
 *       bit 6 read, bit 7 write), SH, AF, XN (bit 54; FEAT_XNX's bit 53 is not read).</li>
 * </ul>
 *
 * The software flags (bits 58:55, {@code SWFLAG_0..3}) belong to every regime.
 */
public final class RegimeAttributes {
    private RegimeAttributes() {}

    /** {@code XN} of El23Attributes and Stage2Attributes: bit 54. */
    public static final long XN = 1L << 54;
    /** Stage 2 MemAttr, bits 5:2. */
    public static final long MEM_ATTR_MASK = 0b1111L << 2;
    /** Stage 2 S2AP, bits 7:6. */
    public static final long S2AP_MASK = 0b11L << 6;
    private static final long S2AP_READ = 1L << 6;
    private static final long S2AP_WRITE = 1L << 7;

    /** One decoded field: its JSON name and value ({@link String}, {@link Boolean} or {@link Integer}). */
    public record Field(String name, Object value) {}

    /** Whether {@code regime} is a stage-1 regime with one privilege level (EL2, EL3). */
    static boolean onePrivilegeLevel(TranslationRegime regime) {
        return regime == TranslationRegime.EL2 || regime == TranslationRegime.EL3;
    }

    /** MemAttr[3:0] of a stage-2 descriptor, bits 5:2. */
    public static int memAttr(long d) {
        return (int) ((d & MEM_ATTR_MASK) >>> 2);
    }

    /**
     * The memory type a stage-2 MemAttr[3:0] encodes without FEAT_S2FWB (Arm ARM, "Stage 2 memory type and
     * Cacheability attributes when FEAT_S2FWB is disabled"): MemAttr[3:2] = 00 is Device, MemAttr[1:0] = 00 nGnRnE,
     * 01 nGnRE, 10 nGRE, 11 GRE ({@code DEVICE/…}, as {@link AttributeText#memoryType(int)}); otherwise Normal with
     * outer cacheability MemAttr[3:2] and inner MemAttr[1:0], each 01 NC, 10 WT, 11 WB ({@code MEM/NORMAL-WB} when
     * they agree, else {@code MEM/NORMAL-O…/I…}); inner 00 with outer not 00 is reserved
     * ({@code UNPREDICTABLE/0x.}).
     */
    public static String stage2MemoryType(int memAttr) {
        int outer = (memAttr >>> 2) & 0b11;
        int inner = memAttr & 0b11;
        if (outer == 0) {
            return "DEVICE/" + switch (inner) {
                case 0 -> "nGnRnE";
                case 1 -> "nGnRE";
                case 2 -> "nGRE";
                default -> "GRE";
            };
        }
        if (inner == 0) {
            return String.format("UNPREDICTABLE/0x%x", memAttr);
        }
        return "MEM/NORMAL-" + (outer == inner ? cacheability(outer)
                : "O" + cacheability(outer) + "/I" + cacheability(inner));
    }

    private static String cacheability(int twoBits) {
        return switch (twoBits) {
            case 1 -> "NC";
            case 2 -> "WT";
            default -> "WB";
        };
    }

    /** S2AP, bits 7:6: {@code none}, {@code RO}, {@code WO} or {@code RW} (the crate's {@code S2AP_ACCESS_*}). */
    public static String s2ap(long d) {
        return switch ((int) ((d & S2AP_MASK) >>> 6)) {
            case 0 -> "none";
            case 1 -> "RO";
            case 2 -> "WO";
            default -> "RW";
        };
    }

    /** The memory type of {@code d} in {@code regime}: stage 2 from MemAttr, stage 1 from {@code config}'s MAIR. */
    public static String memoryType(long d, TranslationRegime regime, MmuConfig config) {
        return regime == TranslationRegime.STAGE2 ? stage2MemoryType(memAttr(d)) : AttributeText.memoryType(d, config);
    }

    /** Whether the memory type of {@code d} in {@code regime} is Device. */
    public static boolean isDevice(long d, TranslationRegime regime, MmuConfig config) {
        return regime == TranslationRegime.STAGE2 ? (memAttr(d) & 0b1100) == 0
                : config.isDevice(AttributeText.attrIndx(d));
    }

    /**
     * Whether the regime's own (most privileged) level may write the leaf: stage 1 AP[2] clear, stage 2 S2AP's
     * write bit (7) set.
     */
    public static boolean writable(long d, TranslationRegime regime) {
        return regime == TranslationRegime.STAGE2 ? (d & S2AP_WRITE) != 0 : AttributeText.writable(d);
    }

    /**
     * Whether the regime's own (most privileged) level may execute the leaf: EL1&amp;0 and EL2&amp;0 PXN (53) clear,
     * EL2, EL3 and stage 2 XN (54) clear.
     */
    public static boolean executable(long d, TranslationRegime regime) {
        return switch (regime) {
            case EL1_AND_0, EL2_AND_0 -> AttributeText.privilegedExecutable(d);
            case EL2, EL3, STAGE2 -> (d & XN) == 0;
        };
    }

    /** The level {@link #writable} and {@link #executable} speak of: {@code EL1}, {@code EL2}, {@code EL3}, stage 2. */
    public static String privilegedLevel(TranslationRegime regime) {
        return switch (regime) {
            case EL1_AND_0 -> "EL1";
            case EL2_AND_0, EL2 -> "EL2";
            case EL3 -> "EL3";
            case STAGE2 -> "stage 2";
        };
    }

    /**
     * ptdump-like fixed-width columns of the regime's fields. Stage 1 with two privilege levels is
     * {@link AttributeText#columns}; EL2/EL3: {@code RW|ro x |XN AF NG DBM CON SH TYPE SWn}; stage 2:
     * {@code S2AP (RW|RO|WO|--) x |XN AF SH TYPE SWn}.
     */
    public static String columns(long d, TranslationRegime regime, MmuConfig config) {
        if (regime == TranslationRegime.EL1_AND_0 || regime == TranslationRegime.EL2_AND_0) {
            return AttributeText.columns(d, config);
        }
        StringBuilder out = new StringBuilder();
        if (regime == TranslationRegime.STAGE2) {
            String ap = s2ap(d);
            out.append(ap.equals("none") ? "--" : ap).append(' ');
            out.append((d & XN) != 0 ? "XN" : "x ").append(' ');
            out.append((d & DescriptorBits.AF) != 0 ? "AF" : "  ").append(' ');
        } else {
            out.append((d & DescriptorBits.AP2_READ_ONLY) != 0 ? "ro" : "RW").append(' ');
            out.append((d & XN) != 0 ? "XN" : "x ").append(' ');
            out.append((d & DescriptorBits.AF) != 0 ? "AF" : "  ").append(' ');
            out.append((d & DescriptorBits.NG) != 0 ? "NG" : "  ").append(' ');
            out.append((d & DescriptorBits.DBM) != 0 ? "DBM" : "   ").append(' ');
            out.append((d & DescriptorBits.CONTIGUOUS) != 0 ? "CON" : "   ").append(' ');
        }
        out.append(AttributeText.shareability(d)).append(' ')
                .append(String.format("%-12s", memoryType(d, regime, config)));
        for (int sw = 0; sw < 4; sw++) {
            if ((d & DescriptorBits.SOFTWARE_BIT_55 << sw) != 0) {
                out.append(" SW").append(sw);
            }
        }
        return out.toString().stripTrailing();
    }

    /**
     * The fields of a leaf {@code d} in {@code regime}, in the order above, for JSON ({@code docs/json.md},
     * "Conventions", {@code attributes}): stage 1 {@code attrIndx}, {@code memoryType}, {@code sh}, {@code ap} (AP[2:1]), {@code af},
     * {@code ng}, then {@code pxn} and {@code uxn} (EL1&amp;0, EL2&amp;0) or {@code xn} (EL2, EL3), {@code dbm},
     * {@code contiguous}; stage 2 {@code memAttr}, {@code memoryType}, {@code s2ap}, {@code sh}, {@code af},
     * {@code xn}; then {@code swflags} (the numbers n of the SWFLAG_n set, as one string {@code "0,2"}, empty if none).
     */
    public static List<Field> fields(long d, TranslationRegime regime, MmuConfig config) {
        List<Field> out = new ArrayList<>();
        if (regime == TranslationRegime.STAGE2) {
            out.add(new Field("memAttr", memAttr(d)));
            out.add(new Field("memoryType", memoryType(d, regime, config)));
            out.add(new Field("s2ap", s2ap(d)));
            out.add(new Field("sh", AttributeText.shareability(d)));
            out.add(new Field("af", (d & DescriptorBits.AF) != 0));
            out.add(new Field("xn", (d & XN) != 0));
        } else {
            out.add(new Field("attrIndx", AttributeText.attrIndx(d)));
            out.add(new Field("memoryType", AttributeText.memoryType(d, config)));
            out.add(new Field("sh", AttributeText.shareability(d)));
            out.add(new Field("ap", (int) ((d >>> 6) & 3)));
            out.add(new Field("af", (d & DescriptorBits.AF) != 0));
            out.add(new Field("ng", (d & DescriptorBits.NG) != 0));
            if (onePrivilegeLevel(regime)) {
                out.add(new Field("xn", (d & XN) != 0));
            } else {
                out.add(new Field("pxn", (d & DescriptorBits.PXN) != 0));
                out.add(new Field("uxn", (d & DescriptorBits.UXN) != 0));
            }
            out.add(new Field("dbm", (d & DescriptorBits.DBM) != 0));
            out.add(new Field("contiguous", (d & DescriptorBits.CONTIGUOUS) != 0));
        }
        StringBuilder sw = new StringBuilder();
        for (int n = 0; n < 4; n++) {
            if ((d & DescriptorBits.SOFTWARE_BIT_55 << n) != 0) {
                sw.append(sw.isEmpty() ? "" : ",").append(n);
            }
        }
        out.add(new Field("swflags", sw.toString()));
        return out;
    }

    /**
     * One line of the fields, for {@code decode}: {@code MemAttr 0b0101 (MEM/NORMAL-NC), S2AP RO, SH SHD, AF, XN}
     * (flags named only when set).
     */
    public static String summary(long d, TranslationRegime regime, MmuConfig config) {
        StringBuilder out = new StringBuilder();
        if (regime == TranslationRegime.STAGE2) {
            out.append("MemAttr 0b").append(String.format("%4s", Integer.toBinaryString(memAttr(d))).replace(' ', '0'))
                    .append(" (").append(memoryType(d, regime, config)).append("), S2AP ").append(s2ap(d));
        } else {
            out.append("AttrIndx ").append(AttributeText.attrIndx(d)).append(" (")
                    .append(AttributeText.memoryType(d, config)).append("), AP[2:1] ").append((d >>> 6) & 3);
        }
        out.append(", SH ").append(AttributeText.shareability(d));
        for (Field f : fields(d, regime, config)) {
            if (f.value() instanceof Boolean b && b) {
                out.append(", ").append(f.name().toUpperCase(java.util.Locale.ROOT));
            }
        }
        return out.toString();
    }
}
