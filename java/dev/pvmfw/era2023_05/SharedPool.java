package dev.pvmfw.era2023_05;

import dev.pvmfw.era.Extents;
import dev.pvmfw.era.MemoryRange;

import java.util.OptionalLong;

/**
 * The stand-in for pvmfw's {@code SHARED_POOL}, a {@code buddy_system_allocator::FrameAllocator<32>} of memory shared
 * with the host. Like the buddy allocator, {@link #allocAligned} hands out a block of
 * {@code max(size.next_power_of_two(), align)} bytes aligned to its size; placement is lowest address first (not the
 * buddy free-list order). Not thread-safe.
 */
public final class SharedPool {
    private final Extents free = new Extents();

    /** An empty pool ({@code FrameAllocator::new()}). */
    public SharedPool() {}

    /** {@code add_frame(start, end)}. */
    public void addFrame(long start, long end) {
        free.add(start, end);
    }

    /** {@code insert(range)}. */
    public void insert(MemoryRange range) {
        free.add(range.start(), range.end());
    }

    /** {@code alloc_aligned(layout)}: the block's address, or empty. */
    public OptionalLong allocAligned(long size, long align) {
        long block = blockSize(size, align);
        return block == 0 ? OptionalLong.empty() : free.take(block, block);
    }

    /** {@code dealloc_aligned(frame, layout)}. */
    public void deallocAligned(long address, long size, long align) {
        long block = blockSize(size, align);
        if (block != 0) {
            free.add(address, address + block);
        }
    }

    /** Bytes free in the pool now, in total. */
    public long freeBytes() {
        return free.freeBytes();
    }

    /** {@code max(size.next_power_of_two(), align)}, or 0 if it does not fit in 63 bits. */
    static long blockSize(long size, long align) {
        if (size < 0 || align <= 0) {
            return 0;
        }
        long pow = size <= 1 ? 1 : Long.highestOneBit(size - 1) << 1;
        if (pow <= 0) {
            return 0;
        }
        return Math.max(pow, align);
    }
}
