package dev.pvmfw.paging.v0_4_0.idmap;

import dev.pvmfw.paging.TranslationPanic;

import dev.pvmfw.paging.AllocatedTable;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableHeap;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.VirtualAddress;
import java.lang.foreign.MemorySegment;

/**
 * {@code idmap::IdTranslation}: tables come from a heap and a table's PA is its (simulated) address, as everything is
 * identity-mapped. Here the heap is a {@link TableHeap}, so PAs are simulated addresses, never native pointers.
 */
public final class IdTranslation implements Translation, AutoCloseable {
    private final TableHeap heap;

    /** {@code IdTranslation}, allocating from a new {@link TableHeap} at its default base. */
    public IdTranslation() {
        this(new TableHeap());
    }

    /** An identity translation allocating from {@code heap}, which {@link #close} closes. */
    public IdTranslation(TableHeap heap) {
        this.heap = heap;
    }

    /** A zeroed table; PA = its address. @throws dev.pvmfw.paging.TranslationPanic if the heap is full */
    @Override
    public AllocatedTable allocateTable() {
        TableHeap.Allocation table = heap.allocate();
        return new AllocatedTable(table.table(), new PhysicalAddress(table.address().value()));
    }

    @Override
    public void deallocateTable(MemorySegment table) {
        heap.free(table);
    }

    /**
     * @throws CratePanic "Got physical address 0 for pagetable" for PA 0
     * @throws dev.pvmfw.paging.TranslationPanic if no live table is there
     */
    @Override
    public MemorySegment physicalToVirtual(PhysicalAddress pa) {
        if (pa.value() == 0) {
            throw new CratePanic("Got physical address 0 for pagetable");
        }
        return heap.tableAt(new VirtualAddress(pa.value()));
    }

    /** The live table at {@code pa} (its address, as everything is identity-mapped), read-only, or null. */
    @Override
    public MemorySegment table(long pa) {
        return heap.find(pa);
    }

    /** Tables currently allocated. */
    public int usedTables() {
        return heap.usedTables();
    }

    @Override
    public void close() {
        heap.close();
    }
}
