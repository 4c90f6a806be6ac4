package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.port.CrateProfile;
import dev.pvmfw.paging.port.RegimeReading;
import java.util.List;

/**
 * {@code pvmfw-paging decode}: one descriptor, every field as the table's regime defines it, and one or more crate
 * versions' verdicts on it, row by row so that they can be compared ({@code flags()}, {@code is_table_or_page()},
 * whether the crate walks it as a subtable, its Debug text).
 */
public final class DescriptorDecode {
    private DescriptorDecode() {}

    /** {@link #explain(long, int, CrateProfile, MmuConfig)} with memory types under pvmfw's MAIR. */
    public static String explain(long d, int level, CrateProfile profile) {
        return explain(d, level, profile, MmuConfig.pvmfw());
    }

    /**
     * {@link #explain(long, int, List, TranslationRegime, MmuConfig)} with one crate version, in its
     * {@link CrateProfile#tableRegime()}.
     */
    public static String explain(long d, int level, CrateProfile profile, MmuConfig mmu) {
        return explain(d, level, List.of(profile), profile.tableRegime(), mmu);
    }

    /**
     * A multi-line explanation of {@code d} in a table of {@code regime}, its memory type (stage 1) under
     * {@code mmu}'s MAIR; {@code level} -1 means "at every level". Each crate version in {@code profiles} gives its
     * verdicts on one line per row, its id first; a version that has no such regime says so instead.
     */
    public static String explain(long d, int level, List<CrateProfile> profiles, TranslationRegime regime,
            MmuConfig mmu) {
        StringBuilder out = new StringBuilder();
        out.append("descriptor 0x").append(String.format("%016x", d)).append(", regime ").append(regime.rustName())
                .append('\n');
        if (level >= 0) {
            out.append("  kind at level ").append(level).append(": ").append(kindText(d, level)).append('\n');
        } else {
            for (int l = 0; l <= Geometry.LEAF_LEVEL; l++) {
                out.append("  kind at level ").append(l).append(": ").append(kindText(d, l)).append('\n');
            }
        }
        out.append("  output address (bits 47:12): 0x").append(Long.toHexString(DescriptorKind.outputAddress(d)))
                .append('\n');
        out.append("  attributes: ").append(RegimeAttributes.columns(d, regime, mmu).replaceAll(" +", " "))
                .append('\n');
        out.append("    ").append(RegimeAttributes.summary(d, regime, mmu)).append('\n');
        int width = profiles.stream().mapToInt(p -> p.id().length()).max().orElse(0);
        long flags = d & ~Geometry.OUTPUT_ADDRESS_MASK;
        row(out, "bits set", profiles, regime, width, p -> {
            StringBuilder bits = new StringBuilder();
            for (int b = 0; b < 64; b++) {
                if ((d & 1L << b) != 0 && ((1L << b) & Geometry.OUTPUT_ADDRESS_MASK) == 0) {
                    bits.append(bits.isEmpty() ? "" : " ").append(bitName(b, p));
                }
            }
            return bits.toString();
        });
        row(out, "flags()", profiles, regime, width, p -> {
            List<String> problems = p.flagsProblems(d);
            return (p.flagsKnown(d) ? "Some(" + p.attributesDebug(flags) + ")" : "None")
                    + (problems.isEmpty() ? "" : " — " + String.join("; ", problems));
        });
        row(out, "is_table_or_page()", profiles, regime, width, p -> String.valueOf(p.isTableOrPage(d)));
        row(out, "walked as a subtable at levels", profiles, regime, width, p -> {
            StringBuilder levels = new StringBuilder();
            for (int l = 0; l < Geometry.LEAF_LEVEL; l++) {
                if (p.isSubtable(d, l)) {
                    levels.append(levels.isEmpty() ? "" : ", ").append(l);
                }
            }
            return levels.isEmpty() ? "none" : levels.toString();
        });
        row(out, "Debug", profiles, regime, width, p -> p.descriptorDebug(d));
        return out.toString();
    }

    /** One row: its title, then one line per crate version, the id padded to {@code width}. */
    private static void row(StringBuilder out, String title, List<CrateProfile> profiles, TranslationRegime regime,
            int width, java.util.function.Function<CrateProfile, String> verdict) {
        out.append("  ").append(title).append(":\n");
        for (CrateProfile p : profiles) {
            out.append("    aarch64-paging ").append(String.format("%-" + width + "s", p.id())).append("  ")
                    .append(p.regimes().contains(regime) ? verdict.apply(RegimeReading.of(p, regime))
                            : "(no " + regime.rustName() + " regime: " + p.id() + " reads "
                                    + String.join(", ", p.regimes().stream().map(TranslationRegime::rustName)
                                            .sorted().toList()) + " tables only)")
                    .append('\n');
        }
    }

    static String kindText(long d, int level) {
        DescriptorKind kind = DescriptorKind.of(d, level);
        return switch (kind) {
            case ZERO -> "zero (invalid)";
            case INVALID -> "invalid (bit 0 clear)";
            case LAZY -> "invalid, SWFLAG_0 set: pvmfw lazy MMIO";
            case BLOCK -> "block of " + Dumps.size(Geometry.granularityAtLevel(level));
            case LEVEL0_BLOCK -> "level-0 block: not supported with the 4 KiB granule (faults)";
            case PAGE -> "page (4K)";
            case RESERVED -> "reserved (0b01 at level 3, faults)";
            case TABLE -> "table descriptor";
        };
    }

    /** The profile's name for a one-bit flag at {@code bit} (in its {@link CrateProfile#tableRegime()}), or the architecture's. */
    static String bitName(int bit, CrateProfile profile) {
        for (CrateProfile.NamedFlag f : profile.flags()) {
            if (f.bits() == 1L << bit) {
                return f.name();
            }
        }
        return switch (bit) {
            case 2, 3, 4 -> "AttrIndx[" + (bit - 2) + "]";
            case 5 -> "NS";
            case 8, 9 -> "SH[" + (bit - 8) + "]";
            case 52 -> "CONTIGUOUS";
            case 53 -> "PXN";
            case 54 -> "UXN";
            default -> "bit" + bit;
        };
    }
}
