package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;

import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.Descriptor;
import dev.pvmfw.paging.Geometry;
import java.util.List;
import java.util.Optional;

/** {@code pvmfw-paging decode}: one descriptor, every field, and aarch64-paging 0.4.0's view of it. */
public final class DescriptorDecode {
    private DescriptorDecode() {}

    /** A multi-line explanation of {@code d}; {@code level} -1 means "at every level". */
    public static String explain(long d, int level) {
        StringBuilder out = new StringBuilder();
        out.append("descriptor 0x").append(String.format("%016x", d)).append('\n');
        if (level >= 0) {
            out.append("  kind at level ").append(level).append(": ").append(kindText(d, level)).append('\n');
        } else {
            for (int l = 0; l <= Geometry.LEAF_LEVEL; l++) {
                out.append("  kind at level ").append(l).append(": ").append(kindText(d, l)).append('\n');
            }
        }
        out.append("  output address (bits 47:12): 0x").append(Long.toHexString(Descriptor.outputAddressOf(d)))
                .append('\n');
        out.append("  attributes: ").append(AttributeText.columns(d).replaceAll(" +", " ")).append('\n');
        out.append("    AttrIndx ").append(AttributeText.attrIndx(d)).append(" (").append(AttributeText.memoryType(d))
                .append("), SH ").append(AttributeText.shareability(d)).append(", AP[2:1] ")
                .append((d >>> 6) & 3).append('\n');
        out.append("  bits set:");
        for (int b = 0; b < 64; b++) {
            if ((d & 1L << b) != 0 && ((1L << b) & Descriptor.PHYSICAL_ADDRESS_BITMASK) == 0) {
                out.append(' ').append(bitName(b));
            }
        }
        out.append('\n');
        Optional<Attributes> flags = Descriptor.flagsOf(d);
        out.append("  aarch64-paging 0.4.0 flags(): ").append(flags.map(f -> "Some(" + f + ")").orElse("None"));
        List<String> problems = AttributeText.flagsProblems(d);
        if (!problems.isEmpty()) {
            out.append(" — ").append(String.join("; ", problems));
        }
        out.append('\n');
        out.append("  is_table_or_page(): ").append(Descriptor.isTableOrPage(d)).append('\n');
        out.append("  Debug: ").append(Descriptor.debugString(d)).append('\n');
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

    static String bitName(int bit) {
        for (String name : Attributes.declaredNames()) {
            Attributes f = Attributes.fromName(name).orElseThrow();
            if (Long.bitCount(f.bits()) == 1 && f.bits() == 1L << bit) {
                return name;
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
