package dev.pvmfw.era2023_05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.era.SimulatedHeap;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the 2023-05 tracker, sharer and hypervisor hold and hand out (the heap, the hypervisor, the pool, the granule,
 * the shared regions, the conduit), their lifetime, and the hypervisor errors' derived Debug.
 */
class HoldersTest {
    @Test
    void theTrackerHandsOutWhatItWasGivenAndKnowsWhenItIsClosed() throws Exception {
        try (TableArena arena = TableArena.create(64)) {
            SimulatedHeap heap = CrosvmLayout.newHeap();
            KvmHypervisor kvm = new KvmHypervisor(new RecordingHypervisor());
            MemoryTracker t = new MemoryTracker(new PvmfwPageTable(arena), kvm, heap);
            assertSame(heap, t.heap());
            assertSame(kvm, t.hypervisor());
            assertTrue(t.sharedPool().isEmpty());
            t.initDynamicSharedPool();
            assertTrue(t.sharedPool().isPresent());
            assertEquals(new MemoryRange(0x8000_0000L, 0x8000_1000L), t.alloc(0x8000_0000L, 0x1000));
            assertFalse(t.isClosed());
            t.close();
            assertTrue(t.isClosed());
        }
    }

    /** This era's MMIO teardown is {@code mmio_unmap_all}: what a fault MMIO_GUARD_MAPped is UNMAPped. */
    @Test
    void theMmioTeardownUnmapsWhatAFaultMapped() throws Exception {
        try (TrackerRig rig = new TrackerRig()) {
            rig.tracker.mapMmioRange(0x1_0000, 0x2_0000);
            rig.tracker.handleMmioFault(0x1_0000);
            assertEquals(List.of(0x1_0000L), rig.rec.arguments(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP));
            rig.tracker.mmioTeardown();
            assertEquals(List.of(0x1_0000L), rig.rec.arguments(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP));
            assertTrue(rig.rec.guardMapped().isEmpty());
        }
    }

    /** {@code Drop for MemorySharer}: every region UNSHAREd and given back to the heap. */
    @Test
    void theSharerRecordsItsRegionsAndGivesThemBackOnDrop() {
        RecordingHypervisor rec = new RecordingHypervisor();
        SimulatedHeap heap = CrosvmLayout.newHeap();
        long free = heap.freeBytes();
        MemorySharer sharer = new MemorySharer(4096, heap, new KvmHypervisor(rec));
        assertEquals(4096, sharer.granule());
        SharedPool pool = new SharedPool();
        sharer.refill(pool, 100, 8);
        assertEquals(List.of(new MemorySharer.SharedRegion(CrosvmLayout.HEAP.start(), 4096, 4096)),
                sharer.sharedRegions());
        assertEquals(free - 4096, heap.freeBytes());
        sharer.close();
        assertEquals(List.of(), sharer.sharedRegions());
        assertEquals(free, heap.freeBytes());
    }

    /** refill: {@code assert_ne!(layout.size(), 0)} after {@code align_to(granule).pad_to_align()}. */
    @Test
    void aZeroSizeRefillFailsTheSizeAssertionNotTheLayout() {
        MemorySharer sharer = new MemorySharer(4096, CrosvmLayout.newHeap(),
                new KvmHypervisor(new RecordingHypervisor()));
        InvariantViolation e = assertThrows(InvariantViolation.class, () -> sharer.refill(new SharedPool(), 0, 8));
        assertEquals("assertion `left != right` failed\n  left: 0\n right: 0", e.getMessage());
    }

    @Test
    void theHypervisorHandsOutItsConduitAndCompatibility() {
        RecordingHypervisor rec = new RecordingHypervisor();
        KvmHypervisor on = new KvmHypervisor(rec);
        KvmHypervisor off = new KvmHypervisor(rec, false);
        assertSame(rec, on.conduit());
        assertTrue(on.compatAndroid13());
        assertFalse(off.compatAndroid13());
    }

    /** Derived Debug: the uuid crate's Debug is the hyphenated lower-case form; a usize is decimal. */
    @Test
    void hypervisorErrorsDebugAsTheDerivedForm() {
        UUID uuid = UUID.fromString("28b46fb6-2ec5-11e9-a9ca-4b564d003a74");
        assertEquals("UnsupportedHypervisorUuid(28b46fb6-2ec5-11e9-a9ca-4b564d003a74)",
                new HypError.UnsupportedHypervisorUuid(uuid).toString());
        assertEquals("UnsupportedMmioGuardGranule(18446744073709551615)",
                new HypError.UnsupportedMmioGuardGranule(-1L).toString());
    }
}
