package dev.pvmfw.image;

import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.Descriptor;
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
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder("slot ").append(slot).append(" index ").append(index).append(where)
                    .append("\n  a ").append(Descriptor.debugString(a)).append("\n  b ").append(Descriptor.debugString(b));
            if (Descriptor.outputAddressOf(a) != Descriptor.outputAddressOf(b)) {
                out.append("\n  output address 0x").append(Long.toHexString(Descriptor.outputAddressOf(a)))
                        .append(" -> 0x").append(Long.toHexString(Descriptor.outputAddressOf(b)));
            }
            long fa = a & ~Descriptor.PHYSICAL_ADDRESS_BITMASK;
            long fb = b & ~Descriptor.PHYSICAL_ADDRESS_BITMASK;
            if ((fa & ~fb) != 0) {
                out.append("\n  bits only in a: ").append(Attributes.debugString(fa & ~fb));
            }
            if ((fb & ~fa) != 0) {
                out.append("\n  bits only in b: ").append(Attributes.debugString(fb & ~fa));
            }
            return out.toString();
        }
    }

    /** Differences between {@code a} and {@code b}, in slot and index order; slots present in one only count as zero. */
    public static List<Difference> diff(TableImage a, TableImage b) {
        ImageWalk.Structure walk = ImageWalk.walk(a);
        List<Difference> out = new ArrayList<>();
        int slots = Math.max(a.slots(), b.slots());
        for (int s = 0; s < slots; s++) {
            for (int i = 0; i < Geometry.ENTRIES_PER_TABLE; i++) {
                long x = s < a.slots() ? TableLayout.read(a.table(s), i) : 0;
                long y = s < b.slots() ? TableLayout.read(b.table(s), i) : 0;
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
