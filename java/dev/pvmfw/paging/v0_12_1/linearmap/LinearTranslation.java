package dev.pvmfw.paging.v0_12_1.linearmap;

import dev.pvmfw.paging.AllocatedTable;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableHeap;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.paging.VirtualAddress;
import dev.pvmfw.paging.v0_12_1.MapError;
import dev.pvmfw.paging.v0_12_1.MapException;
import java.lang.foreign.MemorySegment;

/**
 * {@code linearmap::LinearTranslation<A>}: PA = VA + offset, with a signed offset that is a multiple of 4 KiB. Tables
 * come from a {@link TableHeap}; a table's PA is its simulated address plus the offset.
 */
public final class LinearTranslation implements Translation, AutoCloseable {
    private final long offset;
    private final TableHeap heap;

    /**
     * {@code LinearTranslation::new(offset)}.
     *
     * @throws CratePanic "Invalid offset {offset}, must be a multiple of page size 4096." unless |offset| is aligned
     */
    public LinearTranslation(long offset) {
        // offset.unsigned_abs(): the magnitude of Long.MIN_VALUE is 2^63, which is aligned.
        long magnitude = offset < 0 ? -offset : offset;
        if (!Geometry.isAligned(magnitude, Geometry.PAGE_SIZE)) {
            throw new CratePanic("Invalid offset " + offset + ", must be a multiple of page size "
                    + Geometry.PAGE_SIZE + ".");
        }
        this.offset = offset;
        this.heap = new TableHeap();
    }

    /** The offset added to a VA to give its PA (and subtracted from a table's PA to give its VA). */
    public long offset() {
        return offset;
    }

    /**
     * {@code virtual_to_physical(va)} (crate-private): {@code va as isize + offset}, checked, and not negative.
     *
     * @throws MapException InvalidVirtualAddress(va) if the sum overflows or is negative
     */
    public PhysicalAddress virtualToPhysical(VirtualAddress va) throws MapException {
        long sum = va.value() + offset;
        boolean overflow = ((va.value() ^ sum) & (offset ^ sum)) < 0;
        if (overflow || sum < 0) {
            throw new MapException(new MapError.InvalidVirtualAddress(va));
        }
        return new PhysicalAddress(sum);
    }

    /**
     * The VA {@code physical_to_virtual(pa)} points at: {@code pa as isize - offset}, with the crate's checks.
     *
     * @throws CratePanic "Invalid physical address {pa} for pagetable" if pa is negative as a signed value or the
     *     subtraction overflows; "Invalid physical address {pa} for pagetable (translated to virtual address 0)" if the
     *     result is 0
     */
    public VirtualAddress physicalToVirtualAddress(PhysicalAddress pa) {
        long signed = pa.value();
        if (signed < 0) {
            throw new CratePanic("Invalid physical address " + pa + " for pagetable");
        }
        long va = signed - offset;
        if (((signed ^ offset) & (signed ^ va)) < 0) {
            throw new CratePanic("Invalid physical address " + pa + " for pagetable");
        }
        if (va == 0) {
            throw new CratePanic("Invalid physical address " + pa
                    + " for pagetable (translated to virtual address 0)");
        }
        return new VirtualAddress(va);
    }

    /**
     * A zeroed table at PA = its address + offset.
     *
     * @throws CratePanic "Allocated subtable with virtual address which doesn't correspond to any physical address.:
     *     InvalidVirtualAddress(…)" if that PA is invalid
     * @throws TranslationPanic if the heap is full
     */
    @Override
    public AllocatedTable allocateTable() {
        TableHeap.Allocation table = heap.allocate();
        try {
            return new AllocatedTable(table.table(), virtualToPhysical(table.address()));
        } catch (MapException e) {
            heap.free(table.table());
            throw new CratePanic("Allocated subtable with virtual address which doesn't correspond to any physical"
                    + " address.: " + e.error());
        }
    }

    @Override
    public void deallocateTable(MemorySegment table) {
        heap.free(table);
    }

    /** @throws CratePanic as {@link #physicalToVirtualAddress}; TranslationPanic if no table is there */
    @Override
    public MemorySegment physicalToVirtual(PhysicalAddress pa) {
        return heap.tableAt(physicalToVirtualAddress(pa));
    }

    /** The live table at {@code pa}, read-only, or null (also where the crate would panic on {@code pa}). */
    @Override
    public MemorySegment table(long pa) {
        VirtualAddress va;
        try {
            va = physicalToVirtualAddress(new PhysicalAddress(pa));
        } catch (CratePanic invalid) {
            return null;
        }
        return heap.find(va.value());
    }

    @Override
    public void close() {
        heap.close();
    }
}
