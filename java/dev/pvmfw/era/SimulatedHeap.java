package dev.pvmfw.era;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The stand-in for pvmfw's global allocator ({@code alloc_zeroed}/{@code dealloc} over the static {@code HEAP} in
 * .bss, 128 KiB): a lowest-address first-fit allocator over {@code [base, base + size)}. Addresses are identity-mapped
 * IPAs, which is what an era's memory sharer shares (2023-05: {@code era2023_05.MemorySharer}). Placement is not the buddy allocator's; only the addresses'
 * alignment and containment are meant to match. Not thread-safe.
 */
public final class SimulatedHeap {
    /** pvmfw's {@code HEAP_SIZE} at the time, 0x20000. */
    public static final long PVMFW_HEAP_SIZE = 0x20000;

    private final long base;
    private final long size;
    private final Extents free = new Extents();
    private final Map<Long, Long> allocated = new HashMap<>();

    /**
     * A heap over {@code [base, base + size)}, all of it free.
     *
     * @throws IllegalArgumentException if size is not positive (signed) or the range wraps past 2<sup>64</sup>
     */
    public SimulatedHeap(long base, long size) {
        if (size <= 0 || Long.compareUnsigned(base + size, base) < 0) {
            throw new IllegalArgumentException("heap must be a non-empty range that does not wrap");
        }
        this.base = base;
        this.size = size;
        free.add(base, base + size);
    }

    /**
     * {@code alloc_zeroed(layout)}: the address, or empty (the Rust null pointer). Empty too for a zero-size layout
     * (undefined behaviour for {@code GlobalAlloc::alloc_zeroed}) and for an alignment that is not a power of two
     * (which {@code Layout} cannot hold).
     */
    public OptionalLong allocZeroed(long bytes, long align) {
        if (bytes <= 0 || Long.bitCount(align) != 1) {
            return OptionalLong.empty();
        }
        OptionalLong at = free.take(bytes, align);
        at.ifPresent(a -> allocated.put(a, bytes));
        return at;
    }

    /**
     * {@code dealloc(ptr, layout)}.
     *
     * @throws InvariantViolation if {@code address} was not allocated here with {@code bytes} (undefined behaviour in
     *     Rust)
     */
    public void dealloc(long address, long bytes) {
        Long had = allocated.get(address);
        if (had == null || had != bytes) {
            throw new InvariantViolation("dealloc of 0x" + Long.toHexString(address) + " (" + bytes
                    + " bytes), which this heap did not allocate");
        }
        allocated.remove(address);
        free.add(address, address + bytes);
    }

    /** The lowest address of the heap. */
    public long base() {
        return base;
    }

    /** The heap's size in bytes. */
    public long size() {
        return size;
    }

    /** Bytes not allocated now, in total (not necessarily one free extent). */
    public long freeBytes() {
        return free.freeBytes();
    }
}
