package dev.pvmfw.era2023_11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.LazyFlow;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.hyp.Smccc;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the era2023_11 tracker hands out: vmbase's {@code alloc_range} family returns the range it tracked, {@code shrink}
 * changes {@code total}, the windows and the payload range it was made with, its hypervisor and flow; the MMIO teardown
 * unmaps what a fault mapped; and it knows when it is closed.
 */
class TrackerHoldsTest {
    static final long RAM = CrosvmLayout.RAM_START;

    @Test
    void theAllocationsReturnTheRangeTheyTrack() throws Exception {
        try (Rig rig = new Rig()) {
            MemoryTracker t = rig.tracker;
            assertEquals(new MemoryRange(RAM, RAM + 0x1000), t.alloc(RAM, 0x1000));
            // alloc_range maps RODATA: a 0.4.0 page is pa | RODATA | ACCESSED | TABLE_OR_PAGE.
            assertEquals(0x0060_0000_8000_0F87L, rig.entry(RAM, 3));
            assertEquals(new MemoryRange(RAM + 0x2000, RAM + 0x3000), t.allocMut(RAM + 0x2000, 0x1000));
            assertEquals(new MemoryRange(RAM + 0x4000, RAM + 0x5000),
                    t.allocRange(new MemoryRange(RAM + 0x4000, RAM + 0x5000)));
            assertEquals(new MemoryRange(RAM + 0x6000, RAM + 0x7000),
                    t.allocRangeMut(new MemoryRange(RAM + 0x6000, RAM + 0x7000)));
            assertEquals(List.of(new TrackedRegion(new MemoryRange(RAM, RAM + 0x1000), MemoryType.READ_ONLY),
                    new TrackedRegion(new MemoryRange(RAM + 0x2000, RAM + 0x3000), MemoryType.READ_WRITE),
                    new TrackedRegion(new MemoryRange(RAM + 0x4000, RAM + 0x5000), MemoryType.READ_ONLY),
                    new TrackedRegion(new MemoryRange(RAM + 0x6000, RAM + 0x7000), MemoryType.READ_WRITE)), t.regions());
        }
    }

    @Test
    void shrinkChangesTheTotalAndTheTrackerHandsOutItsWindows() throws Exception {
        try (Rig rig = new Rig()) {
            MemoryTracker t = rig.tracker;
            assertEquals(new MemoryRange(RAM, MainWrapper.MAX_VIRT_ADDR), t.total());
            t.shrink(new MemoryRange(RAM, MainWrapper.MAX_VIRT_ADDR)); // the same end: no error
            t.shrink(new MemoryRange(RAM, RAM + (16L << 20)));
            assertEquals(new MemoryRange(RAM, RAM + (16L << 20)), t.total());
            t.allocMut(RAM, 0x2000);
            MemoryTrackerException e = org.junit.jupiter.api.Assertions.assertThrows(MemoryTrackerException.class,
                    () -> t.shrink(new MemoryRange(RAM, RAM + 0x1000)));
            assertEquals(MemoryTrackerError.Unit.SizeTooSmall, e.error(), "a region no longer within");
            assertEquals(CrosvmLayout.MMIO_WINDOW, t.mmioRange());
            assertEquals(Optional.of(CrosvmLayout.APPENDED_PAYLOAD), t.payloadRange());
            assertSame(rig.hypervisor, t.hypervisor());
            assertEquals(LazyFlow.ERA, t.lazyFlow());
        }
    }

    @Test
    void theMmioTeardownUnmapsWhatAFaultMapped() throws Exception {
        try (Rig rig = new Rig()) {
            MemoryTracker t = rig.tracker;
            t.mapMmioRange(0x1_0000, 0x2_0000);
            assertEquals(List.of(new MemoryRange(0x1_0000, 0x2_0000)), t.mmioRegions());
            t.handleMmioFault(0x1_0000);
            assertEquals(List.of(0x1_0000L), rig.rec.arguments(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP));
            t.mmioTeardown();
            assertEquals(List.of(0x1_0000L), rig.rec.arguments(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP));
            assertTrue(rig.rec.guardMapped().isEmpty());
        }
    }

    @Test
    void itKnowsWhenItIsClosed() {
        Rig rig = new Rig();
        assertFalse(rig.tracker.isClosed());
        assertTrue(rig.tracker.dbmEnabled(), "MemoryTracker::new turns DBM on");
        rig.close();
        assertTrue(rig.tracker.isClosed());
        assertFalse(rig.tracker.dbmEnabled(), "Drop turns it off");
    }
}
