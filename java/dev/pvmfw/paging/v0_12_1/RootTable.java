package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.AllocatedTable;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.VirtualAddress;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A complete hierarchy of translation tables for one regime ({@code paging::RootTable<R, T>}), with aarch64-paging
 * 0.12.1's exact algorithms: every byte written, every table allocated and freed (and in which order) and every error
 * is the crate's ({@code docs/aarch64-paging-0.12.1.md}).
 *
 * <p>The constructor allocates the root (the first allocation). Tables are freed by {@code map_range} when it unmaps
 * a whole entry over a subtable, by {@link #compactSubtables}, and by {@link #close} (the crate's {@code Drop}); each
 * time post-order, children in index order.
 *
 * <p>This is the crate's bare table: it knows nothing of whether it is live. {@link Mapping} adds that, and with it
 * the break-before-make checks. Not thread-safe. Once closed, or once the translation's memory is released, every
 * operation fails with {@link MemoryLifetimeException}.
 *
 * @param <A> the regime's attribute type
 */
public final class RootTable<A extends PagingAttributes<A>> implements AutoCloseable {
    private final Translation translation;
    private final Regime<A> regime;
    private final VaRange vaRange;
    private final int level;
    private final MemorySegment table;
    private final PhysicalAddress pa;
    private boolean dropped;

    private RootTable(Translation translation, int level, Regime<A> regime, VaRange vaRange) {
        this.translation = Objects.requireNonNull(translation);
        this.regime = Objects.requireNonNull(regime);
        this.vaRange = Objects.requireNonNull(vaRange);
        if (level < 0 || level > Geometry.LEAF_LEVEL) {
            // The crate's level is a usize: a negative Java level prints as its two's-complement usize would.
            throw new CratePanic("Invalid root table level " + Long.toUnsignedString(level) + ".");
        }
        this.level = level;
        AllocatedTable root = translation.allocateTable();
        this.table = root.table();
        this.pa = root.pa();
    }

    /**
     * {@code RootTable::new(translation, level, regime)}, for a regime without VA range: allocates the root.
     *
     * @throws CratePanic "Invalid root table level {level}." if level is above 3
     * @throws TranslationPanic if the root cannot be allocated
     */
    public RootTable(Translation translation, int level, UnitRegime<A> regime) {
        this(translation, level, regime, VaRange.LOWER);
    }

    /**
     * {@code RootTable::with_va_range(translation, level, regime, va_range)}: allocates the root.
     *
     * @throws CratePanic "Invalid root table level {level}." if level is above 3
     * @throws TranslationPanic if the root cannot be allocated
     */
    public static <A extends PagingAttributes<A>> RootTable<A> withVaRange(Translation translation, int level,
            AsidRegime<A> regime, VaRange vaRange) {
        return new RootTable<>(translation, level, regime, vaRange);
    }

    /** Bytes of VA space the table maps: 2<sup>48 − 9·level</sup>. */
    public long size() {
        return Geometry.granularityAtLevel(level) << Geometry.BITS_PER_LEVEL;
    }

    /** The root table's level, 0 to 3, as given to the constructor. */
    public int level() {
        return level;
    }

    /** The translation regime the table was made for (its attribute type and whether it has an ASID and VA range). */
    public Regime<A> regime() {
        return regime;
    }

    /**
     * {@code va_range()} (a method of the regimes with a VA range): which TTBR the table is for. For the other
     * regimes the crate's {@code ()} counts as {@link VaRange#LOWER}, which is what this returns.
     */
    public VaRange vaRange() {
        return vaRange;
    }

    /**
     * {@code translation()}: the crate hands out its translation, and so does this ({@code docs/architecture.md},
     * "Public surface").
     */
    public Translation translation() {
        return translation;
    }

    /** {@code to_physical()}: the root table's PA. */
    public PhysicalAddress toPhysical() {
        return pa;
    }

    /**
     * {@code map_range(range, pa, flags, constraints)}: maps {@code range} to the PAs from {@code pa}
     * ({@code docs/aarch64-paging-0.12.1.md}, "map_range"). Leaves are written whether or not {@code flags} hold
     * VALID; without VALID they are {@code flags} alone (no PA, no TABLE_OR_PAGE). Nothing is added to the flags but
     * TABLE_OR_PAGE on pages.
     *
     * @throws MapException InvalidFlags(flags) if flags hold TABLE_OR_PAGE (checked first); RegionBackwards;
     *     AddressRange
     * @throws TranslationPanic if the translation fails part-way (e.g. EXHAUSTED): earlier chunks stay written,
     *     tables allocated so far stay linked, except one being filled by a split, which is leaked
     */
    public void mapRange(MemoryRegion range, PhysicalAddress pa, A flags, Constraints constraints)
            throws MapException {
        checkOpen();
        if ((flags.bits() & PagingAttributes.Type.TABLE_OR_PAGE) != 0) {
            throw new MapException(new MapError.InvalidFlags(flags.bits()));
        }
        verifyRegion(range.startValue(), range.endValue());
        try {
            PageTableWithLevel.mapRange(translation, table, level, range.startValue(), range.endValue(), pa.value(),
                    flags.bits(), constraints.contains(Constraints.NO_BLOCK_MAPPINGS));
        } catch (IllegalStateException e) {
            throw memoryGone(e);
        }
    }

    /**
     * {@code modify_range(range, f, live)} (crate-private; {@link Mapping#modifyRange} is the public way): verifies
     * the region, then calls {@code updater} on every leaf, splitting entries the range covers only in part.
     *
     * @param live whether the descriptors count as live for {@link UpdatableDescriptor#set}'s checks
     * @return whether a live descriptor changed
     * @throws MapException RegionBackwards, AddressRange; PteUpdateFault(bits before the call)
     */
    boolean modifyRange(MemoryRegion range, Updater<A> updater, boolean live) throws MapException {
        checkOpen();
        Objects.requireNonNull(updater);
        verifyRegion(range.startValue(), range.endValue());
        try {
            return PageTableWithLevel.modifyRange(translation, regime.attributes(), table, level, range.startValue(),
                    range.endValue(), updater, live);
        } catch (IllegalStateException e) {
            throw memoryGone(e);
        }
    }

    /**
     * {@code walk_range(range, f)}: calls {@code visitor} on every leaf the range touches, each with the part of the
     * request it covers, in ascending order. Never splits or writes.
     *
     * @throws MapException RegionBackwards, AddressRange; PteUpdateFault(the entry's bits) when the visitor returns
     *     false
     */
    public void walkRange(MemoryRegion range, Visitor<A> visitor) throws MapException {
        Objects.requireNonNull(visitor);
        PagingAttributes.Type<A> type = regime.attributes();
        MapError error = visitRange(range, (s, e, t, i, l) -> {
            Descriptor<A> descriptor = new Descriptor<>(type, t, i);
            return Callbacks.visit(visitor, MemoryRegion.aligned(s, e), descriptor, l) ? null
                    : new MapError.PteUpdateFault(descriptor.bits());
        });
        if (error != null) {
            throw new MapException(error);
        }
    }

    /**
     * {@code visit_range}: verifies the region, then visits the leaves.
     *
     * @return the first error a visit returned, or null
     * @throws MapException RegionBackwards, AddressRange
     */
    MapError visitRange(MemoryRegion range, PageTableWithLevel.LeafVisitor visitor) throws MapException {
        checkOpen();
        verifyRegion(range.startValue(), range.endValue());
        try {
            return PageTableWithLevel.visitRange(translation, table, level, range.startValue(), range.endValue(),
                    visitor);
        } catch (IllegalStateException e) {
            throw memoryGone(e);
        }
    }

    /** {@code compact_subtables()}: frees every subtable that is all zero (post-order); the root stays. */
    public void compactSubtables() {
        checkOpen();
        try {
            PageTableWithLevel.compactSubtables(translation, table, level);
        } catch (IllegalStateException e) {
            throw memoryGone(e);
        }
    }

    /**
     * The crate's test-only {@code mapping_level(va)}: the level of the first non-table entry on the walk of
     * {@code va} if it is VALID (3 for a page), else empty.
     */
    public OptionalInt mappingLevel(VirtualAddress va) {
        checkOpen();
        try {
            return PageTableWithLevel.mappingLevel(translation, table, level, va.value());
        } catch (IllegalStateException e) {
            throw memoryGone(e);
        }
    }

    /** The root table's memory, read-only. */
    public MemorySegment rootSegment() {
        checkOpen();
        return table.asReadOnly();
    }

    /**
     * {@code verify_region}: backwards first; then lower range (and the regimes without one): a start negative as a
     * signed value is AddressRange(start), an end above size() AddressRange(end); upper range: a start non-negative
     * as a signed value or whose magnitude exceeds size() is AddressRange(start), and the end is not checked.
     */
    void verifyRegion(long start, long end) throws MapException {
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
                if (start >= 0 || Long.compareUnsigned(-start, size()) > 0) {
                    throw new MapException(new MapError.AddressRange(new VirtualAddress(start)));
                }
            }
        }
    }

    /**
     * The crate's {@code Debug}: {@code RootTable { pa: 0x…, translation_regime: PhantomData<aarch64_paging::paging::El1And0>,
     * va_range: Lower, level: 1, table:}, one line per entry or run ({@code PageTableWithLevel::fmt_indented}), then
     * {@code }}. The regimes without a VA range print {@code va_range: ()}.
     *
     * @throws TranslationPanic where the crate's dump panics: a table descriptor the translation cannot resolve
     */
    public String debug() {
        checkOpen();
        StringBuilder out = new StringBuilder(4096);
        out.append("RootTable { pa: ").append(pa).append(", translation_regime: PhantomData<")
                .append(regime.typeName()).append(">, va_range: ")
                .append(regime.hasAsid() ? vaRange.rustName() : "()").append(", level: ").append(level)
                .append(", table:\n");
        try {
            PageTableWithLevel.formatIndented(out, translation, regime.attributes(), table, level, 0);
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
     * The crate's {@code Drop}: frees every reachable table, post-order, root last. Idempotent; if the memory is
     * already gone, only marks the table closed.
     *
     * @throws TranslationPanic if the translation refuses a free
     */
    @Override
    public void close() {
        if (dropped) {
            return;
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
        if (!table.scope().isAlive()) {
            throw new MemoryLifetimeException(MemoryLifetimeException.Kind.CLOSED,
                    "the memory holding the root table has been released");
        }
        if (!table.isAccessibleBy(Thread.currentThread())) {
            throw new MemoryLifetimeException(MemoryLifetimeException.Kind.WRONG_THREAD,
                    "the table memory is confined to another thread");
        }
    }

    /** An FFM failure part-way: ours if the memory is gone, else rethrown as it is (a bug). */
    private RuntimeException memoryGone(IllegalStateException e) {
        if (!table.scope().isAlive()) {
            return new MemoryLifetimeException(MemoryLifetimeException.Kind.CLOSED,
                    "the table memory was released during the operation", e);
        }
        return e;
    }
}
