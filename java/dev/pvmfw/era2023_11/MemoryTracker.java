package dev.pvmfw.era2023_11;

import dev.pvmfw.era.CorrectedLazyMmio;
import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.era.LazyFlow;
import dev.pvmfw.era.ScenarioTracker;
import dev.pvmfw.era.LeafWalks;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.era.RangeExt;
import dev.pvmfw.era.VmbaseRegions;
import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.paging.port.MmuOpsException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vmbase's {@code MemoryTracker} as at the end of the aarch64-paging 0.5.0 series, {@code 28e439f4:vmbase/src/memory/shared.rs}
 * (merged 2023-11-09; {@code docs/pvmfw-2023-11.md}): the main memory window, the MMIO window, up to five RAM and five
 * MMIO regions, the page table, lazy MMIO (only with an MMIO guard), the fault handler that sets VALID in place, and
 * the teardown by {@code walk_range}.
 *
 * <p>The RAM and MMIO region bookkeeping is vmbase's from 2023-09 on, shared with the other vmbase era in
 * {@link VmbaseRegions}; this era maps each failed check to its own variant of the same name.
 *
 * <p><b>Checks, in vmbase's order</b> (ranges half-open, unsigned; "overlap" is vmbase's {@link RangeExt#overlaps},
 * under which an empty range inside a region overlaps it):
 * <ul>
 *   <li>{@link #MemoryTracker new}: total must not overlap the MMIO window (a panic, {@value #MMIO_OVERLAPS_MEMORY});
 *       then DBM on and the table activated.</li>
 *   <li>{@link #shrink}: as the seed's.</li>
 *   <li>{@link #allocRange}/{@link #allocRangeMut}: {@code check_allocatable} (not within total → OutOfRange, then
 *       {@code check_no_overlap}: overlapping a RAM region → Overlaps; five regions → Full); map RODATA / DATA_DBM (→
 *       FailedToMap); push. {@link #allocRangeOutsideMainMemory}: {@code check_no_overlap} only.</li>
 *   <li>{@link #mapMmioRange}: not within the MMIO window → OutOfRange; overlapping an MMIO region → Overlaps; five
 *       → Full; with an MMIO guard map DEVICE_LAZY ("Error during lazy MMIO device mapping: {e}"), without one DEVICE
 *       ("Error during MMIO device mapping: {e}"), either error → FailedToMap; push.</li>
 * </ul>
 *
 * <p>Not reproduced in this era: memory sharing (the shared pool), the dirty-state flush and the permission-fault
 * handler; {@link #close} records that DBM is turned off but flushes nothing.
 *
 * <p>Not thread-safe: pvmfw keeps it in {@code MEMORY: SpinMutex<Option<MemoryTracker>>}
 * ({@link dev.pvmfw.era.MemoryMutex}).
 */
public final class MemoryTracker implements ScenarioTracker {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryTracker.class);

    /** Capacity of the RAM region list. */
    public static final int CAPACITY = VmbaseRegions.CAPACITY;
    /** Capacity of the MMIO region list. */
    public static final int MMIO_CAPACITY = VmbaseRegions.MMIO_CAPACITY;
    /** libhyp's {@code MMIO_GUARD_GRANULE_SIZE}, the range the fault handler validates. */
    public static final long MMIO_GUARD_GRANULE_SIZE = MmioGuardedHypervisor.MMIO_GUARD_GRANULE_SIZE;
    /** The panic message of {@code new}'s assertion. */
    public static final String MMIO_OVERLAPS_MEMORY = "MMIO space should not overlap with the main memory region.";

    private final MmuOps pageTable;
    private final Hypervisor hypervisor;
    private final Optional<MemoryRange> payloadRange;
    private final VmbaseRegions<MemoryTrackerException> memory;
    private final LazyFlow lazyFlow;
    private boolean dbmEnabled;
    private boolean closed;

    /**
     * {@code MemoryTracker::new(page_table, total, mmio_range, payload_range)}: asserts that {@code total} does not
     * overlap {@code mmioRange}, turns DBM on ({@code set_dbm_enabled(true)}, recorded) and activates the table.
     *
     * <p>The era's own flow ({@link LazyFlow#ERA}).
     *
     * @param payloadRange the appended payload, or null ({@code None})
     * @param hypervisor what {@code get_hypervisor()} returns (a global in vmbase)
     * @throws InvariantViolation {@value #MMIO_OVERLAPS_MEMORY}; the table's panic if it is already active
     */
    public MemoryTracker(MmuOps pageTable, MemoryRange total, MemoryRange mmioRange, MemoryRange payloadRange,
            Hypervisor hypervisor) {
        this(pageTable, total, mmioRange, payloadRange, hypervisor, LazyFlow.ERA);
    }

    /**
     * {@code MemoryTracker::new(page_table, total, mmio_range, payload_range)}: asserts that {@code total} does not
     * overlap {@code mmioRange}, turns DBM on ({@code set_dbm_enabled(true)}, recorded) and activates the table.
     *
     * @param lazyFlow how a faulted lazy leaf is made valid: the era's in-place edit, or this project's
     *     correction for crates that store a lazy leaf as flags only ({@code docs/pvmfw-2024-05.md}, "The corrected
     *     flow")
     * @param payloadRange the appended payload, or null ({@code None})
     * @param hypervisor what {@code get_hypervisor()} returns (a global in vmbase)
     * @throws InvariantViolation {@value #MMIO_OVERLAPS_MEMORY}; the table's panic if it is already active
     */
    public MemoryTracker(MmuOps pageTable, MemoryRange total, MemoryRange mmioRange, MemoryRange payloadRange,
            Hypervisor hypervisor, LazyFlow lazyFlow) {
        this.lazyFlow = Objects.requireNonNull(lazyFlow);
        this.pageTable = Objects.requireNonNull(pageTable);
        this.memory = new VmbaseRegions<>(pageTable, total, mmioRange, MemoryTracker::checkFailed);
        this.payloadRange = Optional.ofNullable(payloadRange);
        this.hypervisor = Objects.requireNonNull(hypervisor);
        if (RangeExt.overlaps(total, mmioRange)) {
            throw new InvariantViolation(MMIO_OVERLAPS_MEMORY);
        }
        dbmEnabled = true;
        pageTable.activate();
    }

    // --- RAM (vmbase's bookkeeping, dev.pvmfw.era.VmbaseRegions) ----------------------------------------------

    /**
     * {@code shrink(range)}.
     *
     * @throws MemoryTrackerException DifferentBaseAddress, SizeTooLarge, SizeTooSmall (in that order)
     */
    public void shrink(MemoryRange range) throws MemoryTrackerException {
        memory.shrink(range);
    }

    /**
     * {@code alloc_range(range)}: a read-only RAM region, mapped RODATA.
     *
     * @throws MemoryTrackerException OutOfRange, Overlaps, Full, FailedToMap
     */
    public MemoryRange allocRange(MemoryRange range) throws MemoryTrackerException {
        return memory.allocRange(range);
    }

    /**
     * {@code alloc_range_outside_main_memory(range)} (unsafe in Rust): as {@link #allocRange} without the check
     * against total.
     *
     * @throws MemoryTrackerException Overlaps, Full, FailedToMap
     */
    public MemoryRange allocRangeOutsideMainMemory(MemoryRange range) throws MemoryTrackerException {
        return memory.allocRangeOutsideMainMemory(range);
    }

    /**
     * {@code alloc_range_mut(range)}: a read-write RAM region, mapped DATA_DBM (writable once marked dirty).
     *
     * @throws MemoryTrackerException OutOfRange, Overlaps, Full, FailedToMap
     */
    public MemoryRange allocRangeMut(MemoryRange range) throws MemoryTrackerException {
        return memory.allocRangeMut(range);
    }

    /**
     * {@code alloc(base, size)}: {@code alloc_range(base..base + size)}, the sum wrapping.
     *
     * @throws IllegalArgumentException if size is 0, which {@code NonZeroUsize} cannot hold
     * @throws MemoryTrackerException as {@link #allocRange}
     */
    public MemoryRange alloc(long base, long size) throws MemoryTrackerException {
        return allocRange(new MemoryRange(base, base + nonZero(size)));
    }

    /**
     * {@code alloc_mut(base, size)}: {@code alloc_range_mut(base..base + size)}.
     *
     * @throws IllegalArgumentException if size is 0
     * @throws MemoryTrackerException as {@link #allocRangeMut}
     */
    public MemoryRange allocMut(long base, long size) throws MemoryTrackerException {
        return allocRangeMut(new MemoryRange(base, base + nonZero(size)));
    }

    private static long nonZero(long size) {
        if (size == 0) {
            throw new IllegalArgumentException("size must be non-zero (NonZeroUsize)");
        }
        return size;
    }

    // --- MMIO --------------------------------------------------------------------------------------------------------

    /**
     * {@code map_mmio_range(range)}: with an MMIO guard, lazy (invalid, SWFLAG_0) device descriptors, mapped page by page on first access by {@link #handleMmioFault};
     * without one, valid device descriptors at once. No hypercall.
     *
     * @throws MemoryTrackerException OutOfRange, Overlaps, Full, FailedToMap (the class comment has the order)
     */
    public void mapMmioRange(MemoryRange range) throws MemoryTrackerException {
        memory.mapMmioRange(range, hypervisor.asMmioGuard().isPresent());
    }

    /**
     * {@link #mapMmioRange(MemoryRange)} of {@code start..end}.
     *
     * @throws MemoryTrackerException as {@link #mapMmioRange(MemoryRange)}
     */
    @Override
    public void mapMmioRange(long start, long end) throws MemoryTrackerException {
        mapMmioRange(new MemoryRange(start, end));
    }

    /**
     * {@code handle_mmio_fault(addr)}, with {@code page = addr & ~0xfff} and the 4 KiB granule (the end wraps):
     * <ol>
     *   <li>{@code assert_eq!(page % MMIO_GUARD_GRANULE_SIZE, 0)} (cannot fire);</li>
     *   <li>{@code get_mmio_guard().unwrap()}: a panic without an MMIO guard;</li>
     *   <li>one 0.5 {@code modify_range} over the page with {@link PteCallbacks#LAZY_AS_VALID}: a lazy block is split,
     *       the page's leaf must be lazy and invalid and gets VALID set in place; otherwise InvalidPte;</li>
     *   <li>MMIO_GUARD_MAP(page); an error → Hypervisor(e) — with the page <em>already valid</em> in the table.</li>
     * </ol>
     *
     * @throws MemoryTrackerException InvalidPte, Hypervisor
     * @throws InvariantViolation no MMIO guard ({@code called `Option::unwrap()` on a `None` value}); "Unsupported PTE
     *     flags set"
     */
    @Override
    public void handleMmioFault(long addr) throws MemoryTrackerException {
        long page = addr & ~0xfffL;
        long misalignment = Long.remainderUnsigned(page, MMIO_GUARD_GRANULE_SIZE);
        if (misalignment != 0) {
            throw InvariantViolation.assertEqFailed(misalignment, 0, null);
        }
        MmioGuardedHypervisor guard = hypervisor.asMmioGuard()
                .orElseThrow(() -> new InvariantViolation(InvariantViolation.UNWRAP_NONE));
        try {
            makeValid(page, page + MMIO_GUARD_GRANULE_SIZE);
        } catch (MmuOpsException e) {
            LOG.debug("MMIO fault at 0x{}: not a lazy MMIO page ({})", Long.toHexString(addr), e.getMessage());
            throw error(MemoryTrackerError.Unit.InvalidPte);
        }
        try {
            guard.map(page);
        } catch (HypException e) {
            LOG.debug("MMIO fault at 0x{}: MMIO_GUARD_MAP failed after the PTE was made valid: {}",
                    Long.toHexString(addr), e.error().display());
            throw error(new MemoryTrackerError.Hypervisor(e.error()));
        }
    }

    /**
     * {@code mmio_unmap_all()}: with an MMIO guard, for each MMIO region in the order added, a 0.5
     * {@code walk_range} with {@link PteCallbacks#mmioGuardUnmapPage}: every VALID leaf is MMIO_GUARD_UNMAPped, in VA
     * order; without one, nothing. The page table is left as it is.
     *
     * @throws MemoryTrackerException FailedToUnmap if a walk or an UNMAP fails (nothing after it is walked)
     * @throws InvariantViolation where the callback panics
     */
    public void mmioUnmapAll() throws MemoryTrackerException {
        if (hypervisor.asMmioGuard().isEmpty()) {
            return;
        }
        var unmap = PteCallbacks.mmioGuardUnmapPage(hypervisor);
        for (MemoryRange range : memory.mmioRegions()) {
            try {
                LeafWalks.walkRange(pageTable, range.start(), range.end(), unmap);
            } catch (MmuOpsException e) {
                throw error(MemoryTrackerError.Unit.FailedToUnmap);
            }
        }
    }

    /** The era's in-place edit, or with {@link LazyFlow#CORRECTED} the corrected flow. */
    private void makeValid(long start, long end) throws MmuOpsException {
        switch (lazyFlow) {
            case ERA -> LeafWalks.modifyRange(pageTable, start, end, PteCallbacks.LAZY_AS_VALID);
            case CORRECTED -> CorrectedLazyMmio.mapLazyAsValid(pageTable, start, end);
        }
    }

    // --- inspection and drop -----------------------------------------------------------------------------------------

    /** The main memory window. */
    public MemoryRange total() {
        return memory.total();
    }

    /** The MMIO window ({@code mmio_range}). */
    public MemoryRange mmioRange() {
        return memory.mmioRange();
    }

    /** The appended payload range, if given. */
    public Optional<MemoryRange> payloadRange() {
        return payloadRange;
    }

    /** RAM regions, in the order added. */
    public List<TrackedRegion> regions() {
        return memory.regions().stream()
                .map(r -> new TrackedRegion(r.range(), r.writable() ? MemoryType.READ_WRITE : MemoryType.READ_ONLY))
                .toList();
    }

    /** MMIO regions, in the order added. */
    public List<MemoryRange> mmioRegions() {
        return memory.mmioRegions();
    }

    /**
     * {@inheritDoc} This era's teardown is {@link #mmioUnmapAll}.
     *
     * @throws MemoryTrackerException FailedToUnmap
     */
    @Override
    public void mmioTeardown() throws MemoryTrackerException {
        mmioUnmapAll();
    }

    /** pvmfw's page table, which the tracker owns. */
    @Override
    public MmuOps pageTable() {
        return pageTable;
    }

    /** How a faulted lazy leaf is made valid. */
    public LazyFlow lazyFlow() {
        return lazyFlow;
    }

    /** The hypervisor ({@code get_hypervisor()}). */
    public Hypervisor hypervisor() {
        return hypervisor;
    }

    /** Whether dirty-state management is on ({@code set_dbm_enabled}, recorded: on from {@code new} to the drop). */
    public boolean dbmEnabled() {
        return dbmEnabled;
    }

    /** Whether {@link #close} has run. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * {@code Drop}: DBM off, then (not reproduced) the dirty-page flush and memory unsharing, then the page table is
     * dropped (deactivated, its tables freed). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        dbmEnabled = false;
        pageTable.close();
    }

    /** This era's variant for a failed check of the shared bookkeeping (each has a variant of the same name). */
    private static MemoryTrackerException checkFailed(VmbaseRegions.Check check) {
        return error(switch (check) {
            case DifferentBaseAddress -> MemoryTrackerError.Unit.DifferentBaseAddress;
            case SizeTooLarge -> MemoryTrackerError.Unit.SizeTooLarge;
            case SizeTooSmall -> MemoryTrackerError.Unit.SizeTooSmall;
            case Full -> MemoryTrackerError.Unit.Full;
            case OutOfRange -> MemoryTrackerError.Unit.OutOfRange;
            case Overlaps -> MemoryTrackerError.Unit.Overlaps;
            case FailedToMap -> MemoryTrackerError.Unit.FailedToMap;
        });
    }

    private static MemoryTrackerException error(MemoryTrackerError e) {
        return new MemoryTrackerException(e);
    }
}
