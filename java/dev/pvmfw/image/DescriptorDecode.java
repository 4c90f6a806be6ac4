package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.port.CrateProfile;
import java.util.List;

/** {@code pvmfw-paging decode}: one descriptor, every field, and a crate version's view of it. */
public final class DescriptorDecode {
    private DescriptorDecode() {}

    /** {@link #explain(long, int, CrateProfile, MmuConfig)} with memory types under pvmfw's MAIR. */
    public static String explain(long d, int level, CrateProfile profile) {
        return explain(d, level, profile, MmuConfig.pvmfw());
    }

    /**
     * A multi-line explanation of {@code d}, its memory type under {@code mmu}'s MAIR; {@code level} -1 means "at
     * every level".
     */
    public static String explain(long d, int level, CrateProfile profile, MmuConfig mmu) {
        StringBuilder out = new StringBuilder();
        out.append("descriptor 0x").append(String.format("%016x", d)).append('\n');
        if (level >= 0) {
            out.append("  kind at level ").append(level).append(": ").append(kindText(d, level)).append('\n');
        } else {
            for (int l = 0; l <= Geometry.LEAF_LEVEL; l++) {
                out.append("  kind at level ").append(l).append(": ").append(kindText(d, l)).append('\n');
            }
        }
        out.append("  output address (bits 47:12): 0x").append(Long.toHexString(DescriptorKind.outputAddress(d)))
                .append('\n');
        out.append("  attributes: ").append(AttributeText.columns(d, mmu).replaceAll(" +", " ")).append('\n');
        out.append("    AttrIndx ").append(AttributeText.attrIndx(d)).append(" (")
                .append(AttributeText.memoryType(d, mmu))
                .append("), SH ").append(AttributeText.shareability(d)).append(", AP[2:1] ")
                .append((d >>> 6) & 3).append('\n');
        out.append("  bits set:");
        for (int b = 0; b < 64; b++) {
            if ((d & 1L << b) != 0 && ((1L << b) & Geometry.OUTPUT_ADDRESS_MASK) == 0) {
                out.append(' ').append(bitName(b, profile));
            }
        }
        out.append('\n');
        long flags = d & ~Geometry.OUTPUT_ADDRESS_MASK;
        out.append("  aarch64-paging ").append(profile.id()).append(" flags(): ")
                .append(profile.flagsKnown(d) ? "Some(" + profile.attributesDebug(flags) + ")" : "None");
        List<String> problems = profile.flagsProblems(d);
        if (!problems.isEmpty()) {
            out.append(" — ").append(String.join("; ", problems));
        }
        out.append('\n');
        out.append("  is_table_or_page(): ").append(profile.isTableOrPage(d)).append('\n');
        out.append("  Debug: ").append(profile.descriptorDebug(d)).append('\n');
        return out.toString();
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

    /** The profile's name for a one-bit flag at {@code bit}, or the architecture's. */
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
