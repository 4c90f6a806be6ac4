package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.internal.TableLayout;
import java.util.OptionalLong;

/**
 * A root table with its ASID and an active count ({@code aarch64_paging::Mapping<T, R>}). While the count is not zero
 * the mapping is live: {@link #mapRange} and {@link #modifyRange} first run a break-before-make dry run over the
 * range ({@code docs/aarch64-paging-0.12.1.md}, "Break-before-make"), and the real pass of {@code modifyRange} treats
 * its descriptors as live.
 *
 * <p>On a host, as the crate's tests run it, {@link #activate} writes no register: it counts the mapping active and
 * returns {@code usize::MAX}; {@link #deactivate} asserts it is active and counts it down. {@link Regime#ttbrValue}
 * says what aarch64 would write.
 *
 * <p>Not thread-safe here (the crate's count is atomic; nothing else is shared).
 *
 * @param <A> the regime's attribute type
 */
public final class Mapping<A extends PagingAttributes<A>> implements AutoCloseable {
    /** What {@code activate} returns off aarch64: the previous TTBR it did not read, {@code usize::MAX}. */
    public static final long NO_PREVIOUS_TTBR = -1L;

    private final RootTable<A> root;
    private final long asid;
    private final boolean hasAsid;
    /** The crate's {@code AtomicUsize active_count}: wraps, as {@code fetch_add}/{@code fetch_sub} do. */
    private long activeCount;
    private boolean dropped;

    private Mapping(RootTable<A> root, long asid, boolean hasAsid) {
        this.root = root;
        this.asid = asid;
        this.hasAsid = hasAsid;
    }

    /**
     * {@code Mapping::new(translation, rootlevel, regime)}, for EL2, EL3 and stage 2.
     *
     * @throws CratePanic "Invalid root table level {level}." if rootLevel is above 3
     * @throws TranslationPanic if the root cannot be allocated
     */
    public Mapping(Translation translation, int rootLevel, UnitRegime<A> regime) {
        this(new RootTable<>(translation, rootLevel, regime), 0, false);
    }

    /**
     * {@code Mapping::with_asid_and_va_range(translation, asid, rootlevel, regime, va_range)}, for EL1&amp;0 and
     * EL2&amp;0.
     *
     * @throws CratePanic "Invalid root table level {level}." if rootLevel is above 3
     * @throws TranslationPanic if the root cannot be allocated
     */
    public static <A extends PagingAttributes<A>> Mapping<A> withAsidAndVaRange(Translation translation, long asid,
            int rootLevel, AsidRegime<A> regime, VaRange vaRange) {
        return new Mapping<>(RootTable.withVaRange(translation, rootLevel, regime, vaRange), asid, true);
    }

    /** The root table (a private field in the crate, which its own tests read). */
    public RootTable<A> root() {
        return root;
    }

    /** {@code translation()}. */
    public Translation translation() {
        return root.translation();
    }

    /** {@code active()}: whether the active count is not zero. */
    public boolean active() {
        return activeCount != 0;
    }

    /** The active count, unsigned (it is {@code usize::MAX} after an underflow). */
    public long activeCount() {
        return activeCount;
    }

    /** {@code size()}. */
    public long size() {
        return root.size();
    }

    /**
     * {@code activate()} as the crate runs on a host: {@link #markActive}, then returns {@code usize::MAX}
     * ({@link #NO_PREVIOUS_TTBR}). It may be called again while active (the count goes up).
     */
    public long activate() {
        markActive();
        return NO_PREVIOUS_TTBR;
    }

    /**
     * {@code deactivate(previous_ttbr)}: asserts the mapping is active, then {@link #markInactive}. The regime's own
     * register write is compiled out on a host, including EL2's and EL3's panic.
     *
     * @throws CratePanic "assertion failed: self.active()" if it is not active
     */
    public void deactivate(long previousTtbr) {
        if (!active()) {
            throw new CratePanic("assertion failed: self.active()");
        }
        markInactive();
    }

    /** {@code mark_active()}: counts up (wrapping). */
    public void markActive() {
        activeCount++;
    }

    /**
     * {@code mark_inactive()}: counts down.
     *
     * @throws CratePanic "Underflow in active count." if the count was 0 — after which, as in the crate, it has
     *     wrapped to {@code usize::MAX} and the mapping counts as active
     */
    public void markInactive() {
        long old = activeCount;
        activeCount = old - 1;
        if (old == 0) {
            throw new CratePanic("Underflow in active count.");
        }
    }

    /**
     * {@code map_range(range, pa, flags, constraints)}. On an active mapping, first the dry run: for each leaf the
     * range touches (clipped chunk M at level L), a live copy is {@code set} to
     * {@code ((M.start - range.start + pa) & !(gran(L) - 1), flags | TABLE_OR_PAGE at level 3)}; a refusal, or a
     * valid leaf whose flags the copy changed while M is not a whole block at L, is a violation. Then
     * {@link RootTable#mapRange}, then (if active) the TLB walk, which on a host does nothing.
     *
     * @throws MapException active: RegionBackwards, AddressRange, BreakBeforeMakeViolation(M), then InvalidFlags;
     *     inactive: InvalidFlags, RegionBackwards, AddressRange
     */
    public void mapRange(MemoryRegion range, PhysicalAddress pa, A flags, Constraints constraints)
            throws MapException {
        if (active()) {
            long start = range.startValue();
            long pa0 = pa.value();
            PagingAttributes.Type<A> type = root.regime().attributes();
            A pageFlags = type.fromBitsRetain(flags.bits() | PagingAttributes.Type.TABLE_OR_PAGE);
            checkRangeBbm(range, (m, d) -> {
                long mask = ~(Geometry.granularityAtLevel(d.level()) - 1);
                long target = (m.startValue() - start + pa0) & mask;
                return d.set(new PhysicalAddress(target), d.level() == Geometry.LEAF_LEVEL ? pageFlags : flags);
            });
        }
        root.mapRange(range, pa, flags, constraints);
        invalidateRange(range);
    }

    /**
     * {@code modify_range(range, f)}: on an active mapping, the dry run with {@code updater} itself (so it runs twice
     * per leaf: on a copy at the unsplit level with the chunk of the request, then for real); then
     * {@link RootTable#modifyRange} with the descriptors live iff the mapping is active.
     *
     * @throws MapException RegionBackwards, AddressRange; (active) BreakBeforeMakeViolation — a dry run in which the
     *     updater returned false is one too; PteUpdateFault(bits before the call) from the real pass, which keeps
     *     what it did before
     */
    public void modifyRange(MemoryRegion range, Updater<A> updater) throws MapException {
        if (active()) {
            checkRangeBbm(range, updater);
        }
        root.modifyRange(range, updater, active());
    }

    /** {@code walk_range(range, f)}: see {@link RootTable#walkRange}; no checks of liveness. */
    public void walkRange(MemoryRegion range, Visitor<A> visitor) throws MapException {
        root.walkRange(range, visitor);
    }

    /** {@code compact_subtables()}: see {@link RootTable#compactSubtables}. */
    public void compactSubtables() {
        root.compactSubtables();
    }

    /** {@code root_address()}. */
    public PhysicalAddress rootAddress() {
        return root.toPhysical();
    }

    /** {@code asid()}: the ASID, or empty for the regimes whose {@code Asid} is {@code ()}. */
    public OptionalLong asid() {
        return hasAsid ? OptionalLong.of(asid) : OptionalLong.empty();
    }

    /** What {@code activate} would write to the regime's TTBR on aarch64 ({@link Regime#ttbrValue}). */
    public long ttbrValue() {
        return root.regime().ttbrValue(root.toPhysical(), asid);
    }

    /**
     * {@code check_range_bbm}: walks the range (which verifies it); for each leaf, runs {@code updater} on a live
     * clone; {@code Err} from it, or a valid leaf that is not a whole block at its level whose flags the clone
     * changed, is BreakBeforeMakeViolation(the clipped chunk).
     */
    private void checkRangeBbm(MemoryRegion range, Updater<A> updater) throws MapException {
        PagingAttributes.Type<A> type = root.regime().attributes();
        MapError error = root.visitRange(range, (s, e, table, index, level) -> {
            long bits = TableLayout.read(table, index);
            MemoryRegion chunk = MemoryRegion.aligned(s, e);
            UpdatableDescriptor<A> copy = UpdatableDescriptor.cloneFrom(type, bits, level);
            boolean ok;
            long copied;
            try {
                ok = Callbacks.update(updater, chunk, copy, level, bits);
                copied = copy.bits();
            } finally {
                copy.expire();
            }
            long gran = Geometry.granularityAtLevel(level);
            boolean wholeBlock = ((s | e) & (gran - 1)) == 0;
            if (ok && Descriptor.isValid(bits) && !wholeBlock
                    && Descriptor.flagBitsOf(bits) != Descriptor.flagBitsOf(copied)) {
                ok = false; // cannot split a live block mapping
            }
            return ok ? null : new MapError.BreakBeforeMakeViolation(chunk);
        });
        if (error != null) {
            throw new MapException(error);
        }
    }

    /** {@code invalidate_range}: on an active mapping, a walk that invalidates each leaf (nothing, on a host). */
    private void invalidateRange(MemoryRegion range) throws MapException {
        if (active()) {
            root.visitRange(range, (s, e, table, index, level) -> null);
        }
    }

    /**
     * The derived {@code Debug}: {@code Mapping { root: RootTable { … }, asid: 1, active_count: 0 }} ({@code asid: ()}
     * for the regimes without one).
     */
    @Override
    public String toString() {
        return "Mapping { root: " + root + ", asid: " + (hasAsid ? Long.toUnsignedString(asid) : "()")
                + ", active_count: " + Long.toUnsignedString(activeCount) + " }";
    }

    /** Whether {@link #close} has run. */
    public boolean isClosed() {
        return dropped;
    }

    /**
     * The crate's {@code Drop}, then the drop glue: if active, {@code Drop} panics; the fields are dropped all the
     * same while the panic unwinds, so the root table frees every table first. Idempotent.
     *
     * @throws CratePanic "Dropping active page table mapping!" if active, after the tables are freed (a translation
     *     panic while freeing would abort the Rust process; here it is added to it as suppressed)
     * @throws TranslationPanic if the translation refuses a free of an inactive mapping's table
     */
    @Override
    public void close() {
        if (dropped) {
            return;
        }
        dropped = true;
        if (!active()) {
            root.close();
            return;
        }
        CratePanic panic = new CratePanic("Dropping active page table mapping!");
        try {
            root.close();
        } catch (RuntimeException whileUnwinding) {
            panic.addSuppressed(whileUnwinding);
        }
        throw panic;
    }
}
