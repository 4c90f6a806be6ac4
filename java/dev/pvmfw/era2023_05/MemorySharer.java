package dev.pvmfw.era2023_05;

import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.era.SimulatedHeap;

import dev.pvmfw.era2023_05.HypException;
import dev.pvmfw.era2023_05.Hypervisor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pvmfw's {@code MemorySharer} (from {@code f19c0e60}, as at {@code b99905d3}): takes granule-aligned memory from the
 * heap, MEM_SHAREs it one granule at a time, and on {@link #close} (Rust {@code Drop}) MEM_UNSHAREs every granule
 * again and gives the memory back, last region first.
 *
 * <p>Panics, as {@link InvariantViolation}s with the Rust messages: a granule that is not a power of two
 * ({@code assertion failed: granule.is_power_of_two()}); a hypervisor error while sharing or unsharing
 * ({@code called `Result::unwrap()` on an `Err` value: <hyp::Error Debug>}); an exhausted heap
 * ({@code memory allocation of <n> bytes failed}, {@code handle_alloc_error}). A SHARE that fails part-way leaves the
 * granules before it shared and the region unrecorded, as in Rust.
 */
public final class MemorySharer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemorySharer.class);

    /** {@code MemorySharer::INIT_CAP}. */
    public static final int INIT_CAP = 10;

    /**
     * One region taken from the heap and shared.
     *
     * @param base first byte
     * @param size bytes (a multiple of the granule)
     * @param align the layout's alignment (at least the granule)
     */
    public record SharedRegion(long base, long size, long align) {}

    private final long granule;
    private final SimulatedHeap heap;
    private final Hypervisor hypervisor;
    private final List<SharedRegion> sharedRegions = new ArrayList<>(INIT_CAP);

    /** {@code MemorySharer::new(granule)}. @throws InvariantViolation if granule is not a power of two */
    public MemorySharer(long granule, SimulatedHeap heap, Hypervisor hypervisor) {
        if (granule <= 0 || Long.bitCount(granule) != 1) {
            throw new InvariantViolation("assertion failed: granule.is_power_of_two()");
        }
        this.granule = granule;
        this.heap = Objects.requireNonNull(heap);
        this.hypervisor = Objects.requireNonNull(hypervisor);
    }

    /** The granule, a power of two: memory is shared in whole granules (the tracker passes HYP_MEMINFO's answer). */
    public long granule() {
        return granule;
    }

    /** The regions shared so far, in the order they were shared. */
    public List<SharedRegion> sharedRegions() {
        return List.copyOf(sharedRegions);
    }

    /**
     * {@code refill(pool, hint)}: the layout {@code hint.align_to(granule).pad_to_align()} is allocated zeroed from the
     * heap, every granule of it is shared (ascending), the region is recorded and added to {@code pool}.
     *
     * @throws InvariantViolation as described in the class comment
     */
    public void refill(SharedPool pool, long size, long align) {
        long[] layout = alignToGranule(size, align, granule);
        long bytes = layout[0];
        long layoutAlign = layout[1];
        if (bytes == 0) {
            throw InvariantViolation.assertNeFailed(0, 0, null);
        }
        OptionalLong shared = heap.allocZeroed(bytes, layoutAlign);
        if (shared.isEmpty()) {
            throw allocError(bytes);
        }
        long base = shared.getAsLong();
        long end = base + bytes;
        if (Long.compareUnsigned(end, base) < 0) {
            throw new InvariantViolation(InvariantViolation.UNWRAP_NONE);
        }
        LOG.trace("Sharing memory region {}", new MemoryRange(base, end));
        for (long vaddr = base; Long.compareUnsigned(vaddr, end) < 0; vaddr += granule) {
            try {
                hypervisor.memShare(vaddr);
            } catch (HypException e) {
                throw InvariantViolation.unwrapErr(e.error());
            }
        }
        sharedRegions.add(new SharedRegion(base, bytes, layoutAlign));
        pool.addFrame(base, end);
    }

    /**
     * {@code Drop}: pops each region (last first), MEM_UNSHAREs each of its granules (ascending) and frees it.
     *
     * @throws InvariantViolation if the hypervisor refuses an UNSHARE; regions not yet popped stay recorded
     */
    @Override
    public void close() {
        while (!sharedRegions.isEmpty()) {
            SharedRegion region = sharedRegions.removeLast();
            long end = region.base() + region.size();
            LOG.trace("Unsharing memory region {}", new MemoryRange(region.base(), end));
            for (long vaddr = region.base(); Long.compareUnsigned(vaddr, end) < 0; vaddr += granule) {
                try {
                    hypervisor.memUnshare(vaddr);
                } catch (HypException e) {
                    throw InvariantViolation.unwrapErr(e.error());
                }
            }
            heap.dealloc(region.base(), region.size());
        }
    }

    /**
     * {@code Layout::from_size_align(size, align)?.align_to(granule)?.pad_to_align()}: {size, align} after padding.
     *
     * @throws InvariantViolation {@code called `Result::unwrap()` on an `Err` value: LayoutError} for an invalid layout
     */
    static long[] alignToGranule(long size, long align, long granule) {
        long newAlign = Math.max(checkedLayout(size, align), granule);
        long padded = ((size - 1) | (newAlign - 1)) + 1;
        if (size == 0) {
            padded = 0;
        }
        if (padded < 0 || Long.compareUnsigned(padded, size) < 0) {
            throw InvariantViolation.unwrapErr("LayoutError");
        }
        return new long[] {padded, newAlign};
    }

    /**
     * {@code Layout::from_size_align(size, align).unwrap()}: align a power of two (up to 2<sup>63</sup>, a usize),
     * size + (align − 1) ≤ isize::MAX.
     */
    static long checkedLayout(long size, long align) {
        if (align == 0 || Long.bitCount(align) != 1 || size < 0
                || Long.compareUnsigned(size, Long.MAX_VALUE - (align - 1)) > 0) {
            throw InvariantViolation.unwrapErr("LayoutError");
        }
        return align;
    }

    /** Rust's default {@code handle_alloc_error}: {@code memory allocation of {size} bytes failed}. */
    static InvariantViolation allocError(long bytes) {
        return new InvariantViolation("memory allocation of " + Long.toUnsignedString(bytes) + " bytes failed");
    }
}
