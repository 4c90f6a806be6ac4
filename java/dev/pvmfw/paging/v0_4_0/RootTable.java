package dev.pvmfw.paging.v0_4_0;

import dev.pvmfw.paging.TranslationPanic;

import dev.pvmfw.paging.AllocatedTable;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.VirtualAddress;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A complete hierarchy of translation tables from a root level ({@code paging::RootTable}), with aarch64-paging
 * 0.4.0's exact algorithms: every byte written, every table allocated (and in which order) and every error is the
 * crate's.
 *
 * <p>The root table is allocated by the constructor (the first allocation of every table hierarchy). Tables are only
 * ever freed by {@link #close}, the crate's {@code Drop}: post-order, children in index order, root last.
 *
 * <p>Not thread-safe (the crate takes {@code &mut self}). Once closed, or once its translation's memory is closed,
 * every operation fails with {@link MemoryLifetimeException} (kind CLOSED, or WRONG_THREAD for memory confined to
 * another thread); no operation can crash the JVM.
 */
public final class RootTable implements AutoCloseable {
    private final Translation translation;
    private final VaRange vaRange;
    private final int level;
    private final MemorySegment table;
    private final PhysicalAddress pa;
    private boolean dropped;

    /**
     * {@code RootTable::new}: allocates the root table.
     *
     * @throws CratePanic "Invalid root table level {level}." if level is not 0..3
     * @throws TranslationPanic if the translation cannot allocate
     */
    public RootTable(Translation translation, int level, VaRange vaRange) {
        this.translation = Objects.requireNonNull(translation);
        this.vaRange = Objects.requireNonNull(vaRange);
        if (level < 0 || level > Geometry.LEAF_LEVEL) {
            throw new CratePanic("Invalid root table level " + level + ".");
        }
        this.level = level;
        AllocatedTable root = translation.allocateTable();
        this.table = root.table();
        this.pa = root.pa();
    }

    /** Bytes of VA space this table can map: 2<sup>48 − 9·level</sup> (L0 2^48 … L3 2^21). */
    public long size() {
        return Geometry.granularityAtLevel(level) << Geometry.BITS_PER_LEVEL;
    }

    /** The root level, 0..3. */
    public int level() {
        return level;
    }

    /** {@code RootTable::va_range}: the TTBR the table is for, lower (TTBR0) or upper (TTBR1). */
    public VaRange vaRange() {
        return vaRange;
    }

    /**
     * {@code RootTable::translation}: the translation the tables are allocated from, as the crate hands it out (so
     * not read-only: {@code docs/architecture.md}, "Public surface").
     */
    public Translation translation() {
        return translation;
    }

    /** {@code to_physical}: the PA of the root table. */
    public PhysicalAddress toPhysical() {
        return pa;
    }

    /**
     * Maps {@code range} to the PAs from {@code pa} with {@code flags} ({@code map_range}). Blocks are used wherever a
     * whole aligned granule maps an aligned PA and no table is in the way; otherwise entries are split (allocating).
     * Entries are written whether or not {@code flags} hold VALID; ACCESSED is always added, and TABLE_OR_PAGE at
     * level 3. TABLE_OR_PAGE in {@code flags} is not rejected (0.4.0).
     *
     * @throws MapException RegionBackwards if end &lt; start; AddressRange if the region is outside this table's range
     * @throws TranslationPanic if the translation fails part-way (e.g. EXHAUSTED): chunks before the failing one
     *     stay written, tables allocated so far stay linked, and the failing entry is unchanged
     */
    public void mapRange(MemoryRegion range, PhysicalAddress pa, Attributes flags) throws MapException {
        checkOpen();
        verifyRegion(range.startValue(), range.endValue());
        try {
            PageTableWithLevel.mapRange(translation, table, level, range.startValue(), range.endValue(), pa.value(),
                    flags.bits());
        } catch (IllegalStateException e) {
            throw memoryGone(e);
        }
    }

    /**
     * Calls {@code updater} on every entry {@code range} touches, tables included, parent before children, each with
     * the whole range it covers and its level ({@code modify_range}, 0.4.0). Never splits, allocates or frees: a 4 KiB
     * request inside a 2 MiB block calls back once, at level 2, with the whole block.
     *
     * @throws MapException RegionBackwards, AddressRange; PteUpdateFault(entry after the call) when the updater
     *     returns false — entries changed before stay changed
     * @throws dev.pvmfw.paging.UpdaterException if the updater throws anything but a panic or a lifetime error
     *     ({@link PteUpdater}); a {@link dev.pvmfw.paging.CratePanic} from it propagates unchanged
     * @throws MemoryLifetimeException if the table memory is closed or confined to another thread
     */
    public void modifyRange(MemoryRegion range, PteUpdater updater) throws MapException {
        checkOpen();
        Objects.requireNonNull(updater);
        verifyRegion(range.startValue(), range.endValue());
        try {
            PageTableWithLevel.modifyRange(translation, table, level, range.startValue(), range.endValue(), updater);
        } catch (IllegalStateException e) {
            throw memoryGone(e);
        }
    }

    /**
     * The level at which {@code va} is mapped: the level of the first non-table entry on its walk if that entry is
     * VALID (3 for a page, lower for a block), else empty (the crate's test-only {@code mapping_level}).
     */
    public OptionalInt mappingLevel(VirtualAddress va) {
        checkOpen();
        try {
            return PageTableWithLevel.mappingLevel(translation, table, level, va.value());
        } catch (IllegalStateException e) {
            throw memoryGone(e);
        }
    }

    /** The root table's memory (a read-only view). */
    public MemorySegment rootSegment() {
        checkOpen();
        return table.asReadOnly();
    }

    /**
     * {@code verify_region} ({@code docs/aarch64-paging-0.4.0.md}, "verify_region"): backwards first; then, lower range: start negative as a signed value →
     * AddressRange(start), end above size() → AddressRange(end); upper range: start non-negative or |start| above
     * size() → AddressRange(start), the end is not checked.
     */
    private void verifyRegion(long start, long end) throws MapException {
        // Objects are made only on the error paths, so the per-page path allocates nothing.
        if (Long.compareUnsigned(end, start) < 0) {
            throw new MapException(new MapError.RegionBackwards(MemoryRegion.aligned(start, end)));
        }
        switch (vaRange) {
            case LOWER -> {
                if (start < 0) {
                    throw new MapException(new MapError.AddressRange(new VirtualAddress(start)));
                } else if (Long.compareUnsigned(end, size()) > 0) {
                    throw new MapException(new MapError.AddressRange(new VirtualAddress(end)));
                }
            }
            case UPPER -> {
                // (start as isize).unsigned_abs() > size(): -start as unsigned, since start < 0 here.
                if (start >= 0 || Long.compareUnsigned(-start, size()) > 0) {
                    throw new MapException(new MapError.AddressRange(new VirtualAddress(start)));
                }
            }
        }
    }

    /**
     * The crate's {@code Debug}: {@code RootTable { pa: 0x…, level: 1, table:}, then one line per entry (zero runs
     * collapsed, subtables indented two spaces per level), then {@code }} with no trailing newline.
     *
     * @throws TranslationPanic where the crate's dump panics: a table descriptor the translation cannot resolve
     *     (for example one a callback made point outside the arena); CLOSED after {@link #close}
     */
    public String debug() {
        checkOpen();
        StringBuilder out = new StringBuilder(64 * 1024);
        out.append("RootTable { pa: ").append(pa).append(", level: ").append(level).append(", table:\n");
        try {
            PageTableWithLevel.formatIndented(out, translation, table, level, 0);
        } catch (IllegalStateException e) {
            throw memoryGone(e);
        }
        return out.append('}').toString();
    }

    /** {@link #debug()}, or a one-line placeholder where it would fail. Never throws. */
    @Override
    public String toString() {
        if (dropped) {
            return "RootTable { dropped }";
        }
        try {
            return debug();
        } catch (RuntimeException e) {
            return "RootTable { pa: " + pa + ", level: " + level + ", <cannot be dumped: " + e.getMessage() + "> }";
        }
    }

    /** Whether {@link #close} has run. */
    public boolean isClosed() {
        return dropped;
    }

    /**
     * The crate's {@code Drop}: frees every reachable table, post-order, root last. Idempotent. If the memory is
     * already gone, only marks this table closed.
     *
     * @throws TranslationPanic if the translation refuses a free (e.g. a table freed twice because a callback made
     *     two entries point at it)
     * @throws MemoryLifetimeException WRONG_THREAD from a thread the table memory is not confined to: refused, and
     *     nothing changes (the owner's close still frees every table)
     */
    @Override
    public void close() {
        if (dropped) {
            return;
        }
        if (table.scope().isAlive() && !table.isAccessibleBy(Thread.currentThread())) {
            throw new MemoryLifetimeException(MemoryLifetimeException.Kind.WRONG_THREAD,
                    "the table memory is confined to another thread: close it there");
        }
        dropped = true;
        if (!table.scope().isAlive() || translation instanceof TableArena a && a.isClosed()) {
            return;
        }
        try {
            PageTableWithLevel.free(translation, table, level);
        } catch (IllegalStateException e) {
            throw memoryGone(e);
        }
    }

    private void checkOpen() {
        if (dropped) {
            throw new MemoryLifetimeException(MemoryLifetimeException.Kind.CLOSED, "the root table has been closed");
        }
        MemorySegment root = table;
        if (!root.scope().isAlive()) {
            throw new MemoryLifetimeException(MemoryLifetimeException.Kind.CLOSED,
                    "the memory holding the root table has been released");
        }
        if (!root.isAccessibleBy(Thread.currentThread())) {
            throw new MemoryLifetimeException(MemoryLifetimeException.Kind.WRONG_THREAD,
                    "the table memory is confined to another thread");
        }
    }

    /** An FFM failure part-way (memory closed by another thread): ours if the memory is gone, else rethrown. */
    private RuntimeException memoryGone(IllegalStateException e) {
        if (!table.scope().isAlive()) {
            return new MemoryLifetimeException(MemoryLifetimeException.Kind.CLOSED,
                    "the table memory was released during the operation", e);
        }
        return e;
    }
}
