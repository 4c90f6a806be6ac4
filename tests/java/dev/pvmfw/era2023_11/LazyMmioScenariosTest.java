package dev.pvmfw.era2023_11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.hyp.KvmError;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.testing.Mmus;
import dev.pvmfw.testing.Tables;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The 2023-11 fault handler and teardown on aarch64-paging 0.4.0 ({@code docs/pvmfw-2023-11.md}, "The fault
 * handler"), with expected values from the reference's text (pvmfw-lazy-mmio.md "Fault handler, by era", "Scenarios"; pvmfw-eras-verified.md
 * "handle_mmio_fault", "Teardown").
 */
class LazyMmioScenariosTest {
    static final long BLOCK = 0x0900_0000L;
    static final long MIB2 = 2L << 20;
    static final int MAP = Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP;
    static final int UNMAP = Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP;

    Rig rig = new Rig();

    @AfterEach
    void tearDown() {
        rig.close();
    }

    static MemoryTrackerError err(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(MemoryTrackerException.class, e).error();
    }

    List<Long> validPagesIn(long start, long end) {
        return Mmus.validLeaves(rig.root()).stream()
                .filter(l -> Long.compareUnsigned(l.va(), start) >= 0 && Long.compareUnsigned(l.va(), end) < 0)
                .map(WalkResult.Leaf::va).toList();
    }

    /** "Scenarios"'s bytes: the lazy block at L2[72]; after a fault on page 1, L3[1] valid, the other 511 lazy pages. */
    @Test
    void lazyBlockThenFaultOnPage1ExactBytes() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        assertEquals(0x00E0_0000_0900_0400L, rig.entry(BLOCK, 2));
        assertEquals(0, rig.rec.callCount());

        rig.tracker.handleMmioFault(0x0900_1000L);

        assertEquals(List.of(new HypCall(MAP, 0x0900_1000L, 0)), rig.rec.log());
        MemorySegment l3 = Tables.tableAt(rig.root(), BLOCK, 3);
        for (int j = 0; j < 512; j++) {
            long expected = j == 1 ? 0x00E0_0000_0900_1403L : 0x00E0_0000_0900_0402L + j * 0x1000L;
            assertEquals(expected, TableLayout.read(l3, j), "L3[" + j + "]");
        }
        Mmus.assertNoValidDevicePageWithoutGuardMap(rig.rec, rig.root());
    }

    /** One MAP per page, in fault order, and after each fault exactly the pages faulted so far are valid. */
    @Test
    void lazyBlockFaultedInPageByPage() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        List<Long> faulted = new ArrayList<>();
        for (int k = 0; k < 512; k += 37) {
            long page = BLOCK + k * 0x1000L;
            rig.tracker.handleMmioFault(page + 0x10);
            faulted.add(page);
            assertEquals(faulted, rig.rec.arguments(MAP));
            assertEquals(faulted, validPagesIn(BLOCK, BLOCK + MIB2));
            assertEquals(0x00E0_0000_0000_0403L | page, rig.entry(page, 3));
        }
        assertEquals(faulted.size(), rig.rec.callCount());
    }

    @Test
    void faultOutsideAnyLazyRegionIsInvalidPteWithoutHypercall() throws Exception {
        rig.tracker.allocRangeMut(new MemoryRange(0x8000_0000L, 0x8000_2000L));
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        String before = rig.root().debug();
        for (long far : new long[] {0x8000_0000L, 0x5000_0000L, 0x3f8, BLOCK + MIB2, 1L << 39, -0x1000L}) {
            assertEquals(MemoryTrackerError.Unit.InvalidPte, err(() -> rig.tracker.handleMmioFault(far)),
                    "far 0x" + Long.toHexString(far));
        }
        assertEquals(0, rig.rec.callCount());
        assertEquals(before, rig.root().debug());
    }

    @Test
    void repeatedFaultIsInvalidPteAndNoSecondMap() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        rig.tracker.handleMmioFault(BLOCK + 0x3000);
        assertEquals(MemoryTrackerError.Unit.InvalidPte, err(() -> rig.tracker.handleMmioFault(BLOCK + 0x3008)));
        assertEquals(List.of(BLOCK + 0x3000), rig.rec.arguments(MAP));
    }

    /**
     * VALID is set before the MAP (pvmfw-eras-verified.md "handle_mmio_fault", 2023-11): a failed MAP is Hypervisor(KvmError(..))
     * with the stage-1 page already valid over a stage 2 never mapped, and the retried fault is InvalidPte.
     */
    @Test
    void failedMapLeavesThePteValidQuirk() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        rig.rec.injectFor(MAP, BLOCK + 0x1000, Smccc.INVALID_PARAMETER);
        MemoryTrackerError e = err(() -> rig.tracker.handleMmioFault(BLOCK + 0x1000));
        assertEquals(new MemoryTrackerError.Hypervisor(new HypError.Kvm(KvmError.Unit.InvalidParameter, MAP)), e);
        assertEquals("Failed to invoke the HVC function with function ID 3321888775: "
                + "KVM call received non-supported value", e.display());
        assertEquals(List.of(BLOCK + 0x1000), validPagesIn(BLOCK, BLOCK + MIB2));
        assertTrue(rig.rec.guardMapped().isEmpty());
        assertEquals(List.of(BLOCK + 0x1000), Mmus.unguardedValidDevicePages(rig.rec, rig.root()));
        rig.rec.clearInjections();
        assertEquals(MemoryTrackerError.Unit.InvalidPte, err(() -> rig.tracker.handleMmioFault(BLOCK + 0x1000)));
        assertEquals(1, rig.rec.arguments(MAP).size());
    }

    @Test
    void twoFaultsTeardownUnmapsThoseInVaOrderAndLeavesThePtes() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        rig.tracker.handleMmioFault(BLOCK + 0x5000);
        rig.tracker.handleMmioFault(BLOCK + 0x2000);
        String before = rig.root().debug();
        rig.tracker.mmioUnmapAll();
        assertEquals(List.of(BLOCK + 0x2000, BLOCK + 0x5000), rig.rec.arguments(UNMAP));
        assertEquals(4, rig.rec.callCount());
        assertEquals(before, rig.root().debug());
        Mmus.assertNothingGuardMapped(rig.rec);
    }

    @Test
    void teardownWalksRegionsInTheOrderAdded() throws Exception {
        rig.tracker.mapMmioRange(0x2000_0000L, 0x2000_4000L);
        rig.tracker.mapMmioRange(0x1000_0000L, 0x1000_4000L);
        rig.tracker.handleMmioFault(0x1000_3000L);
        rig.tracker.handleMmioFault(0x2000_1000L);
        rig.tracker.handleMmioFault(0x1000_0000L);
        rig.tracker.mmioUnmapAll();
        assertEquals(List.of(0x2000_1000L, 0x1000_0000L, 0x1000_3000L), rig.rec.arguments(UNMAP));
    }

    @Test
    void unmapErrorOnTeardownIsFailedToUnmapAndStopsTheWalk() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        rig.tracker.mapMmioRange(0x1000_0000L, 0x1000_1000L);
        rig.tracker.handleMmioFault(BLOCK);
        rig.tracker.handleMmioFault(BLOCK + 0x1000);
        rig.tracker.handleMmioFault(0x1000_0000L);
        rig.rec.injectFor(UNMAP, BLOCK, Smccc.INVALID_PARAMETER);
        assertEquals(MemoryTrackerError.Unit.FailedToUnmap, err(rig.tracker::mmioUnmapAll));
        assertEquals(List.of(BLOCK), rig.rec.arguments(UNMAP));
        assertEquals(3, rig.rec.guardMapped().size());
    }

    /** Without an MMIO guard (regular KVM): MMIO mapped valid at once, no hypercall, a fault panics on the unwrap. */
    @Test
    void withoutMmioGuardMmioIsEagerAndAFaultPanics() throws Exception {
        rig.close();
        rig = new Rig(new RecordingHypervisor().setMmioGuardSupported(false));
        assertTrue(rig.hypervisor instanceof RegularKvmHypervisor);
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        assertEquals(0x00E0_0000_0900_0401L, rig.entry(BLOCK, 2)); // DEVICE: valid
        InvariantViolation p = assertThrows(InvariantViolation.class, () -> rig.tracker.handleMmioFault(BLOCK));
        assertEquals("called `Option::unwrap()` on a `None` value", p.getMessage());
        rig.tracker.mmioUnmapAll();
        assertEquals(0, rig.rec.callCount());
    }

    /**
     * A leaf whose flags the crate cannot parse (AttrIndx bit 3 set: bitflags 2.0.2's {@code flags()} is None) is the
     * closure's {@code expect("Unsupported PTE flags set")} panic (2023-11: before any hypercall).
     */
    @Test
    void unparsableFlagsInTheFaultedLeafPanic() throws Exception {
        rig.root().mapRange(dev.pvmfw.paging.MemoryRegion.of(0x0900_0000L, 0x0900_1000L),
                new dev.pvmfw.paging.PhysicalAddress(0x0900_0000L),
                dev.pvmfw.paging.v0_4_0.Attributes.fromBitsRetain(PteCallbacks.MMIO_LAZY_MAP_FLAG | 0x8));
        InvariantViolation p = assertThrows(InvariantViolation.class, () -> rig.tracker.handleMmioFault(0x0900_0000L));
        assertEquals("Unsupported PTE flags set", p.getMessage());
        assertEquals(0, rig.rec.arguments(MAP).size());
    }

    /**
     * {@code mmio_guard_unmap_page} on a valid lazy-MMIO page over a hypervisor without an MMIO guard (a regular KVM):
     * {@code get_mmio_guard().unwrap()} panics (pvmfw-eras-verified.md, "2023-11"), no UNMAP. The teardown itself never
     * walks without a guard; the callback alone can meet one.
     */
    @Test
    void theUnmapCallbackWithoutAnMmioGuardPanicsOnAValidLazyPage() throws Exception {
        rig.pageTable.mapDevice(0x0900_0000L, 0x0900_1000L); // DEVICE: VALID with MMIO_LAZY_MAP_FLAG
        InvariantViolation p = assertThrows(InvariantViolation.class, () -> dev.pvmfw.era.LeafWalks.walkRange(
                rig.pageTable, 0x0900_0000L, 0x0900_1000L, PteCallbacks.mmioGuardUnmapPage(RegularKvmHypervisor.INSTANCE)));
        assertEquals("called `Option::unwrap()` on a `None` value", p.getMessage());
        assertEquals(0, rig.rec.callCount());
    }
}
