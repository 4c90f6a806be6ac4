package dev.pvmfw.era2023_05;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.era.ScenarioTracker;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.era.SimulatedHeap;
import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.paging.port.MmuOpsException;

import dev.pvmfw.era2023_05.HypException;
import dev.pvmfw.era2023_05.Hypervisor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pvmfw's {@code MemoryTracker} exactly as at {@code b99905d3} ("pvmfw: Optimize MMIO guard map", May 2023): the main
 * memory window, up to five RAM regions and five MMIO regions, the page table, lazy MMIO mapping, the MMIO fault
 * handler, MMIO teardown and the shared-memory pool.
 *
 * <p><b>Checks, in pvmfw's order</b> (ranges are half-open and unsigned; "overlap" is
 * {@code max(starts) < min(ends)}, so an empty range overlaps nothing):
 * <ul>
 *   <li>{@link #shrink}: start ≠ total.start → DifferentBaseAddress; total.end &lt; end → SizeTooLarge; a region not
 *       within the new range → SizeTooSmall.</li>
 *   <li>{@link #allocRange}/{@link #allocRangeMut}: not within total → OutOfRange; overlapping a RAM region →
 *       Overlaps; five regions → Full; then map (RODATA / DATA), a MapError → FailedToMap; then push.</li>
 *   <li>{@link #mapMmioRange}: end &gt; total.start, or overlapping {@link #PVMFW_RANGE} → OutOfRange; overlapping an
 *       MMIO region → Overlaps (RAM regions and the UART are <em>not</em> checked); five regions → Full; then
 *       {@code map_device_lazy}, a MapError → FailedToMap (logged); then push. No alignment or emptiness checks.</li>
 * </ul>
 *
 * <p><b>Decisions where this era differs from later ones.</b> {@link #allocRangeMut} maps plain DATA: DATA_DBM and
 * dirty tracking arrived the next day ({@code 44b1ce35}). {@link #MAX_ADDR} is 2<sup>40</sup> but the table covers
 * 2<sup>39</sup>, so an allocation between them passes the checks and fails with FailedToMap. pvmfw's globals
 * {@code SHARED_MEMORY} and {@code SHARED_POOL} are fields of the tracker here, so tests stay independent; their
 * "set once" rules are kept. Address arithmetic wraps (release build).
 *
 * <p>Not thread-safe: pvmfw keeps it in {@code MEMORY: SpinMutex<Option<MemoryTracker>>}, see {@link dev.pvmfw.era.MemoryMutex}.
 */
public final class MemoryTracker implements ScenarioTracker {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryTracker.class);

    /** Base of the system's contiguous main memory, {@code BASE_ADDR}. */
    public static final long BASE_ADDR = 0x8000_0000L;
    /** {@code MAX_ADDR}, 2<sup>40</sup>: "first address that can't be translated by a level 1 TTBR0_EL1". */
    public static final long MAX_ADDR = 1L << 40;
    /** Capacity of the RAM region list. */
    public static final int CAPACITY = 5;
    /** Capacity of the MMIO region list. */
    public static final int MMIO_CAPACITY = 5;
    /** pvmfw's own 4 MiB below main memory: {@code 0x7fc0_0000..0x8000_0000}. */
    public static final MemoryRange PVMFW_RANGE = new MemoryRange(BASE_ADDR - (4L << 20), BASE_ADDR);

    private final MmuOps pageTable;
    private final Hypervisor hypervisor;
    private final SimulatedHeap heap;
    private final List<TrackedRegion> regions = new ArrayList<>(CAPACITY);
    private final List<MemoryRange> mmioRegions = new ArrayList<>(MMIO_CAPACITY);
    private final List<MemoryRange> flushed = new ArrayList<>();
    private MemoryRange total = new MemoryRange(BASE_ADDR, MAX_ADDR);
    private MemorySharer sharedMemory;
    private SharedPool sharedPool;
    private boolean closed;

    /**
     * {@code MemoryTracker::new(page_table)}: no checks; total = {@code BASE_ADDR..MAX_ADDR}. Shared memory comes from
     * a heap at {@link CrosvmLayout#HEAP}.
     */
    public MemoryTracker(MmuOps pageTable, Hypervisor hypervisor) {
        this(pageTable, hypervisor, CrosvmLayout.newHeap());
    }

    /** As {@link #MemoryTracker(MmuOps, Hypervisor)}, with the heap that shared memory is taken from. */
    public MemoryTracker(MmuOps pageTable, Hypervisor hypervisor, SimulatedHeap heap) {
        this.pageTable = Objects.requireNonNull(pageTable);
        this.hypervisor = Objects.requireNonNull(hypervisor);
        this.heap = Objects.requireNonNull(heap);
    }

    // --- RAM ---------------------------------------------------------------------------------------------------------

    /**
     * {@code shrink(range)}: resizes the main memory window.
     *
     * @throws MemoryTrackerException DifferentBaseAddress, SizeTooLarge, SizeTooSmall (in that order)
     */
    public void shrink(MemoryRange range) throws MemoryTrackerException {
        if (range.start() != total.start()) {
            throw error(MemoryTrackerError.Unit.DifferentBaseAddress);
        }
        if (Long.compareUnsigned(total.end(), range.end()) < 0) {
            throw error(MemoryTrackerError.Unit.SizeTooLarge);
        }
        if (!regions.stream().allMatch(r -> r.range().isWithin(range))) {
            throw error(MemoryTrackerError.Unit.SizeTooSmall);
        }
        total = range;
    }

    /**
     * {@code alloc_range(range)}: tracks a read-only RAM region, mapped RODATA.
     *
     * @return the range as tracked (unchanged)
     * @throws MemoryTrackerException OutOfRange, Overlaps, Full, FailedToMap
     */
    public MemoryRange allocRange(MemoryRange range) throws MemoryTrackerException {
        TrackedRegion region = new TrackedRegion(range, MemoryType.READ_ONLY);
        check(region);
        try {
            pageTable.mapRodata(range.start(), range.end());
        } catch (MmuOpsException e) {
            LOG.error("Error during range allocation: {}", e.getMessage());
            throw error(MemoryTrackerError.Unit.FailedToMap);
        }
        return add(region);
    }

    /**
     * {@code alloc_range_mut(range)}: tracks a read-write RAM region, mapped DATA (at {@code b99905d3}; DATA_DBM came
     * with {@code 44b1ce35}).
     *
     * @throws MemoryTrackerException OutOfRange, Overlaps, Full, FailedToMap
     */
    public MemoryRange allocRangeMut(MemoryRange range) throws MemoryTrackerException {
        TrackedRegion region = new TrackedRegion(range, MemoryType.READ_WRITE);
        check(region);
        try {
            pageTable.mapData(range.start(), range.end());
        } catch (MmuOpsException e) {
            LOG.error("Error during mutable range allocation: {}", e.getMessage());
            throw error(MemoryTrackerError.Unit.FailedToMap);
        }
        return add(region);
    }

    /**
     * {@code alloc(base, size)}: {@code alloc_range(base..base + size)}; the sum wraps (release build).
     *
     * @param size non-zero (Rust {@code NonZeroUsize})
     * @throws IllegalArgumentException if size is 0, which the Rust type cannot hold (a caller bug, not an input)
     */
    public MemoryRange alloc(long base, long size) throws MemoryTrackerException {
        return allocRange(new MemoryRange(base, base + nonZero(size)));
    }

    /** {@code alloc_mut(base, size)}: {@code alloc_range_mut(base..base + size)}. @see #alloc */
    public MemoryRange allocMut(long base, long size) throws MemoryTrackerException {
        return allocRangeMut(new MemoryRange(base, base + nonZero(size)));
    }

    /** {@code NonZeroUsize}: rejects 0, which a Rust caller cannot pass. */
    private static long nonZero(long size) {
        if (size == 0) {
            throw new IllegalArgumentException("size must be non-zero (NonZeroUsize)");
        }
        return size;
    }

    /** {@code check}: within total, no overlap with a RAM region, not full. */
    private void check(TrackedRegion region) throws MemoryTrackerException {
        if (!region.range().isWithin(total)) {
            throw error(MemoryTrackerError.Unit.OutOfRange);
        }
        if (regions.stream().anyMatch(r -> r.range().overlaps(region.range()))) {
            throw error(MemoryTrackerError.Unit.Overlaps);
        }
        if (regions.size() == CAPACITY) {
            throw error(MemoryTrackerError.Unit.Full);
        }
    }

    private MemoryRange add(TrackedRegion region) throws MemoryTrackerException {
        if (regions.size() == CAPACITY) {
            throw error(MemoryTrackerError.Unit.Full);
        }
        regions.add(region);
        return region.range();
    }

    // --- MMIO --------------------------------------------------------------------------------------------------------

    /**
     * {@code map_mmio_range(range)} at {@code b99905d3}: writes lazy (invalid, SWFLAG_0) device descriptors and
     * tracks the range. No hypercall: each page is MMIO_GUARD_MAPped on its first access, by {@link #handleMmioFault}.
     *
     * @throws MemoryTrackerException OutOfRange, Overlaps, Full, FailedToMap (see the class comment for the order)
     */
    public void mapMmioRange(MemoryRange range) throws MemoryTrackerException {
        if (Long.compareUnsigned(range.end(), total.start()) > 0 || PVMFW_RANGE.overlaps(range)) {
            throw error(MemoryTrackerError.Unit.OutOfRange);
        }
        if (mmioRegions.stream().anyMatch(r -> r.overlaps(range))) {
            throw error(MemoryTrackerError.Unit.Overlaps);
        }
        if (mmioRegions.size() == MMIO_CAPACITY) {
            throw error(MemoryTrackerError.Unit.Full);
        }
        try {
            pageTable.mapDeviceLazy(range.start(), range.end());
        } catch (MmuOpsException e) {
            LOG.error("Error during MMIO device mapping: {}", e.getMessage());
            throw error(MemoryTrackerError.Unit.FailedToMap);
        }
        if (mmioRegions.size() == MMIO_CAPACITY) {
            throw error(MemoryTrackerError.Unit.Full);
        }
        mmioRegions.add(range);
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
     * {@code mmio_unmap_all()}: for each MMIO region in the order added, {@code modify_range} with
     * {@link PteCallbacks#mmioGuardUnmapPage}: every VALID leaf is MMIO_GUARD_UNMAPped, in VA order. The page table is
     * left as it is (valid entries stay valid).
     *
     * @throws MemoryTrackerException FailedToUnmap if a walk or an UNMAP fails (the regions after it are not walked)
     * @throws InvariantViolation where the callback panics
     */
    public void mmioUnmapAll() throws MemoryTrackerException {
        var unmap = PteCallbacks.mmioGuardUnmapPage(hypervisor);
        for (MemoryRange range : mmioRegions) {
            try {
                pageTable.modifyRange(range.start(), range.end(), unmap);
            } catch (MmuOpsException e) {
                throw error(MemoryTrackerError.Unit.FailedToUnmap);
            }
        }
    }

    /**
     * {@code handle_mmio_fault(addr)}: for a translation fault on a lazily mapped device page. With
     * {@code page = addr & ~0xfff} (the end {@code page + 4096} wraps):
     * <ol>
     *   <li>{@code modify_range(page..page+4096, verify_lazy_mapped_block)}; an error → InvalidPte (nothing called,
     *       nothing changed);</li>
     *   <li>MMIO_GUARD_MAP(page); an error → {@code Hypervisor(e)} (the page stays invalid);</li>
     *   <li>{@code map_device(page..page+4096)}, splitting a lazy block; an error → FailedToMap.</li>
     * </ol>
     *
     * @throws MemoryTrackerException InvalidPte, Hypervisor, FailedToMap
     * @throws InvariantViolation "Unsupported PTE flags set" from the callback
     */
    @Override
    public void handleMmioFault(long addr) throws MemoryTrackerException {
        long page = addr & ~(PteCallbacks.PVMFW_PAGE_SIZE - 1);
        long end = page + PteCallbacks.PVMFW_PAGE_SIZE;
        try {
            pageTable.modifyRange(page, end, PteCallbacks.VERIFY_LAZY_MAPPED_BLOCK);
        } catch (MmuOpsException e) {
            LOG.debug("MMIO fault at 0x{}: not a lazy MMIO page ({})", Long.toHexString(addr), e.getMessage());
            throw error(MemoryTrackerError.Unit.InvalidPte);
        }
        try {
            hypervisor.mmioGuardMap(page);
        } catch (HypException e) {
            LOG.debug("MMIO fault at 0x{}: MMIO_GUARD_MAP failed: {}", Long.toHexString(addr), e.error().display());
            throw error(new MemoryTrackerError.Hypervisor(e.error()));
        }
        try {
            pageTable.mapDevice(page, end);
        } catch (MmuOpsException e) {
            throw error(MemoryTrackerError.Unit.FailedToMap);
        }
        if (LOG.isDebugEnabled()) { // the fault path is hot: build nothing when not logging
            LOG.debug("MMIO fault at 0x{}: page 0x{} guard-mapped and valid", Long.toHexString(addr),
                    Long.toHexString(page));
        }
    }

    // --- shared memory -----------------------------------------------------------------------------------------------

    /**
     * {@code init_dynamic_shared_pool()}: the granule from HYP_MEMINFO; a new {@link MemorySharer} replaces any
     * previous one — if there was one, it is dropped (its memory unshared) and the call fails with
     * SharedMemorySetFailure, the new sharer staying installed, as in Rust; then the pool is set once.
     *
     * @throws MemoryTrackerException Hypervisor(e), SharedMemorySetFailure, SharedPoolSetFailure
     * @throws InvariantViolation a granule that is not a power of two; an UNSHARE refused while dropping the old sharer
     */
    public void initDynamicSharedPool() throws MemoryTrackerException {
        long granule;
        try {
            granule = hypervisor.memoryProtectionGranule();
        } catch (HypException e) {
            throw error(new MemoryTrackerError.Hypervisor(e.error()));
        }
        MemorySharer previous = sharedMemory;
        sharedMemory = new MemorySharer(granule, heap, hypervisor);
        if (previous != null) {
            previous.close();
            throw error(MemoryTrackerError.Unit.SharedMemorySetFailure);
        }
        if (sharedPool != null) {
            throw error(MemoryTrackerError.Unit.SharedPoolSetFailure);
        }
        sharedPool = new SharedPool();
    }

    /**
     * {@code init_static_shared_pool(range)}: for hypervisors without MEM_SHARE: {@code alloc_mut}s the range and
     * makes it the pool. The allocation stays even if the pool was already set.
     *
     * @throws MemoryTrackerException the alloc_mut errors, then SharedPoolSetFailure
     * @throws InvariantViolation {@code called `Option::unwrap()` on a `None` value} for an empty range
     */
    public void initStaticSharedPool(MemoryRange range) throws MemoryTrackerException {
        long size = range.len();
        if (size == 0) {
            throw new InvariantViolation(InvariantViolation.UNWRAP_NONE);
        }
        MemoryRange allocated = allocMut(range.start(), size);
        SharedPool pool = new SharedPool();
        pool.insert(allocated);
        if (sharedPool != null) {
            throw error(MemoryTrackerError.Unit.SharedPoolSetFailure);
        }
        sharedPool = pool;
    }

    /**
     * {@code alloc_shared(layout)}: from the pool; on a miss the sharer (if any) refills the pool with the layout,
     * then it tries again.
     *
     * @return the buffer's address
     * @throws InvariantViolation size 0 ({@code assertion `left != right` failed\n  left: 0\n right: 0}); no pool
     *     ({@code called `Option::unwrap()` on a `None` value}); nothing available
     *     ({@code memory allocation of <size> bytes failed}); an invalid layout; a refused SHARE
     */
    public long allocShared(long size, long align) {
        MemorySharer.checkedLayout(size, align);
        if (size == 0) {
            throw InvariantViolation.assertNeFailed(0, 0, null);
        }
        if (sharedPool == null) {
            throw new InvariantViolation(InvariantViolation.UNWRAP_NONE);
        }
        OptionalLong buffer = sharedPool.allocAligned(size, align);
        if (buffer.isEmpty() && sharedMemory != null) {
            sharedMemory.refill(sharedPool, size, align);
            buffer = sharedPool.allocAligned(size, align);
        }
        if (buffer.isEmpty()) {
            throw MemorySharer.allocError(size);
        }
        LOG.trace("Allocated shared buffer at 0x{} ({} bytes, align {})", Long.toHexString(buffer.getAsLong()), size,
                align);
        return buffer.getAsLong();
    }

    /**
     * {@code dealloc_shared(vaddr, layout)}: back to the pool; nothing is unshared until teardown.
     *
     * @throws InvariantViolation {@code called `Option::unwrap()` on a `None` value} if there is no pool
     */
    public void deallocShared(long address, long size, long align) {
        if (sharedPool == null) {
            throw new InvariantViolation(InvariantViolation.UNWRAP_NONE);
        }
        sharedPool.deallocAligned(address, size, align);
    }

    /**
     * {@code unshare_all_memory()}: drops the sharer, which UNSHAREs everything it shared. The pool keeps its
     * (now unshared) frames, as in Rust.
     *
     * @throws InvariantViolation if the hypervisor refuses an UNSHARE
     */
    public void unshareAllMemory() {
        MemorySharer sharer = sharedMemory;
        sharedMemory = null;
        if (sharer != null) {
            sharer.close();
        }
    }

    /** The installed sharer ({@code SHARED_MEMORY}), if any. */
    public Optional<MemorySharer> sharedMemory() {
        return Optional.ofNullable(sharedMemory);
    }

    /** The pool ({@code SHARED_POOL}), if set. */
    public Optional<SharedPool> sharedPool() {
        return Optional.ofNullable(sharedPool);
    }

    // --- inspection and drop -----------------------------------------------------------------------------------------

    /** The main memory window, {@code BASE_ADDR..MAX_ADDR} until {@link #shrink} changes it. */
    public MemoryRange total() {
        return total;
    }

    /** RAM regions, in the order added. */
    public List<TrackedRegion> regions() {
        return List.copyOf(regions);
    }

    /** MMIO regions, in the order added. */
    public List<MemoryRange> mmioRegions() {
        return List.copyOf(mmioRegions);
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

    /** pvmfw's page table, which the tracker owns ({@link #close} drops it). */
    @Override
    public MmuOps pageTable() {
        return pageTable;
    }

    /** The hypervisor MMIO guard and memory sharing calls go to. */
    public Hypervisor hypervisor() {
        return hypervisor;
    }

    /** The heap shared memory is taken from. */
    public SimulatedHeap heap() {
        return heap;
    }

    /** The ranges {@link #close} flushed ({@code flush_region(start, len)}, recorded, not performed). */
    public List<MemoryRange> flushedRanges() {
        return List.copyOf(flushed);
    }

    /** Whether {@link #close} has run (the tracker dropped). */
    public boolean isClosed() {
        return closed;
    }

    /**
     * {@code Drop}: flushes every read-write region ({@code flush_region(range.start, range.len())}, recorded), then
     * {@link #unshareAllMemory}, then drops the page table (deactivate, free the tables). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (TrackedRegion region : regions) {
                if (region.type() == MemoryType.READ_WRITE) {
                    flushed.add(new MemoryRange(region.range().start(), region.range().start() + region.range().len()));
                }
            }
            unshareAllMemory();
        } finally {
            pageTable.close();
        }
    }

    private static MemoryTrackerException error(MemoryTrackerError e) {
        return new MemoryTrackerException(e);
    }
}
