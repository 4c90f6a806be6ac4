package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.paging.port.CrateProfile;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.internal.TableLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.lang.foreign.MemorySegment;

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
        List<Difference> out = new ArrayList<>();
        forEach(a, b, profile, out::add);
        return out;
    }

    /**
     * Each difference between {@code a} and {@code b} to {@code action} as it is found, in slot and index order,
     * without collecting them: one pass over both images, each slot located through the index of {@code a}'s walk
     * (one lookup per slot), so time is linear in the images and memory in {@code a}'s reachable tables.
     *
     * @return how many differences there were
     */
    public static long forEach(TableImage a, TableImage b, CrateProfile profile, Consumer<Difference> action) {
        ImageWalk.Structure walk = ImageWalk.walk(a, profile);
        long count = 0;
        int slots = Math.max(a.slots(), b.slots());
        long[] xs = new long[Geometry.ENTRIES_PER_TABLE];
        long[] ys = new long[Geometry.ENTRIES_PER_TABLE];
        for (int s = 0; s < slots; s++) {
            MemorySegment x = s < a.slots() ? a.slot(s) : null;
            MemorySegment y = s < b.slots() ? b.slot(s) : null;
            if (x != null && y != null && x.mismatch(y) < 0) {
                continue; // the common case: the slot is the same in both
            }
            ImageWalk.Table t = walk.tableAt(s);
            // One bulk read of each side per differing slot, not one access per entry.
            if (x != null) {
                MemorySegment.copy(x, TableLayout.DESCRIPTOR, 0, xs, 0, Geometry.ENTRIES_PER_TABLE);
            }
            if (y != null) {
                MemorySegment.copy(y, TableLayout.DESCRIPTOR, 0, ys, 0, Geometry.ENTRIES_PER_TABLE);
            }
            if (x == null) {
                java.util.Arrays.fill(xs, 0);
            }
            if (y == null) {
                java.util.Arrays.fill(ys, 0);
            }
            for (int i = 0; i < Geometry.ENTRIES_PER_TABLE; i++) {
                int skip = java.util.Arrays.mismatch(xs, i, Geometry.ENTRIES_PER_TABLE, ys, i,
                        Geometry.ENTRIES_PER_TABLE); // past the equal entries at once
                if (skip < 0) {
                    break;
                }
                i += skip;
                long u = xs[i];
                long v = ys[i];
                String where = t == null ? " (not reachable in a)" : " (level " + t.level() + ", VA 0x"
                        + Long.toHexString(t.baseVa() + i * Geometry.granularityAtLevel(t.level())) + ")";
                action.accept(new Difference(s, i, where, u, v));
                count++;
            }
        }
        return count;
    }
}
