package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.paging.port.CrateProfile;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.internal.TableLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry-level differences between two images read with the same parameters: every differing descriptor, located by
 * slot and index and, where the first image's walk reaches the slot, by level and VA, with both values decoded and the
 * attribute bits that differ.
 */
public final class ImageDiff {
    private ImageDiff() {}

    /**
     * One differing entry.
     *
     * @param slot slot
     * @param index index
     * @param where level and VA if known
     * @param a value in the first image
     * @param b value in the second
     */
    public record Difference(int slot, int index, String where, long a, long b) {
        /** Both values decoded with {@code profile}'s Debug text, and the address and bits that differ. */
        public String describe(CrateProfile profile) {
            StringBuilder out = new StringBuilder("slot ").append(slot).append(" index ").append(index).append(where)
                    .append("\n  a ").append(profile.descriptorDebug(a)).append("\n  b ")
                    .append(profile.descriptorDebug(b));
            if (DescriptorKind.outputAddress(a) != DescriptorKind.outputAddress(b)) {
                out.append("\n  output address 0x").append(Long.toHexString(DescriptorKind.outputAddress(a)))
                        .append(" -> 0x").append(Long.toHexString(DescriptorKind.outputAddress(b)));
            }
            long fa = a & ~Geometry.OUTPUT_ADDRESS_MASK;
            long fb = b & ~Geometry.OUTPUT_ADDRESS_MASK;
            if ((fa & ~fb) != 0) {
                out.append("\n  bits only in a: ").append(profile.attributesDebug(fa & ~fb));
            }
            if ((fb & ~fa) != 0) {
                out.append("\n  bits only in b: ").append(profile.attributesDebug(fb & ~fa));
            }
            return out.toString();
        }
    }

    /** Differences between {@code a} and {@code b}, in slot and index order; slots present in one only count as zero. */
    public static List<Difference> diff(TableImage a, TableImage b, CrateProfile profile) {
        ImageWalk.Structure walk = ImageWalk.walk(a, profile);
        List<Difference> out = new ArrayList<>();
        int slots = Math.max(a.slots(), b.slots());
        for (int s = 0; s < slots; s++) {
            for (int i = 0; i < Geometry.ENTRIES_PER_TABLE; i++) {
                long x = s < a.slots() ? TableLayout.read(a.slot(s), i) : 0;
                long y = s < b.slots() ? TableLayout.read(b.slot(s), i) : 0;
                if (x != y) {
                    ImageWalk.Table t = walk.tableAt(s);
                    String where = t == null ? " (not reachable in a)" : " (level " + t.level() + ", VA 0x"
                            + Long.toHexString(t.baseVa() + i * Geometry.granularityAtLevel(t.level())) + ")";
                    out.add(new Difference(s, i, where, x, y));
                }
            }
        }
        return out;
    }
}
