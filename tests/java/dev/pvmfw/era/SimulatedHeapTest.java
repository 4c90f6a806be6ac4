package dev.pvmfw.era;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The global allocator's stand-in: its documented refusals, and freed memory is whole again. */
class SimulatedHeapTest {
    static final long BASE = 0x8020_0000L;

    @Test
    void aHeapOfNoBytesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SimulatedHeap(BASE, 0));
        assertThrows(IllegalArgumentException.class, () -> new SimulatedHeap(BASE, -1));
        assertThrows(IllegalArgumentException.class, () -> new SimulatedHeap(-0x1000L, 0x2000));
    }

    @Test
    void aZeroSizeOrBadlyAlignedLayoutGetsTheNullPointer() {
        SimulatedHeap heap = new SimulatedHeap(BASE, SimulatedHeap.PVMFW_HEAP_SIZE);
        assertEquals(OptionalLong.empty(), heap.allocZeroed(0, 8));
        assertEquals(OptionalLong.empty(), heap.allocZeroed(16, 3));
        assertEquals(SimulatedHeap.PVMFW_HEAP_SIZE, heap.freeBytes());
    }

    @Test
    void freedMemoryCanBeAllocatedWholeAgain() {
        SimulatedHeap heap = new SimulatedHeap(BASE, SimulatedHeap.PVMFW_HEAP_SIZE);
        assertEquals(BASE, heap.base());
        assertEquals(SimulatedHeap.PVMFW_HEAP_SIZE, heap.size());
        long a = heap.allocZeroed(0x1000, 0x1000).orElseThrow();
        long b = heap.allocZeroed(0x1000, 0x1000).orElseThrow();
        assertEquals(SimulatedHeap.PVMFW_HEAP_SIZE - 0x2000, heap.freeBytes());
        heap.dealloc(b, 0x1000);
        heap.dealloc(a, 0x1000);
        assertEquals(SimulatedHeap.PVMFW_HEAP_SIZE, heap.freeBytes());
        assertEquals(OptionalLong.of(BASE), heap.allocZeroed(SimulatedHeap.PVMFW_HEAP_SIZE, 8));
        assertThrows(InvariantViolation.class, () -> heap.dealloc(a, 0x1000));
    }
}
