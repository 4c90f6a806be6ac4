package dev.pvmfw.era;

import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.paging.port.MmuOpsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The region bookkeeping of vmbase's {@code MemoryTracker} from 2023-09 to the newest state this project reads
 * ({@code 9f3ca839} … {@code 28e439f4}, {@code c08e63cb}, {@code 758d65de:vmbase/src/memory/shared.rs}): the main
 * memory window and the MMIO window, up to {@value #CAPACITY} RAM and {@value #MMIO_CAPACITY} MMIO regions,
 * {@code shrink}, {@code alloc_range*} with {@code check_allocatable} / {@code check_no_overlap}, and
 * {@code map_mmio_range} (lazy only with an MMIO guard). The 2023-11 and 2024-05 eras' trackers have these rules in
 * common, word for word (pvmfw-eras-verified, "MemoryTracker checks"); what differs between them (the fault handler, the teardown, the
 * error variant set) stays in the era. The 2023-05 tracker is not built on this: its rules differ (PVMFW_RANGE, one
 * {@code check}, the seed's overlap rule).
 *
 * <p>A failed check is reported as a {@link Check}, which the era turns into its own {@code MemoryTrackerError}
 * through its {@link Errors} (a variant of the same name in both eras); the exception type is the era's.
 *
 * <p>Checks, in vmbase's order (ranges half-open, unsigned; "overlap" is vmbase's {@link RangeExt#overlaps}, under
 * which an empty range inside a region overlaps it):
 * <ul>
 *   <li>{@link #shrink}: a different start → DifferentBaseAddress; a larger end → SizeTooLarge; a region not within
 *       the new range → SizeTooSmall.</li>
 *   <li>{@link #allocRange}/{@link #allocRangeMut}: {@code check_allocatable} (not within total → OutOfRange, then
 *       {@code check_no_overlap}: overlapping a RAM region → Overlaps; five regions → Full); map RODATA / DATA_DBM (→
 *       FailedToMap); push (→ Full). {@link #allocRangeOutsideMainMemory}: {@code check_no_overlap} only.</li>
 *   <li>{@link #mapMmioRange}: not within the MMIO window → OutOfRange; overlapping an MMIO region → Overlaps; five →
 *       Full; lazy: map DEVICE_LAZY ("Error during lazy MMIO device mapping: {e}"), otherwise DEVICE ("Error during
 *       MMIO device mapping: {e}"), either error → FailedToMap; push (→ Full).</li>
 * </ul>
 *
 * @param <E> the era's {@code MemoryTrackerException}
 */
public final class VmbaseRegions<E extends TrackerException> {
    private static final Logger LOG = LoggerFactory.getLogger(VmbaseRegions.class);

    /** Capacity of the RAM region list ({@code ArrayVec<[MemoryRegion; 5]>}). */
    public static final int CAPACITY = 5;
    /** Capacity of the MMIO region list. */
    public static final int MMIO_CAPACITY = 5;

    /** A failed check, named as the {@code MemoryTrackerError} variant vmbase returns for it. */
    public enum Check {
        /** {@code shrink} to a range with another start. */
        DifferentBaseAddress,
        /** {@code shrink} to a larger end. */
        SizeTooLarge,
        /** {@code shrink} that would leave a region outside. */
        SizeTooSmall,
        /** A region list at capacity. */
        Full,
        /** Not within total (RAM) or the MMIO window (MMIO). */
        OutOfRange,
        /** Overlapping a tracked region of the same kind. */
        Overlaps,
        /** The page table's map failed. */
        FailedToMap,
    }

    /**
     * The era's error for a failed check.
     *
     * @param <E> the era's {@code MemoryTrackerException}
     */
    @FunctionalInterface
    public interface Errors<E extends TrackerException> {
        /** The era's exception for {@code check}. */
        E error(Check check);
    }

    /**
     * A tracked RAM region ({@code MemoryRegion { range, mem_type }}).
     *
     * @param range the addresses
     * @param writable {@code MemoryType::ReadWrite} (mapped DATA_DBM) rather than {@code ReadOnly} (RODATA)
     */
    public record RamRegion(MemoryRange range, boolean writable) {
        /** A region; the range may not be null. */
        public RamRegion {
            Objects.requireNonNull(range);
        }
    }

    private final MmuOps pageTable;
    private final MemoryRange mmioRange;
    private final Errors<E> errors;
    private final List<RamRegion> regions = new ArrayList<>(CAPACITY);
    private final List<MemoryRange> mmioRegions = new ArrayList<>(MMIO_CAPACITY);
    private MemoryRange total;

    /**
     * The bookkeeping over {@code pageTable}, with main memory {@code total} and the MMIO window {@code mmioRange}
     * (the era asserts that they do not overlap, and activates the table).
     *
     * @param errors the era's error for each failed check
     */
    public VmbaseRegions(MmuOps pageTable, MemoryRange total, MemoryRange mmioRange, Errors<E> errors) {
        this.pageTable = Objects.requireNonNull(pageTable);
        this.total = Objects.requireNonNull(total);
        this.mmioRange = Objects.requireNonNull(mmioRange);
        this.errors = Objects.requireNonNull(errors);
    }

    /**
     * {@code shrink(range)}.
     *
     * @throws E DifferentBaseAddress, SizeTooLarge, SizeTooSmall (in that order)
     */
    public void shrink(MemoryRange range) throws E {
        if (range.start() != total.start()) {
            throw errors.error(Check.DifferentBaseAddress);
        }
        if (Long.compareUnsigned(total.end(), range.end()) < 0) {
            throw errors.error(Check.SizeTooLarge);
        }
        if (!regions.stream().allMatch(r -> RangeExt.isWithin(r.range(), range))) {
            throw errors.error(Check.SizeTooSmall);
        }
        total = range;
    }

    /**
     * {@code alloc_range(range)}: a read-only region, mapped RODATA.
     *
     * @throws E OutOfRange, Overlaps, Full, FailedToMap
     */
    public MemoryRange allocRange(MemoryRange range) throws E {
        RamRegion region = new RamRegion(range, false);
        checkAllocatable(region);
        return mapAndAdd(region);
    }

    /**
     * {@code alloc_range_outside_main_memory(range)}: as {@link #allocRange} without the check against total.
     *
     * @throws E Overlaps, Full, FailedToMap
     */
    public MemoryRange allocRangeOutsideMainMemory(MemoryRange range) throws E {
        RamRegion region = new RamRegion(range, false);
        checkNoOverlap(region);
        return mapAndAdd(region);
    }

    /**
     * {@code alloc_range_mut(range)}: a read-write region, mapped DATA_DBM.
     *
     * @throws E OutOfRange, Overlaps, Full, FailedToMap
     */
    public MemoryRange allocRangeMut(MemoryRange range) throws E {
        RamRegion region = new RamRegion(range, true);
        checkAllocatable(region);
        try {
            pageTable.mapDataDbm(range.start(), range.end());
        } catch (MmuOpsException e) {
            LOG.error("Error during mutable range allocation: {}", e.getMessage());
            throw errors.error(Check.FailedToMap);
        }
        return add(region);
    }

    /** {@code check_allocatable}: within total, then {@code check_no_overlap}. */
    private void checkAllocatable(RamRegion region) throws E {
        if (!RangeExt.isWithin(region.range(), total)) {
            throw errors.error(Check.OutOfRange);
        }
        checkNoOverlap(region);
    }

    /** {@code check_no_overlap}: no vmbase overlap with a RAM region, then not full. */
    private void checkNoOverlap(RamRegion region) throws E {
        if (regions.stream().anyMatch(r -> RangeExt.overlaps(region.range(), r.range()))) {
            throw errors.error(Check.Overlaps);
        }
        if (regions.size() == CAPACITY) {
            throw errors.error(Check.Full);
        }
    }

    private MemoryRange mapAndAdd(RamRegion region) throws E {
        try {
            pageTable.mapRodata(region.range().start(), region.range().end());
        } catch (MmuOpsException e) {
            LOG.error("Error during range allocation: {}", e.getMessage());
            throw errors.error(Check.FailedToMap);
        }
        return add(region);
    }

    private MemoryRange add(RamRegion region) throws E {
        if (regions.size() == CAPACITY) {
            throw errors.error(Check.Full);
        }
        regions.add(region);
        return region.range();
    }

    /**
     * {@code map_mmio_range(range)}: lazy (invalid, SWFLAG_0) device descriptors if {@code lazy} (the era passes
     * "there is an MMIO guard"), valid device descriptors otherwise. No hypercall.
     *
     * @throws E OutOfRange, Overlaps, Full, FailedToMap (the class comment has the order)
     */
    public void mapMmioRange(MemoryRange range, boolean lazy) throws E {
        if (!RangeExt.isWithin(range, mmioRange)) {
            throw errors.error(Check.OutOfRange);
        }
        if (mmioRegions.stream().anyMatch(r -> RangeExt.overlaps(range, r))) {
            throw errors.error(Check.Overlaps);
        }
        if (mmioRegions.size() == MMIO_CAPACITY) {
            throw errors.error(Check.Full);
        }
        try {
            if (lazy) {
                pageTable.mapDeviceLazy(range.start(), range.end());
            } else {
                pageTable.mapDevice(range.start(), range.end());
            }
        } catch (MmuOpsException e) {
            LOG.error(lazy ? "Error during lazy MMIO device mapping: {}" : "Error during MMIO device mapping: {}",
                    e.getMessage());
            throw errors.error(Check.FailedToMap);
        }
        if (mmioRegions.size() == MMIO_CAPACITY) {
            throw errors.error(Check.Full);
        }
        mmioRegions.add(range);
    }

    /** The main memory window. */
    public MemoryRange total() {
        return total;
    }

    /** The MMIO window ({@code mmio_range}). */
    public MemoryRange mmioRange() {
        return mmioRange;
    }

    /** RAM regions, in the order added. */
    public List<RamRegion> regions() {
        return List.copyOf(regions);
    }

    /** MMIO regions, in the order added. */
    public List<MemoryRange> mmioRegions() {
        return List.copyOf(mmioRegions);
    }
}
