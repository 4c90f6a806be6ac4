package dev.pvmfw.era;

import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.paging.port.MmuOpsException;
import dev.pvmfw.paging.port.Pte;
import dev.pvmfw.paging.port.PteFlags;
import dev.pvmfw.paging.port.PteVisitor;
import java.util.ArrayList;
import java.util.List;

/**
 * The two walks the eras from 2023-11 on were written for — aarch64-paging 0.5's {@code modify_range} and
 * {@code walk_range} ({@code 0.5.0:src/paging.rs}) — on whatever crate version is under the port
 * ({@code docs/pvmfw-2023-11.md}, "The port onto 0.4.0"). In 0.5 both pass <em>leaves only</em> (never a table
 * descriptor); {@code modify_range} first splits a block the range does not cover whole, and gives each leaf its exact
 * chunk; {@code walk_range} never splits and gives each leaf its chunk clipped to the range.
 *
 * <p>Written once against {@link MmuOps}, crate-neutrally: a table descriptor ({@link Pte#isTableOrPage()} below
 * level 3), which 0.4.0's {@code modify_range} passes and later releases do not, is skipped here; a lazy block that
 * the range cuts (a leaf covering more than the range, which only a crate that does not split can show) is split by
 * re-mapping the part of it in the range with {@link MmuOps#mapDeviceLazy} — which on 0.4.0 recreates the block in a
 * new table with its old flags and writes the same lazy descriptors, so the bytes are those 0.5's split leaves
 * (identity map: a lazy leaf's output address is its VA). A crate that splits itself never shows such a leaf.
 *
 * <p>Where this differs from 0.5: only <em>lazy</em> blocks ({@link PteFlags#SWFLAG_0} set, VALID clear) are split.
 * 0.5 splits any non-table entry the range cuts — an empty one into a new table of junk entries (the fill-on-split
 * quirk of 0.4 and 0.5), a valid one on a live table not at all (a break-before-make violation); in every such case the
 * eras' updaters then fail on the entry (it is not lazy), so the outcome is the same and only 0.5's extra table is
 * missing here. 0.5's break-before-make dry run on a live table (the updater run on a copy first) is not reproduced:
 * the eras' lazy updaters only touch invalid descriptors, which that pass ignores.
 */
public final class LeafWalks {
    private LeafWalks() {}

    /**
     * A leaf callback of {@link #walkRange}: 0.5's {@code walk_range} callback, given the leaf's chunk clipped to the
     * range. It must not change the descriptor.
     */
    @FunctionalInterface
    public interface LeafReader {
        /**
         * One leaf.
         *
         * @param chunk the leaf's VA range clipped to the walked range
         * @param leaf the descriptor (read it only)
         * @return true for {@code Ok(())}, false for {@code Err(())}, which stops the walk
         */
        boolean visit(MemoryRegion chunk, Pte leaf);
    }

    /**
     * 0.5's {@code modify_range(&MemoryRegion::new(start, end), f)}: lazy blocks the range cuts are split first, then
     * {@code f} runs on every leaf in the range in VA order, with the leaf's chunk; the first false stops the walk
     * (updates already made stay).
     *
     * @throws MmuOpsException the crate's error: AddressRange, RegionBackwards, PteUpdateFault when {@code f} returns
     *     false, or a map error of the split
     */
    public static void modifyRange(MmuOps table, long start, long end, PteVisitor f) throws MmuOpsException {
        MemoryRegion request = MemoryRegion.of(start, end);
        List<MemoryRegion> cut = new ArrayList<>();
        table.modifyRange(start, end, (range, pte) -> {
            if (!isTable(pte) && isLazy(pte.bits()) && !within(range, request)) {
                cut.add(clip(range, request));
            }
            return true;
        });
        for (MemoryRegion part : cut) {
            table.mapDeviceLazy(part.startValue(), part.endValue());
        }
        table.modifyRange(start, end, (range, pte) -> isTable(pte) || f.visit(clip(range, request), pte));
    }

    /**
     * 0.5's {@code walk_range(&MemoryRegion::new(start, end), f)}: {@code f} on every leaf in the range in VA order,
     * with the leaf's chunk clipped to the range; nothing is split or changed; the first false stops the walk.
     *
     * @throws MmuOpsException the crate's error: AddressRange, RegionBackwards, PteUpdateFault when {@code f} returns
     *     false
     */
    public static void walkRange(MmuOps table, long start, long end, LeafReader f) throws MmuOpsException {
        MemoryRegion request = MemoryRegion.of(start, end);
        table.modifyRange(start, end, (range, pte) -> isTable(pte) || f.visit(clip(range, request), pte));
    }

    /** A table descriptor as the crate walks it: below level 3 and {@code is_table_or_page}. */
    static boolean isTable(Pte pte) {
        return pte.level() < Geometry.LEAF_LEVEL && pte.isTableOrPage();
    }

    /** pvmfw's lazy descriptor: SWFLAG_0 ({@code MMIO_LAZY_MAP_FLAG}) set and VALID clear. */
    static boolean isLazy(long descriptor) {
        return (descriptor & PteFlags.SWFLAG_0) != 0 && (descriptor & PteFlags.VALID) == 0;
    }

    private static boolean within(MemoryRegion inner, MemoryRegion outer) {
        return Long.compareUnsigned(inner.startValue(), outer.startValue()) >= 0
                && Long.compareUnsigned(inner.endValue() - 1, outer.endValue() - 1) <= 0;
    }

    private static MemoryRegion clip(MemoryRegion range, MemoryRegion request) {
        long start = Long.compareUnsigned(range.startValue(), request.startValue()) >= 0 ? range.startValue()
                : request.startValue();
        long end = Long.compareUnsigned(range.endValue() - 1, request.endValue() - 1) <= 0 ? range.endValue()
                : request.endValue();
        return MemoryRegion.aligned(start, end);
    }
}
