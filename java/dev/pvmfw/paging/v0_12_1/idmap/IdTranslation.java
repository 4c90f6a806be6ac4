package dev.pvmfw.paging.v0_12_1.idmap;

import dev.pvmfw.paging.AllocatedTable;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableHeap;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.paging.VirtualAddress;
import java.lang.foreign.MemorySegment;

/**
 * {@code idmap::IdTranslation<A>}: tables come from the heap and a table's PA is its address, everything being
 * identity-mapped. The heap is a {@link TableHeap}, so the addresses are simulated ones, never native pointers (the
 * attribute type parameter of the crate's struct only ties it to one regime; tables hold raw bits here).
 */
public final class IdTranslation implements Translation, AutoCloseable {
    private final TableHeap heap;

    /** An identity translation over a new, empty {@link TableHeap}. */
    public IdTranslation() {
        this(new TableHeap());
    }

    /** An identity translation over {@code heap}, whose addresses are the tables' PAs. */
    public IdTranslation(TableHeap heap) {
        this.heap = heap;
    }

    /** A zeroed table; its PA is its address. @throws TranslationPanic if the heap is full */
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
     * @throws CratePanic "Got physical address 0 for pagetable" for PA 0 ({@code NonNull::new(..).expect})
     * @throws TranslationPanic if no live table is there
     */
    @Override
    public MemorySegment physicalToVirtual(PhysicalAddress pa) {
        if (pa.value() == 0) {
            throw new CratePanic("Got physical address 0 for pagetable");
        }
        return heap.tableAt(new VirtualAddress(pa.value()));
    }

    /** The live table at {@code pa}, read-only, or null. */
    @Override
    public MemorySegment table(long pa) {
        return heap.find(pa);
    }

    /** Tables allocated now. */
    public int usedTables() {
        return heap.usedTables();
    }

    @Override
    public void close() {
        heap.close();
    }
}
