package dev.pvmfw.paging;

import java.lang.foreign.MemorySegment;
import java.util.OptionalInt;

/**
 * One table and its level: the recursive algorithms of aarch64-paging 0.4.0 ({@code PageTableWithLevel}), on raw
 * 64-bit values. Version-specific encodings come from {@link Profile}.
 *
 * <p>Arithmetic wraps and compares unsigned, as the crate's release build does. One consequence, reproduced on
 * purpose: a chunk in the last granule below 2<sup>64</sup> (upper VA range) ends at 0, {@code [s, 0)}, which counts as
 * a whole block.
 *
 * <p>Invariant relied on throughout: every range passed in is page-aligned (it comes from a {@link MemoryRegion}).
 */
final class PageTableWithLevel {
    final MemorySegment table;
    final int level;

    PageTableWithLevel(MemorySegment table, int level) {
        this.table = table;
        this.level = level;
    }

    /** {@code subtable()}: the table this entry points to, if it is a table descriptor at a level above 3. */
    private PageTableWithLevel subtable(Translation translation, long entry) {
        if (level < Paging.LEAF_LEVEL && Descriptor.isTableOrPage(entry)) {
            return new PageTableWithLevel(
                    translation.physicalToVirtual(new PhysicalAddress(Descriptor.outputAddressOf(entry))), level + 1);
        }
        return null;
    }

    /**
     * {@code map_range}, §6.4. Per chunk, in ascending order: a page at level 3; a block if the chunk is a whole
     * granule, the entry is not a table and pa is aligned; otherwise descend, splitting a non-table entry: allocate
     * first, re-create the old entry in the new table (Profile.recreatesOnSplit), then write the table descriptor.
     * Cannot fail except through the translation (TableMemoryException), leaving earlier chunks written.
     */
    void mapRange(Translation translation, long start, long end, long pa, long flags) {
        long gran = Paging.granularityAtLevel(level);
        for (long s = start; Chunks.inRange(start, end, s); ) {
            long e = Chunks.end(s, end, gran);
            int index = Paging.index(s, level);
            long entry = TableLayout.read(table, index);
            if (level == Paging.LEAF_LEVEL) {
                TableLayout.write(table, index, Profile.pageEntry(pa, flags));
            } else if (Chunks.isBlock(s, e, gran) && !Descriptor.isTableOrPage(entry) && Paging.isAligned(pa, gran)
                    && Profile.blockAllowedAtLevel(level)) {
                TableLayout.write(table, index, Profile.blockEntry(pa, flags));
            } else {
                PageTableWithLevel sub = subtable(translation, entry);
                if (sub == null) {
                    AllocatedTable fresh = translation.allocateTable();
                    sub = new PageTableWithLevel(fresh.table(), level + 1);
                    if (Profile.recreatesOnSplit(entry)) {
                        sub.mapRange(translation, Paging.alignDown(s, gran), Paging.alignUp(e, gran),
                                Descriptor.outputAddressOf(entry), entry & ~Descriptor.PHYSICAL_ADDRESS_BITMASK);
                    }
                    TableLayout.write(table, index, Profile.tableEntry(fresh.pa().value()));
                }
                sub.mapRange(translation, s, e, pa, flags);
            }
            pa += e - s;
            s = e;
        }
    }

    /**
     * {@code modify_range}, §6.5: per chunk, call the updater on the entry with the chunk aligned out to the granule;
     * on {@code false} stop with PteUpdateFault(entry after the call); then, if the entry (as the updater left it) is a
     * table, recurse. Never splits, allocates or frees.
     */
    void modifyRange(Translation translation, long start, long end, PteUpdater updater) throws MapException {
        long gran = Paging.granularityAtLevel(level);
        for (long s = start; Chunks.inRange(start, end, s); ) {
            long e = Chunks.end(s, end, gran);
            int index = Paging.index(s, level);
            MemoryRegion affected = MemoryRegion.aligned(Paging.alignDown(s, gran), Paging.alignUp(e, gran));
            boolean ok = updater.update(affected, new Descriptor(table, index), level);
            long entry = TableLayout.read(table, index);
            if (!ok) {
                throw new MapException(new MapError.PteUpdateFault(entry));
            }
            PageTableWithLevel sub = subtable(translation, entry);
            if (sub != null) {
                sub.modifyRange(translation, s, e, updater);
            }
            s = e;
        }
    }

    /**
     * {@code free}, §6.6: post-order over a snapshot of the entries taken first (Rust iterates over a copy of the
     * array), children in index order, then this table.
     */
    void free(Translation translation) {
        long[] entries = table.toArray(TableLayout.DESCRIPTOR);
        for (long entry : entries) {
            PageTableWithLevel sub = subtable(translation, entry);
            if (sub != null) {
                sub.free(translation);
            }
        }
        translation.deallocateTable(table);
    }

    /**
     * The level of the mapping used for {@code va} (the crate's test-only {@code mapping_level}): the level of the
     * first non-table entry on the walk if it is VALID, else empty.
     */
    OptionalInt mappingLevel(Translation translation, long va) {
        long entry = TableLayout.read(table, Paging.index(va, level));
        PageTableWithLevel sub = subtable(translation, entry);
        if (sub != null) {
            return sub.mappingLevel(translation, va);
        }
        return Descriptor.isValid(entry) ? OptionalInt.of(level) : OptionalInt.empty();
    }

    /**
     * {@code fmt_indented}: runs of zero entries as {@code "{first:<3}: 0"} or {@code "{first:<3}-{last}: 0"}; every
     * non-zero entry as {@code "{index:<3}: {descriptor:?}"} followed by its subtable indented two more spaces.
     */
    void formatIndented(StringBuilder out, Translation translation, int indentation) {
        int i = 0;
        while (i < Paging.ENTRIES_PER_TABLE) {
            long entry = TableLayout.read(table, i);
            if (entry == 0) {
                int firstZero = i;
                while (i < Paging.ENTRIES_PER_TABLE && TableLayout.read(table, i) == 0) {
                    i++;
                }
                out.repeat(' ', indentation).append(padIndex(firstZero));
                if (i - 1 != firstZero) {
                    out.append('-').append(i - 1);
                }
                out.append(": 0\n");
            } else {
                out.repeat(' ', indentation).append(padIndex(i)).append(": ").append(Descriptor.debugString(entry))
                        .append('\n');
                PageTableWithLevel sub = subtable(translation, entry);
                if (sub != null) {
                    sub.formatIndented(out, translation, indentation + 2);
                }
                i++;
            }
        }
    }

    /** Rust {@code {: <3}}. */
    private static String padIndex(int index) {
        String s = Integer.toString(index);
        return s.length() >= 3 ? s : s + " ".repeat(3 - s.length());
    }
}
