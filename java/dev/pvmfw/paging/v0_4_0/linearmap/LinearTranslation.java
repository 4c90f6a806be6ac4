package dev.pvmfw.paging.v0_4_0.linearmap;

import dev.pvmfw.paging.TranslationPanic;

import dev.pvmfw.paging.AllocatedTable;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.v0_4_0.MapError;
import dev.pvmfw.paging.v0_4_0.MapException;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableHeap;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.VirtualAddress;
import java.lang.foreign.MemorySegment;

/**
 * {@code linearmap::LinearTranslation}: PA = VA + offset (offset signed, a multiple of 4 KiB). Tables come from a
 * {@link TableHeap}; a table's PA is its simulated address plus the offset.
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
        // offset.unsigned_abs(): Long.MIN_VALUE's magnitude is 2^63, which is aligned.
        long magnitude = offset < 0 ? -offset : offset;
        if (!Geometry.isAligned(magnitude, Geometry.PAGE_SIZE)) {
            throw new CratePanic("Invalid offset " + offset + ", must be a multiple of page size " + Geometry.PAGE_SIZE
                    + ".");
        }
        this.offset = offset;
        this.heap = new TableHeap();
    }

    /** The offset PA − VA, signed, a multiple of 4 KiB. */
    public long offset() {
        return offset;
    }

    /**
     * VA + offset as signed values.
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
     * The VA of the table at {@code pa}: PA − offset, with the crate's checks.
     *
     * @throws CratePanic "Invalid physical address {pa} for pagetable" if pa is negative as a signed value or the
     *     subtraction overflows; with " (translated to virtual address 0)" appended if the result is 0
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
     * @throws CratePanic if that PA is invalid ("Allocated subtable with virtual address which doesn't correspond to
     *     any physical address.: InvalidVirtualAddress(…)")
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

    /**
     * The live table at {@code pa} (found at {@link #physicalToVirtualAddress}'s VA), read-only, or null; where the
     * crate's {@code physical_to_virtual} would panic on {@code pa}, there is no table either. A miss of the heap,
     * not a panic: the MMU model reads any PA a descriptor holds.
     */
    @Override
    public MemorySegment table(long pa) {
        VirtualAddress va;
        try {
            va = physicalToVirtualAddress(new PhysicalAddress(pa));
        } catch (CratePanic invalid) {
            return null;
        }
        MemorySegment table = heap.find(va.value());
        return table == null ? null : table.asReadOnly();
    }

    @Override
    public void close() {
        heap.close();
    }
}
