package dev.pvmfw.paging.v0_12_1.target;

import dev.pvmfw.paging.AllocatedTable;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableHeap;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.paging.VirtualAddress;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code target::TargetAllocator<A>}: builds a table for another device, to be loaded there as one block of memory
 * from {@code base_address}. Table {@code i} of its list has PA {@code base_address + 4096·i}; a new table takes the
 * first free place in the list, else goes at its end; the list never shrinks, and {@link #asBytes} is every place in
 * order, a free one as zeros.
 *
 * <p>The places are slots of a {@link TableHeap} at address 0 (lowest free first, as the crate's list), so the list's
 * length is the highest slot ever used plus one.
 */
public final class TargetAllocator implements Translation, AutoCloseable {
    private final long baseAddress;
    private final TableHeap heap = new TableHeap(0);
    private int length;

    /** {@code TargetAllocator::new(base_address)}. */
    public TargetAllocator(long baseAddress) {
        this.baseAddress = baseAddress;
    }

    /** The PA of the first place of the list, as given to {@code new}. */
    public long baseAddress() {
        return baseAddress;
    }

    /** A zeroed table at the first free place; PA {@code base_address + 4096·place}. */
    @Override
    public AllocatedTable allocateTable() {
        TableHeap.Allocation table = heap.allocate();
        int place = (int) (table.address().value() / Geometry.PAGE_SIZE);
        length = Math.max(length, place + 1);
        return new AllocatedTable(table.table(), new PhysicalAddress(baseAddress + table.address().value()));
    }

    /**
     * Frees a table this allocator handed out.
     *
     * @throws TranslationPanic BAD_FREE "dealloc_table called for page table … which isn't in allocations." (the
     *     crate prints the host pointer, here the table's PA)
     */
    @Override
    public void deallocateTable(MemorySegment table) {
        try {
            heap.free(table);
        } catch (TranslationPanic notOurs) {
            throw new TranslationPanic(TranslationPanic.Kind.BAD_FREE, "dealloc_table called for page table "
                    + table + " which isn't in allocations.");
        }
    }

    /**
     * {@code physical_to_virtual(pa)}: place {@code (pa - base_address) / 4096} (wrapping, unsigned).
     *
     * @throws CratePanic "index out of bounds: the len is {len} but the index is {index}" past the list's end;
     *     "called `Option::unwrap()` on a `None` value" at a free place
     */
    @Override
    public MemorySegment physicalToVirtual(PhysicalAddress pa) {
        long place = Long.divideUnsigned(pa.value() - baseAddress, Geometry.PAGE_SIZE);
        if (Long.compareUnsigned(place, length) >= 0) {
            throw new CratePanic("index out of bounds: the len is " + length + " but the index is "
                    + Long.toUnsignedString(place));
        }
        MemorySegment table = heap.find(place * Geometry.PAGE_SIZE);
        if (table == null) {
            throw new CratePanic("called `Option::unwrap()` on a `None` value");
        }
        return heap.tableAt(new VirtualAddress(place * Geometry.PAGE_SIZE));
    }

    /** The used table {@code physicalToVirtual} would find at {@code pa}, read-only, or null. */
    @Override
    public MemorySegment table(long pa) {
        long place = Long.divideUnsigned(pa - baseAddress, Geometry.PAGE_SIZE);
        return Long.compareUnsigned(place, length) >= 0 ? null : heap.find(place * Geometry.PAGE_SIZE);
    }

    /** {@code as_bytes()}: every place of the list in order, 4096 bytes each, a free one as zeros. */
    public byte[] asBytes() {
        byte[] bytes = new byte[length * Geometry.PAGE_SIZE];
        for (int place = 0; place < length; place++) {
            MemorySegment table = heap.find((long) place * Geometry.PAGE_SIZE);
            if (table != null) {
                MemorySegment.copy(table, ValueLayout.JAVA_BYTE, 0, bytes, place * Geometry.PAGE_SIZE,
                        Geometry.PAGE_SIZE);
            }
        }
        return bytes;
    }

    @Override
    public void close() {
        heap.close();
    }
}
