package dev.pvmfw.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The arena convention (docs/aarch64-paging-0.4.0.md, "The arena convention"), as the oracle library implements it:
 * lowest free slot first, slot {@code i} at {@code paBase + 4096·i}, zeroed on allocation and on free, the same failure
 * messages; and the lifetime rules (closed, confined to another thread).
 */
class TableArenaContractTest {
    private static final long BASE = TableArena.DEFAULT_PA_BASE;

    @Test
    void slotsAreAllocatedLowestFirstAtPaBasePlus4096TimesI() {
        try (TableArena a = TableArena.create(20)) {
            assertEquals(20, a.slotCount());
            for (int i = 0; i < 20; i++) { // past the bookkeeping's first 16 slots
                assertEquals(BASE + 4096L * i, a.allocateTable().pa().value());
                assertTrue(a.isUsed(i));
            }
            assertEquals(20, a.usedSlots());
            a.deallocateTable(a.tableAt(BASE + 4096 * 3));
            assertFalse(a.isUsed(3));
            assertEquals(BASE + 4096 * 3, a.allocateTable().pa().value(), "the lowest free slot again");
        }
    }

    /** The event log: slot {@code i} allocated is {@code i}, freed is {@code ~i}, in order. */
    @Test
    void theEventLogRecordsAllocationsAndFreesInOrder() {
        try (TableArena a = TableArena.create(4)) {
            MemorySegment first = a.allocateTable().table();
            a.allocateTable();
            a.deallocateTable(first);
            assertEquals(3, a.eventCount());
            org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 1, ~0}, a.eventLog());
            org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {1, ~0}, a.eventsSince(1));
        }
    }

    @Test
    void aOneSlotArenaIsAnArena() {
        try (TableArena a = TableArena.create(1, 0x8000_0000L)) {
            assertEquals(1, a.slotCount());
            assertEquals(0x8000_0000L, a.allocateTable().pa().value());
            TranslationPanic p = assertThrows(TranslationPanic.class, a::allocateTable);
            assertEquals(TranslationPanic.Kind.EXHAUSTED, p.kind());
            assertEquals("arena exhausted: all 1 slots in use", p.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> TableArena.create(0));
        assertThrows(IllegalArgumentException.class, () -> TableArena.create(TableArena.MAX_SLOTS + 1));
    }

    @Test
    void slotNumbersOutsideTheArenaAreNotUsedSlots() {
        try (TableArena a = TableArena.create(16)) {
            for (int i = 0; i < 16; i++) {
                a.allocateTable();
            }
            assertFalse(a.isUsed(-1));
            assertFalse(a.isUsed(16));
            assertEquals(15, a.slotOf(BASE + 15 * 4096));
            assertEquals(-1, a.slotOf(BASE + 16 * 4096), "one past the last slot");
            assertEquals(-1, a.slotOf(BASE - 4096));
            assertEquals(-1, a.slotOf(BASE + 8));
            assertNull(a.table(BASE + 16 * 4096));
        }
    }

    @Test
    void aFreeOfMemoryOutsideTheArenaOrTwiceIsABadFree() {
        try (TableArena a = TableArena.create(2)) {
            MemorySegment first = a.allocateTable().table();
            MemorySegment pastTheEnd = MemorySegment.ofAddress(first.address() + 2 * 4096L).reinterpret(4096);
            TranslationPanic p = assertThrows(TranslationPanic.class, () -> a.deallocateTable(pastTheEnd));
            assertEquals(TranslationPanic.Kind.BAD_FREE, p.kind());
            assertEquals("freeing memory that is not an arena slot", p.getMessage());
            a.deallocateTable(first);
            p = assertThrows(TranslationPanic.class, () -> a.deallocateTable(first));
            assertEquals("arena slot 0 freed twice", p.getMessage());
        }
    }

    @Test
    void theSegmentIsEverySlotInOrderReadOnly() {
        try (TableArena a = TableArena.create(3)) {
            a.allocateTable();
            MemorySegment t = a.allocateTable().table();
            t.set(ValueLayout.JAVA_BYTE, 5, (byte) 7);
            MemorySegment all = a.segment();
            assertEquals(3 * 4096, all.byteSize());
            assertEquals(7, all.get(ValueLayout.JAVA_BYTE, 4096 + 5));
            assertTrue(all.isReadOnly());
            assertTrue(a.table(BASE + 4096).isReadOnly());
            assertEquals(7, a.table(BASE + 4096).get(ValueLayout.JAVA_BYTE, 5));
        }
    }

    @Test
    void aClosedArenaRefusesEveryUse() {
        TableArena a = TableArena.create(2);
        MemorySegment t = a.allocateTable().table();
        a.close();
        assertTrue(a.isClosed());
        a.close(); // idempotent
        assertClosed(a::segment);
        assertClosed(a::allocateTable);
        assertClosed(() -> a.deallocateTable(t));
        assertClosed(() -> a.table(BASE));
        assertClosed(() -> a.tableAt(BASE));
        assertClosed(() -> a.physicalToVirtual(new PhysicalAddress(BASE)));
    }

    @Test
    void anArenaOverMemoryItsOwnerReleasedIsClosed() {
        Arena owner = Arena.ofShared();
        TableArena a = TableArena.over(owner.allocate(4096, 4096), BASE);
        a.allocateTable();
        assertFalse(a.isClosed());
        owner.close();
        assertTrue(a.isClosed());
        assertClosed(() -> a.table(BASE));
        a.close(); // nothing to release
        assertTrue(a.isClosed());
    }

    @Test
    void memoryConfinedToAnotherThreadIsRefusedAndNothingChanges() throws Exception {
        try (Arena confined = Arena.ofConfined()) {
            TableArena a = TableArena.over(confined.allocate(2 * 4096, 4096), BASE);
            MemorySegment t = a.allocateTable().table();
            AtomicReference<Throwable> alloc = new AtomicReference<>();
            AtomicReference<Throwable> free = new AtomicReference<>();
            AtomicReference<Throwable> close = new AtomicReference<>();
            Thread other = new Thread(() -> {
                alloc.set(thrown(a::allocateTable));
                free.set(thrown(() -> a.deallocateTable(t)));
                close.set(thrown(a::close));
            });
            other.start();
            other.join();
            for (Throwable x : new Throwable[] {alloc.get(), free.get(), close.get()}) {
                MemoryLifetimeException e = (MemoryLifetimeException) x;
                assertEquals(MemoryLifetimeException.Kind.WRONG_THREAD, e.kind());
            }
            assertEquals(1, a.usedSlots());
            assertTrue(a.isUsed(0));
            assertFalse(a.isClosed());
            a.close();
        }
    }

    private static Throwable thrown(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static void assertClosed(Runnable r) {
        MemoryLifetimeException x = assertThrows(MemoryLifetimeException.class, r::run);
        assertEquals(MemoryLifetimeException.Kind.CLOSED, x.kind());
    }
}
