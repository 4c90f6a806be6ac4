package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.AllocatedTable;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.internal.Chunks;
import dev.pvmfw.paging.internal.TableLayout;
import java.lang.foreign.MemorySegment;
import java.util.OptionalInt;

/**
 * The recursive algorithms of aarch64-paging 0.12.1's {@code PageTableWithLevel} ({@code src/paging.rs}), on a table
 * given as its segment and level, on raw 64-bit values (static functions, so the per-page path allocates nothing but
 * what the crate's callbacks need). See {@code docs/aarch64-paging-0.12.1.md}, "map_range", "Splitting an entry",
 * "modify_range", "walk_range", "compact_subtables" and "Drop".
 *
 * <p>Arithmetic wraps and compares unsigned, as the crate's release build does: a chunk in the last granule below
 * 2<sup>64</sup> ends at 0, {@code [s, 0)}, which counts as a whole block when {@code s} is aligned. Every range
 * passed in is page-aligned (it comes from a {@link MemoryRegion}).
 */
final class PageTableWithLevel {
    private PageTableWithLevel() {}

    /** What a walk does at a leaf: null to go on, or the error that stops it. */
    @FunctionalInterface
    interface LeafVisitor {
        MapError visit(long start, long end, MemorySegment table, int index, int level);
    }

    /** {@code Descriptor::subtable}: below level 3, VALID and TABLE_OR_PAGE set; the table at its output address. */
    static boolean isSubtable(long entry, int level) {
        return level < Geometry.LEAF_LEVEL && Descriptor.isTableOrPage(entry);
    }

    private static MemorySegment subtable(Translation translation, long entry) {
        return translation.tableAt(Descriptor.outputAddressOf(entry));
    }

    private static boolean valid(long flags) {
        return (flags & PagingAttributes.Type.VALID) != 0;
    }

    /**
     * {@code map_range}: per chunk, in ascending order, with pa advanced by each chunk's length (wrapping), the first
     * case that applies:
     * <ol>
     *   <li>level 3: a page {@code (pa & MASK) | flags | TABLE_OR_PAGE} if flags hold VALID, else {@code flags}
     *       alone;</li>
     *   <li>skip: the entry is not a table, its flags equal {@code flags} and its output address is
     *       {@code pa - (chunk.start % gran)} (wrapping) — already what is asked, even over part of a block;</li>
     *   <li>block: the chunk is a whole block, the entry is not a table, pa is aligned, blocks are allowed and the
     *       level is not 0: {@code (pa & MASK) | flags} if VALID, else {@code flags};</li>
     *   <li>remove: the chunk is a whole block over a subtable and flags lack VALID: the entry becomes {@code flags},
     *       then the subtable's tree is freed;</li>
     *   <li>otherwise descend, into the subtable or into a split of the entry.</li>
     * </ol>
     * Cannot fail except through the translation's panics, which leave earlier chunks written.
     */
    static void mapRange(Translation translation, MemorySegment table, int level, long start, long end, long pa,
            long flags, boolean noBlockMappings) {
        long gran = Geometry.granularityAtLevel(level);
        for (long s = start; Chunks.inRange(start, end, s); ) {
            long e = Chunks.end(s, end, gran);
            int index = Geometry.index(s, level);
            long entry = TableLayout.read(table, index);
            if (level == Geometry.LEAF_LEVEL) {
                TableLayout.write(table, index, valid(flags)
                        ? (pa & Descriptor.PHYSICAL_ADDRESS_BITMASK) | flags | PagingAttributes.Type.TABLE_OR_PAGE
                        : flags);
            } else if (!Descriptor.isTableOrPage(entry) && Descriptor.flagBitsOf(entry) == flags
                    && Descriptor.outputAddressOf(entry) == pa - (s & (gran - 1))) {
                // Already maps the desired PA with the desired flags: nothing to do, and nothing to split.
            } else if (Chunks.isBlock(s, e, gran) && !Descriptor.isTableOrPage(entry) && Geometry.isAligned(pa, gran)
                    && !noBlockMappings && level > 0) {
                TableLayout.write(table, index, valid(flags) ? (pa & Descriptor.PHYSICAL_ADDRESS_BITMASK) | flags
                        : flags);
            } else {
                // The crate's `chunk.is_block(level) && let Some(subtable) = entry.subtable(..) && !VALID`: the
                // subtable is looked up (physical_to_virtual) before VALID is tested.
                MemorySegment sub = isSubtable(entry, level) ? subtable(translation, entry) : null;
                if (Chunks.isBlock(s, e, gran) && sub != null && !valid(flags)) {
                    TableLayout.write(table, index, flags);
                    free(translation, sub, level + 1);
                } else {
                    if (sub == null) {
                        sub = splitEntry(translation, table, index, entry, s, e, level);
                    }
                    mapRange(translation, sub, level + 1, s, e, pa, flags, noBlockMappings);
                }
            }
            pa += e - s;
            s = e;
        }
    }

    /**
     * {@code split_entry}: allocates the new table first; if the old entry lacks TABLE_OR_PAGE and is not all zero
     * (flags or address), re-creates it over its whole range {@code [align_down(start), align_up(end))} one level
     * down, with its old output address and flags (unknown bits included) and <em>empty</em> constraints; then points
     * the entry at the new table ({@code table_pa | TABLE_OR_PAGE | VALID}). A zero entry, or one with TABLE_OR_PAGE
     * (an invalid {@code 0b10} a callback wrote), gives an all-zero table.
     */
    static MemorySegment splitEntry(Translation translation, MemorySegment table, int index, long entry, long start,
            long end, int level) {
        long gran = Geometry.granularityAtLevel(level);
        AllocatedTable fresh = translation.allocateTable();
        long oldFlags = Descriptor.flagBitsOf(entry);
        long oldPa = Descriptor.outputAddressOf(entry);
        if ((oldFlags & PagingAttributes.Type.TABLE_OR_PAGE) == 0 && (oldFlags != 0 || oldPa != 0)) {
            mapRange(translation, fresh.table(), level + 1, Geometry.alignDown(start, gran),
                    Geometry.alignUp(end, gran), oldPa, oldFlags, false);
        }
        TableLayout.write(table, index, (fresh.pa().value() & Descriptor.PHYSICAL_ADDRESS_BITMASK)
                | PagingAttributes.Type.TABLE_OR_PAGE | PagingAttributes.Type.VALID);
        return fresh.table();
    }

    /**
     * {@code modify_range}: per chunk, descend into a subtable; else split the entry if the chunk is not a whole
     * block (zero and flags-only entries too) and descend; else call the updater on the leaf with the chunk (its
     * whole range) and its level. On {@code false} stop with PteUpdateFault(the bits read before the call); nothing
     * is undone.
     *
     * @return whether a live descriptor was changed (the crate's TLB-maintenance flag)
     */
    static <A extends PagingAttributes<A>> boolean modifyRange(Translation translation, PagingAttributes.Type<A> type,
            MemorySegment table, int level, long start, long end, Updater<A> updater, boolean live)
            throws MapException {
        long gran = Geometry.granularityAtLevel(level);
        boolean modified = false;
        for (long s = start; Chunks.inRange(start, end, s); ) {
            long e = Chunks.end(s, end, gran);
            int index = Geometry.index(s, level);
            long entry = TableLayout.read(table, index);
            MemorySegment sub = isSubtable(entry, level) ? subtable(translation, entry)
                    : !Chunks.isBlock(s, e, gran) ? splitEntry(translation, table, index, entry, s, e, level) : null;
            if (sub != null) {
                modified |= level + 1 == Geometry.LEAF_LEVEL
                        // Not through the recursion (inlined one level deep only), so a page's walk compiles whole.
                        ? modifyLeaves(type, sub, s, e, updater, live)
                        : modifyRange(translation, type, sub, level + 1, s, e, updater, live);
            } else {
                modified |= updateLeaf(type, table, index, level, s, e, entry, updater, live);
            }
            s = e;
        }
        return modified;
    }

    /**
     * {@link #modifyRange} on a level-3 table: there no entry is a subtable and every (page-aligned) chunk is a whole
     * page, so nothing is split and each chunk's entry goes to the updater.
     */
    private static <A extends PagingAttributes<A>> boolean modifyLeaves(PagingAttributes.Type<A> type,
            MemorySegment table, long start, long end, Updater<A> updater, boolean live) throws MapException {
        boolean modified = false;
        for (long s = start; Chunks.inRange(start, end, s); ) {
            long e = Chunks.end(s, end, Geometry.PAGE_SIZE);
            int index = Geometry.index(s, Geometry.LEAF_LEVEL);
            long entry = TableLayout.read(table, index);
            modified |= updateLeaf(type, table, index, Geometry.LEAF_LEVEL, s, e, entry, updater, live);
            s = e;
        }
        return modified;
    }

    /**
     * The updater on a leaf: neither a subtable nor split, so {@code bits}, the entry read before, is the one the
     * updater sees. On {@code false} PteUpdateFault(bits).
     *
     * @return whether a live descriptor was changed
     */
    private static <A extends PagingAttributes<A>> boolean updateLeaf(PagingAttributes.Type<A> type,
            MemorySegment table, int index, int level, long s, long e, long bits, Updater<A> updater, boolean live)
            throws MapException {
        UpdatableDescriptor<A> descriptor = UpdatableDescriptor.of(type, table, index, level, live);
        boolean ok;
        try {
            ok = Callbacks.update(updater, MemoryRegion.aligned(s, e), descriptor, level, bits);
        } finally {
            descriptor.expire();
        }
        if (!ok) {
            throw new MapException(new MapError.PteUpdateFault(bits));
        }
        return live && descriptor.wasUpdated();
    }

    /**
     * {@code visit_range}: per chunk, descend into a subtable, else visit the leaf with the chunk (clipped to the
     * request). Never splits or writes.
     *
     * @return the first error a visit returned, or null
     */
    static MapError visitRange(Translation translation, MemorySegment table, int level, long start, long end,
            LeafVisitor visitor) {
        long gran = Geometry.granularityAtLevel(level);
        for (long s = start; Chunks.inRange(start, end, s); ) {
            long e = Chunks.end(s, end, gran);
            int index = Geometry.index(s, level);
            long entry = TableLayout.read(table, index);
            MapError error = isSubtable(entry, level)
                    ? visitRange(translation, subtable(translation, entry), level + 1, s, e, visitor)
                    : visitor.visit(s, e, table, index, level);
            if (error != null) {
                return error;
            }
            s = e;
        }
        return null;
    }

    /**
     * {@code compact_subtables}: post-order; a subtable whose entries are all zero after compacting it is unlinked
     * (the entry set to 0) and freed. Flags-only entries are not zero.
     *
     * @return whether this table is all zero now
     */
    static boolean compactSubtables(Translation translation, MemorySegment table, int level) {
        boolean allEmpty = true;
        for (int i = 0; i < Geometry.ENTRIES_PER_TABLE; i++) {
            long entry = TableLayout.read(table, i);
            if (isSubtable(entry, level)) {
                MemorySegment sub = subtable(translation, entry);
                if (compactSubtables(translation, sub, level + 1)) {
                    TableLayout.write(table, i, 0);
                    free(translation, sub, level + 1);
                }
            }
            if (TableLayout.read(table, i) != 0) {
                allEmpty = false;
            }
        }
        return allEmpty;
    }

    /** {@code free}: post-order, each subtable's tree in index order, then this table. */
    static void free(Translation translation, MemorySegment table, int level) {
        for (int i = 0; i < Geometry.ENTRIES_PER_TABLE; i++) {
            long entry = TableLayout.read(table, i);
            if (isSubtable(entry, level)) {
                free(translation, subtable(translation, entry), level + 1);
            }
        }
        translation.deallocateTable(table);
    }

    /** {@code mapping_level} (test-only in the crate): the level of the first non-table entry if VALID, else empty. */
    static OptionalInt mappingLevel(Translation translation, MemorySegment table, int level, long va) {
        long entry = TableLayout.read(table, Geometry.index(va, level));
        if (isSubtable(entry, level)) {
            return mappingLevel(translation, subtable(translation, entry), level + 1, va);
        }
        return Descriptor.isValid(entry) ? OptionalInt.of(level) : OptionalInt.empty();
    }

    /**
     * {@code fmt_indented}: a subtable entry as {@code "{i:<3}    : {descriptor:?}"} followed by its table, two more
     * spaces in; any other entry starts a run of entries equal to it or, if it is not zero, increasing by the
     * granule per index ({@code first + gran·k}, wrapping), printed as {@code "{first:<3}    : "} (a run of one) or
     * {@code "{first:<3}-{last:<3}: "}, then {@code 0} or the first entry's Debug.
     */
    static void formatIndented(StringBuilder out, Translation translation, PagingAttributes.Type<?> type,
            MemorySegment table, int level, int indentation) {
        long gran = Geometry.granularityAtLevel(level);
        int i = 0;
        while (i < Geometry.ENTRIES_PER_TABLE) {
            long entry = TableLayout.read(table, i);
            if (isSubtable(entry, level)) {
                MemorySegment sub = subtable(translation, entry);
                out.repeat(' ', indentation).append(pad3(i)).append("    : ")
                        .append(Descriptor.debugString(type, entry)).append('\n');
                formatIndented(out, translation, type, sub, level + 1, indentation + 2);
                i++;
            } else {
                int first = i;
                long firstEntry = entry;
                while (i < Geometry.ENTRIES_PER_TABLE && (TableLayout.read(table, i) == firstEntry
                        || (firstEntry != 0 && TableLayout.read(table, i) == firstEntry + gran * (i - first)))) {
                    i++;
                }
                out.repeat(' ', indentation).append(pad3(first));
                if (i - 1 == first) {
                    out.append("    : ");
                } else {
                    out.append('-').append(pad3(i - 1)).append(": ");
                }
                out.append(firstEntry == 0 ? "0" : Descriptor.debugString(type, firstEntry)).append('\n');
            }
        }
    }

    /** Rust {@code {: <3}}. */
    private static String pad3(int index) {
        String s = Integer.toString(index);
        return s.length() >= 3 ? s : s + " ".repeat(3 - s.length());
    }
}
