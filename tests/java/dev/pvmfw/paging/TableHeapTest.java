package dev.pvmfw.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The table heap behind {@code IdTranslation} and {@code LinearTranslation}: tables at simulated addresses
 * {@code base + 4096·i}, lowest free slot first, zeroed on allocation and free, typed failures for a bad free or address
 * and for use after close.
 */
class TableHeapTest {
    private static final long BASE = TableHeap.DEFAULT_BASE;

    @Test
    void tablesAreHandedOutLowestSlotFirstAtBasePlus4096TimesI() {
        try (TableHeap heap = new TableHeap()) {
            for (int i = 0; i < 70; i++) { // past one 64-table chunk
                assertEquals(BASE + 4096L * i, heap.allocate().address().value());
            }
            assertEquals(70, heap.usedTables());
            MemorySegment second = heap.tableAt(new VirtualAddress(BASE + 4096));
            heap.free(second);
            assertEquals(69, heap.usedTables());
            assertEquals(BASE + 4096, heap.allocate().address().value(), "the freed slot is reused first");
        }
    }

    @Test
    void tableAtAndFindReturnTheLiveTableAtItsAddress() {
        try (TableHeap heap = new TableHeap()) {
            TableHeap.Allocation first = heap.allocate();
            TableHeap.Allocation second = heap.allocate();
            first.table().set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
            second.table().set(ValueLayout.JAVA_BYTE, 0, (byte) 2);
            assertEquals(1, heap.tableAt(first.address()).get(ValueLayout.JAVA_BYTE, 0));
            assertEquals(2, heap.tableAt(second.address()).get(ValueLayout.JAVA_BYTE, 0));
            assertEquals(2, heap.find(second.address().value()).get(ValueLayout.JAVA_BYTE, 0));
            assertTrue(heap.find(first.address().value()).isReadOnly());
            assertNull(heap.find(BASE + 2 * 4096), "a free slot");
            assertNull(heap.find(BASE + 8), "inside a table");
            assertNull(heap.find(BASE - 4096), "below the base");
            assertPanic(TranslationPanic.Kind.BAD_ADDRESS, () -> heap.tableAt(new VirtualAddress(BASE + 2 * 4096)));
            assertPanic(TranslationPanic.Kind.BAD_ADDRESS, () -> heap.tableAt(new VirtualAddress(BASE + 64 * 4096)));
        }
    }

    @Test
    void allocationAndFreeZeroTheTable() {
        try (TableHeap heap = new TableHeap()) {
            TableHeap.Allocation a = heap.allocate();
            a.table().fill((byte) 0x5a);
            heap.free(a.table());
            assertEquals(0, a.table().get(ValueLayout.JAVA_BYTE, 4095), "zeroed on free");
            TableHeap.Allocation b = heap.allocate();
            assertEquals(a.address(), b.address());
            assertEquals(0, b.table().get(ValueLayout.JAVA_BYTE, 0));
        }
    }

    @Test
    void aDoubleFreeNamesTheTablesAddress() {
        try (TableHeap heap = new TableHeap()) {
            heap.allocate();
            TableHeap.Allocation b = heap.allocate();
            heap.free(b.table());
            TranslationPanic p = assertThrows(TranslationPanic.class, () -> heap.free(b.table()));
            assertEquals(TranslationPanic.Kind.BAD_FREE, p.kind());
            assertEquals("freeing 0x0000100000001000, which is not a live table", p.getMessage());
        }
    }

    @Test
    void freeingMemoryTheHeapDidNotHandOutIsABadFree() {
        try (TableHeap heap = new TableHeap()) {
            MemorySegment first = heap.allocate().table();
            String notOurs = "freeing memory that is not a heap table";
            assertEquals(notOurs, assertPanic(TranslationPanic.Kind.BAD_FREE,
                    () -> heap.free(MemorySegment.ofArray(new byte[4096]))).getMessage());
            // The 4096 bytes just past the heap's only chunk of 64 tables.
            MemorySegment pastTheChunk = MemorySegment.ofAddress(first.address() + 64 * 4096L).reinterpret(4096);
            assertEquals(notOurs, assertPanic(TranslationPanic.Kind.BAD_FREE, () -> heap.free(pastTheChunk))
                    .getMessage());
            assertEquals(notOurs, assertPanic(TranslationPanic.Kind.BAD_FREE,
                    () -> heap.free(first.asSlice(8, 8))).getMessage());
            assertEquals(1, heap.usedTables());
        }
    }

    @Test
    void aClosedHeapRefusesEveryUseAndReleasesItsMemory() {
        TableHeap heap = new TableHeap();
        TableHeap.Allocation a = heap.allocate();
        assertFalse(heap.isClosed());
        heap.close();
        assertTrue(heap.isClosed());
        heap.close(); // idempotent
        assertTrue(heap.isClosed());
        assertClosed(heap::allocate);
        assertClosed(() -> heap.free(a.table()));
        assertClosed(() -> heap.tableAt(a.address()));
        assertClosed(() -> heap.find(a.address().value()));
        assertThrows(IllegalStateException.class, () -> a.table().get(ValueLayout.JAVA_BYTE, 0), "memory released");
    }

    @Test
    void anUnalignedBaseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TableHeap(0x1000_0000_0800L));
        try (TableHeap heap = new TableHeap(0x2000)) {
            assertEquals(0x2000, heap.allocate().address().value());
        }
    }

    private static TranslationPanic assertPanic(TranslationPanic.Kind kind, Executable e) {
        TranslationPanic p = assertThrows(TranslationPanic.class, e::run);
        assertEquals(kind, p.kind());
        return p;
    }

    private static void assertClosed(Executable e) {
        MemoryLifetimeException x = assertThrows(MemoryLifetimeException.class, e::run);
        assertEquals(MemoryLifetimeException.Kind.CLOSED, x.kind());
    }

    @FunctionalInterface
    private interface Executable {
        void run() throws Throwable;
    }
}
