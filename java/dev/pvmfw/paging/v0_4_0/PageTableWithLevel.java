package dev.pvmfw.paging.v0_4_0;

import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.paging.UpdaterException;

import dev.pvmfw.paging.AllocatedTable;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.internal.Chunks;
import dev.pvmfw.paging.internal.TableLayout;

import java.lang.foreign.MemorySegment;
import java.util.OptionalInt;

/**
 * The recursive algorithms of aarch64-paging 0.4.0's {@code PageTableWithLevel}, on a table given as its segment and
 * level, and on raw 64-bit values. (Static functions rather than objects, so the per-page path allocates nothing.)
 * The descriptor encodings are 0.4.0's own, in this file.
 *
 * <p>Arithmetic wraps and compares unsigned, as the crate's release build does. One consequence, reproduced on
 * purpose: a chunk in the last granule below 2<sup>64</sup> (upper VA range) ends at 0, {@code [s, 0)}, which counts as
 * a whole block.
 *
 * <p>Invariant relied on throughout: every range passed in is page-aligned (it comes from a {@link MemoryRegion}).
 */
final class PageTableWithLevel {
    private PageTableWithLevel() {}

    /** {@code subtable()}: the table this entry points to if it is a table descriptor above level 3, else null. */
    private static MemorySegment subtable(Translation translation, long entry, int level) {
        if (level < Geometry.LEAF_LEVEL && Descriptor.isTableOrPage(entry)) {
            return translation.tableAt(Descriptor.outputAddressOf(entry));
        }
        return null;
    }

    /**
     * {@code map_range} (aarch64-paging 0.4.0, {@code src/paging.rs}, {@code PageTableWithLevel::map_range};
     * {@code docs/aarch64-paging-0.4.0.md}, "map_range"). Per chunk, in ascending order: a page at level 3; a block if the chunk is a whole
     * granule, the entry is not a table and pa is aligned; otherwise descend, splitting a non-table entry: allocate
     * first, re-create the old entry in the new table (recreatesOnSplit), then write the table descriptor.
     * Cannot fail except through the translation (a TranslationPanic), leaving earlier chunks written.
     */
    static void mapRange(Translation translation, MemorySegment table, int level, long start, long end, long pa,
            long flags) {
        if (level == Geometry.LEAF_LEVEL) {
            mapPages(table, start, end, pa, flags);
            return;
        }
        long gran = Geometry.granularityAtLevel(level);
        for (long s = start; Chunks.inRange(start, end, s); ) {
            long e = Chunks.end(s, end, gran);
            int index = Geometry.index(s, level);
            long entry = TableLayout.read(table, index);
            if (Chunks.isBlock(s, e, gran) && !Descriptor.isTableOrPage(entry) && Geometry.isAligned(pa, gran)
                    && blockAllowedAtLevel(level)) {
                TableLayout.write(table, index, blockEntry(pa, flags));
            } else {
                MemorySegment sub = subtable(translation, entry, level);
                if (sub == null) {
                    AllocatedTable fresh = translation.allocateTable();
                    sub = fresh.table();
                    if (recreatesOnSplit(entry)) {
                        descend(translation, sub, level + 1, Geometry.alignDown(s, gran), Geometry.alignUp(e, gran),
                                Descriptor.outputAddressOf(entry), entry & ~Descriptor.PHYSICAL_ADDRESS_BITMASK);
                    }
                    TableLayout.write(table, index, tableEntry(fresh.pa().value()));
                }
                descend(translation, sub, level + 1, s, e, pa, flags);
            }
            pa += e - s;
            s = e;
        }
    }

    /**
     * {@link #mapRange} one level down: straight to {@link #mapPages} for a level-3 table, so the JIT can inline the
     * whole walk of a single page (it inlines a recursive call only one level deep).
     */
    private static void descend(Translation translation, MemorySegment sub, int level, long start, long end, long pa,
            long flags) {
        if (level == Geometry.LEAF_LEVEL) {
            mapPages(sub, start, end, pa, flags);
        } else {
            mapRange(translation, sub, level, start, end, pa, flags);
        }
    }

    /** {@code map_range} on a level-3 table: a page entry per chunk (the crate reads the entry first; unused there). */
    private static void mapPages(MemorySegment table, long start, long end, long pa, long flags) {
        for (long s = start; Chunks.inRange(start, end, s); ) {
            long e = Chunks.end(s, end, Geometry.PAGE_SIZE);
            TableLayout.write(table, Geometry.index(s, Geometry.LEAF_LEVEL), pageEntry(pa, flags));
            pa += e - s;
            s = e;
        }
    }

    /**
     * {@code modify_range} ({@code PageTableWithLevel::modify_range}; {@code docs/aarch64-paging-0.4.0.md},
     * "modify_range"): per chunk, call the updater on the entry with the chunk aligned out to the granule;
     * on {@code false} stop with PteUpdateFault(entry after the call); then, if the entry (as the updater left it) is a
     * table, recurse. Never splits, allocates or frees.
     */
    static void modifyRange(Translation translation, MemorySegment table, int level, long start, long end,
            PteUpdater updater) throws MapException {
        if (level == Geometry.LEAF_LEVEL) {
            modifyPages(table, start, end, updater);
            return;
        }
        long gran = Geometry.granularityAtLevel(level);
        for (long s = start; Chunks.inRange(start, end, s); ) {
            long e = Chunks.end(s, end, gran);
            int index = Geometry.index(s, level);
            MemoryRegion affected = MemoryRegion.aligned(Geometry.alignDown(s, gran), Geometry.alignUp(e, gran));
            boolean ok = update(updater, affected, table, index, level);
            long entry = TableLayout.read(table, index);
            if (!ok) {
                throw new MapException(new MapError.PteUpdateFault(entry));
            }
            MemorySegment sub = subtable(translation, entry, level);
            if (sub != null) {
                if (level + 1 == Geometry.LEAF_LEVEL) {
                    modifyPages(sub, s, e, updater); // not through the recursion, so the JIT can inline it
                } else {
                    modifyRange(translation, sub, level + 1, s, e, updater);
                }
            }
            s = e;
        }
    }

    /** {@link #modifyRange} on a level-3 table: the same per chunk, and no entry there is a table. */
    private static void modifyPages(MemorySegment table, long start, long end, PteUpdater updater)
            throws MapException {
        for (long s = start; Chunks.inRange(start, end, s); ) {
            long e = Chunks.end(s, end, Geometry.PAGE_SIZE);
            int index = Geometry.index(s, Geometry.LEAF_LEVEL);
            // The chunk is page-aligned (every range here is), so aligning it out to the granule changes nothing.
            MemoryRegion affected = MemoryRegion.aligned(s, e);
            boolean ok = update(updater, affected, table, index, Geometry.LEAF_LEVEL);
            long entry = TableLayout.read(table, index); // read either way: the memory may be gone after the call
            if (!ok) {
                throw new MapException(new MapError.PteUpdateFault(entry));
            }
            s = e;
        }
    }

    /**
     * One updater call: a {@link CratePanic} (a Rust panic in the callback) and a {@link MemoryLifetimeException}
     * propagate unchanged; any other exception is wrapped in an {@link UpdaterException} naming the call.
     */
    private static boolean update(PteUpdater updater, MemoryRegion affected, MemorySegment table, int index,
            int level) {
        long before = TableLayout.read(table, index);
        try {
            return updater.update(affected, new Descriptor(table, index), level);
        } catch (CratePanic | MemoryLifetimeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UpdaterException(affected, level, before, e);
        }
    }

    /**
     * {@code free} ({@code PageTableWithLevel::free}; {@code docs/aarch64-paging-0.4.0.md}, "Drop"): post-order over a snapshot of the entries taken first (Rust iterates over a copy of the
     * array), children in index order, then this table.
     */
    static void free(Translation translation, MemorySegment table, int level) {
        // The copy read entry by entry rather than by toArray (which goes through a heap segment), so the table
        // accesses of the JDK's segment code keep seeing native segments only.
        long[] entries = new long[Geometry.ENTRIES_PER_TABLE];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = TableLayout.read(table, i);
        }
        for (long entry : entries) {
            MemorySegment sub = subtable(translation, entry, level);
            if (sub != null) {
                free(translation, sub, level + 1);
            }
        }
        translation.deallocateTable(table);
    }

    /**
     * The level of the mapping used for {@code va} (the crate's test-only {@code mapping_level}): the level of the
     * first non-table entry on the walk if it is VALID, else empty.
     */
    static OptionalInt mappingLevel(Translation translation, MemorySegment table, int level, long va) {
        long entry = TableLayout.read(table, Geometry.index(va, level));
        MemorySegment sub = subtable(translation, entry, level);
        if (sub != null) {
            return mappingLevel(translation, sub, level + 1, va);
        }
        return Descriptor.isValid(entry) ? OptionalInt.of(level) : OptionalInt.empty();
    }

    /**
     * {@code fmt_indented}: runs of zero entries as {@code "{first:<3}: 0"} or {@code "{first:<3}-{last}: 0"}; every
     * non-zero entry as {@code "{index:<3}: {descriptor:?}"} followed by its subtable indented two more spaces.
     */
    static void formatIndented(StringBuilder out, Translation translation, MemorySegment table, int level,
            int indentation) {
        int i = 0;
        while (i < Geometry.ENTRIES_PER_TABLE) {
            long entry = TableLayout.read(table, i);
            if (entry == 0) {
                int firstZero = i;
                while (i < Geometry.ENTRIES_PER_TABLE && TableLayout.read(table, i) == 0) {
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
                MemorySegment sub = subtable(translation, entry, level);
                if (sub != null) {
                    formatIndented(out, translation, sub, level + 1, indentation + 2);
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

    // --- what map_range writes (aarch64-paging 0.4.0, src/paging.rs, PageTableWithLevel::map_range) ----------------

    /**
     * A level-3 entry: {@code (pa & MASK) | flags | ACCESSED | TABLE_OR_PAGE}, whether or not flags hold VALID. The
     * flags are not masked.
     */
    static long pageEntry(long pa, long flags) {
        return (pa & Descriptor.PHYSICAL_ADDRESS_BITMASK) | flags | Attributes.ACCESSED_BIT | Attributes.TABLE_OR_PAGE_BIT;
    }

    /** A block entry (level 0, 1 or 2): {@code (pa & MASK) | flags | ACCESSED}. */
    static long blockEntry(long pa, long flags) {
        return (pa & Descriptor.PHYSICAL_ADDRESS_BITMASK) | flags | Attributes.ACCESSED_BIT;
    }

    /** A table descriptor: {@code (table_pa & MASK) | TABLE_OR_PAGE | VALID}; no table attribute bits. */
    static long tableEntry(long tablePa) {
        return (tablePa & Descriptor.PHYSICAL_ADDRESS_BITMASK) | Attributes.TABLE_OR_PAGE_BIT | Attributes.VALID_BIT;
    }

    /** Blocks are written at any level below 3, the root and level 0 included (0.12.0 stopped level-0 blocks). */
    static boolean blockAllowedAtLevel(int level) {
        return level < Geometry.LEAF_LEVEL;
    }

    /**
     * Whether splitting the non-table entry {@code old} re-creates it one level down: {@code flags()} is Some and
     * lacks TABLE_OR_PAGE. This holds for an <b>all-zero entry</b> ({@code flags()} = Some(empty)), so a never-mapped
     * entry is "split" into 512 invalid but non-zero children (the garbage-fill quirk; 0.6.0 stopped it).
     */
    static boolean recreatesOnSplit(long old) {
        return Descriptor.hasKnownFlags(old) && (old & Attributes.TABLE_OR_PAGE_BIT) == 0;
    }
}
