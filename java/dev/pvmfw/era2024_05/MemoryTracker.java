package dev.pvmfw.era2024_05;

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
 * vmbase's {@code MemoryTracker} as at {@code c08e63cb:vmbase/src/memory/shared.rs} (2024-05-22; unchanged on the lazy
 * path through {@code 758d65de}, 2024-09; {@code docs/pvmfw-2024-05.md}): the 2023-11 tracker with an
 * {@link MmioSharer}: the fault handler shares (MMIO_GUARD_MAPs) the whole MMIO guard granule first and then makes
 * every page of it valid; the teardown unshares the recorded granules instead of walking the table.
 *
 * <p>The RAM and MMIO region bookkeeping is vmbase's from 2023-09 on, shared with the other vmbase era in
 * {@link VmbaseRegions}; this era maps each failed check to its own variant of the same name.
 *
 * <p><b>Checks, in vmbase's order</b> (ranges half-open, unsigned; "overlap" is vmbase's {@link RangeExt#overlaps},
 * under which an empty range inside a region overlaps it):
 * <ul>
 *   <li>{@link #MemoryTracker new}: total must not overlap the MMIO window (a panic, {@value #MMIO_OVERLAPS_MEMORY});
 *       then DBM on, the table activated, and {@code MmioSharer::new().unwrap()}: an MMIO_GUARD_INFO error or an
 *       unsupported granule panics here.</li>
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
    /** The panic message of {@code new}'s assertion. */
    public static final String MMIO_OVERLAPS_MEMORY = "MMIO space should not overlap with the main memory region.";

    private final MmuOps pageTable;
    private final Hypervisor hypervisor;
    private final Optional<MemoryRange> payloadRange;
    private final VmbaseRegions<MemoryTrackerException> memory;
    private final LazyFlow lazyFlow;
    private final MmioSharer mmioSharer;
    private boolean dbmEnabled;
    private boolean closed;

    /**
     * {@code MemoryTracker::new(page_table, total, mmio_range, payload_range)}: asserts that {@code total} does not
     * overlap {@code mmioRange}, turns DBM on ({@code set_dbm_enabled(true)}, recorded), activates the table and makes
     * the {@link MmioSharer}, unwrapped.
     *
     * <p>The era's own flow ({@link LazyFlow#ERA}).
     *
     * @param payloadRange the appended payload, or null ({@code None})
     * @param hypervisor what {@code get_hypervisor()} returns (a global in vmbase)
     * @throws InvariantViolation {@value #MMIO_OVERLAPS_MEMORY}; the table's panic if it is already active;
     *     {@code called `Result::unwrap()` on an `Err` value: UnsupportedMmioGuardGranule(6144)} (a granule not a
     *     multiple of 4 KiB) or {@code ...: Hypervisor(KvmError(..))} (MMIO_GUARD_INFO failed);
     *     {@value MmioSharer#NOT_POWER_OF_TWO} (12 KiB, 0)
     */
    public MemoryTracker(MmuOps pageTable, MemoryRange total, MemoryRange mmioRange, MemoryRange payloadRange,
            Hypervisor hypervisor) {
        this(pageTable, total, mmioRange, payloadRange, hypervisor, LazyFlow.ERA);
    }

    /**
     * {@code MemoryTracker::new(page_table, total, mmio_range, payload_range)}: asserts that {@code total} does not
     * overlap {@code mmioRange}, turns DBM on ({@code set_dbm_enabled(true)}, recorded), activates the table and makes
     * the {@link MmioSharer}, unwrapped.
     *
     * @param lazyFlow how a faulted lazy leaf is made valid: the era's in-place edit, or this project's
     *     correction for crates that store a lazy leaf as flags only ({@code docs/pvmfw-2024-05.md}, "The corrected
     *     flow")
     * @param payloadRange the appended payload, or null ({@code None})
     * @param hypervisor what {@code get_hypervisor()} returns (a global in vmbase)
     * @throws InvariantViolation {@value #MMIO_OVERLAPS_MEMORY}; the table's panic if it is already active;
     *     {@code called `Result::unwrap()` on an `Err` value: UnsupportedMmioGuardGranule(6144)} (a granule not a
     *     multiple of 4 KiB) or {@code ...: Hypervisor(KvmError(..))} (MMIO_GUARD_INFO failed);
     *     {@value MmioSharer#NOT_POWER_OF_TWO} (12 KiB, 0)
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
        try {
            mmioSharer = MmioSharer.create(hypervisor);
        } catch (MemoryTrackerException e) {
            throw InvariantViolation.unwrapErr(e.error());
        }
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
     * {@code map_mmio_range(range)}: with an MMIO guard, lazy (invalid, SWFLAG_0) device descriptors, made valid a granule at a time on first access by {@link #handleMmioFault};
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
     * {@code handle_mmio_fault(addr)}: {@link MmioSharer#share} (DuplicateMmioShare for a granule already shared or
     * the UART's; with an MMIO guard the MMIO_GUARD_MAP comes <em>first</em>, and a failed MAP is Hypervisor(e) with
     * no PTE check), then {@link #mapLazyMmioAsValid} over the whole granule. So a fault on an address that is not
     * lazy still MAPs (and records) its granule before failing with InvalidPte.
     *
     * @throws MemoryTrackerException DuplicateMmioShare, Hypervisor, InvalidPte
     * @throws InvariantViolation "Unsupported PTE flags set"
     */
    @Override
    public void handleMmioFault(long addr) throws MemoryTrackerException {
        MemoryRange shared = mmioSharer.share(addr);
        mapLazyMmioAsValid(shared);
    }

    /**
     * {@code map_lazy_mmio_as_valid(range)} (2025 libvmbase: {@code map_device_expect_lazy}): one 0.5
     * {@code modify_range} with {@link PteCallbacks#LAZY_AS_VALID}: every leaf in the range must be lazy and invalid
     * and gets VALID set in place; the first that is not stops the walk (pages before it stay valid).
     *
     * @throws MemoryTrackerException InvalidPte
     * @throws InvariantViolation "Unsupported PTE flags set"
     */
    public void mapLazyMmioAsValid(MemoryRange range) throws MemoryTrackerException {
        try {
            makeValid(range.start(), range.end());
        } catch (MmuOpsException e) {
            LOG.debug("MMIO fault: {} is not all lazy MMIO ({})", range, e.getMessage());
            throw error(MemoryTrackerError.Unit.InvalidPte);
        }
    }

    /**
     * {@code unshare_all_mmio()} (2025 libvmbase: {@code unshare_all_mmio_except_uart}): {@link MmioSharer#unshareAll};
     * always Ok, so pvmfw's "Failed to unshare MMIO ranges" can no longer happen.
     *
     * @throws InvariantViolation if an UNMAP fails ({@code called `Result::unwrap()` on an `Err` value: ..})
     */
    public void unshareAllMmio() {
        mmioSharer.unshareAll();
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
     * {@inheritDoc} This era's teardown is {@link #unshareAllMmio}.
     *
     * @throws InvariantViolation if an UNMAP fails
     */
    @Override
    public void mmioTeardown() {
        unshareAllMmio();
    }

    /** pvmfw's page table, which the tracker owns. */
    @Override
    public MmuOps pageTable() {
        return pageTable;
    }

    /** The MMIO sharer. */
    public MmioSharer mmioSharer() {
        return mmioSharer;
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
     * {@code Drop}: DBM off, then (not reproduced) the dirty-page flush and memory unsharing; then the fields drop in
     * declaration order: the page table (deactivated, its tables freed) <em>before</em> the {@link MmioSharer}, whose
     * drop unshares what is still shared (nothing after pvmfw's exit sequence). Idempotent.
     *
     * @throws InvariantViolation if the sharer's UNMAP fails
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        dbmEnabled = false;
        try {
            pageTable.close();
        } finally {
            mmioSharer.close();
        }
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
