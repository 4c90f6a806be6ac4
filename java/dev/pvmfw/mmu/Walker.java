package dev.pvmfw.mmu;

import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.v0_4_0.Descriptor;
import dev.pvmfw.paging.v0_4_0.RootTable;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A side-effect-free software walk of a {@link RootTable}, with the <em>hardware's</em> rules (VMSAv8-64 stage 1,
 * 4 KiB granule) rather than the crate's: what an MMU would translate, not what aarch64-paging would treat as a table.
 *
 * <p>Descriptor rules, by bits [1:0]:
 * <ul>
 *   <li>{@code 0bx0}: invalid at any level → translation fault at that level;</li>
 *   <li>{@code 0b11} at levels 0–2: a table, whose next-level table is at bits 47:12 (other bits are ignored, unlike
 *       the crate's {@link Descriptor#isTableOrPage}, which also wants the flags known);</li>
 *   <li>{@code 0b01} at levels 1–2: a block; at level 0 it is reserved with a 4 KiB granule (no FEAT_LPA2) →
 *       translation fault at level 0, although aarch64-paging 0.4.0 writes such blocks;</li>
 *   <li>{@code 0b11} at level 3: a page; {@code 0b01} at level 3 is reserved → translation fault at level 3.</li>
 * </ul>
 * A VA outside the table's range (lower range: at or above {@link RootTable#size()}; upper range: below
 * 2<sup>64</sup> − size) is a translation fault reported at level 0, as for a VA whose top bits select no
 * TTBR (compare Linux's "level 0 translation fault" for non-canonical addresses). A table descriptor whose address the
 * {@link Translation} cannot resolve stops the walk with {@link WalkResult.FaultKind#EXTERNAL_ABORT_ON_WALK} at the
 * level that could not be read.
 *
 * <p>The walk reads only; it never allocates, writes or frees, and it is safe on tables a callback corrupted.
 * Access-flag and permission checks are left to the caller (they depend on the access), from the leaf's descriptor.
 */
public final class Walker {
    private Walker() {}

    /** Walks {@code va} through {@code root}. @throws TableMemoryException if the root table itself is gone */
    public static WalkResult walk(RootTable root, long va) {
        return walk(root.translation(), root.rootSegment(), root.level(), root.vaRange(), va);
    }

    /**
     * Walks {@code va} from the root table {@code rootTable} at {@code rootLevel}, resolving table descriptors through
     * {@code translation}: the same walk on anything that holds tables, a live {@link RootTable} or a raw image.
     */
    public static WalkResult walk(Translation translation, MemorySegment rootTable, int rootLevel, VaRange vaRange,
            long va) {
        List<WalkResult.Step> steps = new ArrayList<>(4);
        long size = Geometry.granularityAtLevel(rootLevel) << Geometry.BITS_PER_LEVEL;
        if (!inRange(vaRange, size, va)) {
            return new WalkResult.Faulted(steps, WalkResult.FaultKind.TRANSLATION, 0);
        }
        MemorySegment table = rootTable;
        for (int level = rootLevel; ; level++) {
            int index = Geometry.index(va, level);
            long descriptor = TableLayout.read(table, index);
            steps.add(new WalkResult.Step(level, index, descriptor));
            int kind = (int) (descriptor & 0b11);
            if ((kind & 1) == 0) {
                return new WalkResult.Faulted(steps, WalkResult.FaultKind.TRANSLATION, level);
            }
            if (level == Geometry.LEAF_LEVEL) {
                if (kind != 0b11) {
                    return new WalkResult.Faulted(steps, WalkResult.FaultKind.TRANSLATION, level);
                }
                return new WalkResult.Translated(steps, leaf(level, va, descriptor));
            }
            if (kind == 0b01) {
                if (level == 0) {
                    return new WalkResult.Faulted(steps, WalkResult.FaultKind.TRANSLATION, level);
                }
                return new WalkResult.Translated(steps, leaf(level, va, descriptor));
            }
            MemorySegment next = readTable(translation, descriptor);
            if (next == null) {
                return new WalkResult.Faulted(steps, WalkResult.FaultKind.EXTERNAL_ABORT_ON_WALK, level + 1);
            }
            table = next;
        }
    }

    /**
     * Every leaf the hardware would use, in ascending VA order: valid pages at level 3 and valid blocks at levels 1–2,
     * each with the first VA it maps. Subtables the translation cannot resolve are skipped.
     *
     * @throws TableMemoryException if the root table itself is gone
     */
    public static List<WalkResult.Leaf> validLeaves(RootTable root) {
        List<WalkResult.Leaf> out = new ArrayList<>();
        long base = root.vaRange() == VaRange.UPPER ? -root.size() : 0;
        collect(root.translation(), root.rootSegment(), root.level(), base, out);
        return out;
    }

    private static void collect(Translation translation, MemorySegment table, int level, long base,
            List<WalkResult.Leaf> out) {
        long gran = Geometry.granularityAtLevel(level);
        for (int i = 0; i < Geometry.ENTRIES_PER_TABLE; i++) {
            long descriptor = TableLayout.read(table, i);
            long va = base + i * gran;
            int kind = (int) (descriptor & 0b11);
            if ((kind & 1) == 0) {
                continue;
            }
            if (level == Geometry.LEAF_LEVEL) {
                if (kind == 0b11) {
                    out.add(leaf(level, va, descriptor));
                }
            } else if (kind == 0b01) {
                if (level > 0) {
                    out.add(leaf(level, va, descriptor));
                }
            } else {
                MemorySegment next = readTable(translation, descriptor);
                if (next != null) {
                    collect(translation, next, level + 1, va, out);
                }
            }
        }
    }

    private static boolean inRange(VaRange vaRange, long size, long va) {
        return switch (vaRange) {
            case LOWER -> Long.compareUnsigned(va, size) < 0;
            case UPPER -> Long.compareUnsigned(va, -size) >= 0;
        };
    }

    private static WalkResult.Leaf leaf(int level, long va, long descriptor) {
        long size = Geometry.granularityAtLevel(level);
        long pa = (descriptor & Descriptor.PHYSICAL_ADDRESS_BITMASK & ~(size - 1)) | (va & (size - 1));
        return new WalkResult.Leaf(level, va, pa, descriptor);
    }

    /** The next-level table, or null where the translation holds none (or refuses, e.g. PA 0). */
    private static MemorySegment readTable(Translation translation, long descriptor) {
        try {
            return translation.physicalToVirtual(
                    new PhysicalAddress(descriptor & Descriptor.PHYSICAL_ADDRESS_BITMASK));
        } catch (CratePanic | IllegalStateException | IndexOutOfBoundsException e) {
            return null;
        }
    }
}
