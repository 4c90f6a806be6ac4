package dev.pvmfw.era2023_05;

import dev.pvmfw.testing.Mmus;
import dev.pvmfw.testing.Tables;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.MemoryRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.era2023_05.HypError;
import dev.pvmfw.hyp.KvmError;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.mmu.Walker;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The 2023-05 scenarios ({@code docs/pvmfw-2023-05.md}, "Scenarios") for the fault handler and the teardown, on aarch64-paging 0.4.0. */
class LazyMmioScenariosTest {
    static final long BLOCK = 0x0900_0000L;
    static final long MIB2 = 2L << 20;
    static final int MAP = Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP;
    static final int UNMAP = Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP;

    TrackerRig rig = new TrackerRig();

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

    @Test
    void lazyBlockThenFaultOnPage1ExactBytes() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        assertEquals(0x00E0_0000_0900_0400L, rig.entry(BLOCK, 2)); // L2[72]
        assertEquals(0, rig.rec.callCount());

        rig.tracker.handleMmioFault(0x0900_1000L);

        assertEquals(List.of(new HypCall(MAP, 0x0900_1000L, 0)), rig.rec.log());
        MemorySegment l3 = Tables.tableAt(rig.root(), BLOCK, 3);
        for (int j = 0; j < 512; j++) {
            long expected = j == 1 ? 0x00E0_0000_0900_1403L : 0x00E0_0000_0900_0402L + j * 0x1000L;
            assertEquals(expected, TableLayout.read(l3, j), "L3[" + j + "]");
        }
        assertEquals(List.of(0x0900_1000L), validPagesIn(BLOCK, BLOCK + MIB2));
        Mmus.assertNoValidDevicePageWithoutGuardMap(rig.rec, rig.root());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 255, 511})
    void faultOnPageKMapsExactlyPageK(int k) throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        long page = BLOCK + k * 0x1000L;
        rig.tracker.handleMmioFault(page + 0xabc); // any byte in the page
        assertEquals(List.of(page), rig.rec.arguments(MAP));
        assertEquals(1, rig.rec.callCount());
        assertEquals(List.of(page), validPagesIn(BLOCK, BLOCK + MIB2));
        assertEquals(0x00E0_0000_0000_0403L | page, rig.entry(page, 3));
    }

    @Test
    void twoFaultsTwoMapsTeardownUnmapsThoseInVaOrderAndLeavesThePtes() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        rig.tracker.handleMmioFault(BLOCK + 0x5000);
        rig.tracker.handleMmioFault(BLOCK + 0x2000);
        assertEquals(List.of(BLOCK + 0x5000, BLOCK + 0x2000), rig.rec.arguments(MAP));
        String before = rig.root().debug();

        rig.tracker.mmioUnmapAll();

        assertEquals(List.of(BLOCK + 0x2000, BLOCK + 0x5000), rig.rec.arguments(UNMAP));
        assertEquals(4, rig.rec.callCount());
        assertEquals(before, rig.root().debug()); // the page table is not touched
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
    void faultOutsideAnyLazyRegionIsInvalidPteWithoutHypercall() throws Exception {
        rig.tracker.allocRangeMut(new MemoryRange(0x8000_0000L, 0x8000_2000L));
        rig.pageTable.mapDevice(0x3f8, 0x3f9);
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        String before = rig.root().debug();
        for (long far : new long[] {0x8000_0000L, 0x8000_1fffL, 0x5000_0000L, 0, 0x3f8, BLOCK + MIB2, 0x7F_FFFF_FFFFL,
                1L << 39, (1L << 40) - 1, -1L, -0x1000L}) {
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
        assertEquals(1, rig.rec.arguments(MAP).size());
    }

    @Test
    void mapErrorIsHypervisorErrorAndThePteStaysInvalid() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        rig.rec.injectFor(MAP, BLOCK + 0x1000, Smccc.INVALID_PARAMETER);
        String before = rig.root().debug();
        MemoryTrackerError e = err(() -> rig.tracker.handleMmioFault(BLOCK + 0x1000));
        assertEquals(new MemoryTrackerError.Hypervisor(new HypError.Kvm(KvmError.Unit.InvalidParameter, MAP)), e);
        assertEquals("Failed to invoke the HVC function with function ID 3321888775: "
                + "KVM call received non-supported value", e.display());
        assertEquals(before, rig.root().debug()); // still the lazy block
        assertTrue(rig.rec.guardMapped().isEmpty());
        // The next try succeeds once the hypervisor agrees.
        rig.rec.clearInjections();
        rig.tracker.handleMmioFault(BLOCK + 0x1000);
        assertEquals(List.of(BLOCK + 0x1000), validPagesIn(BLOCK, BLOCK + MIB2));
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
        assertEquals(List.of(BLOCK), rig.rec.arguments(UNMAP)); // the first UNMAP failed; nothing after it ran
        assertEquals(3, rig.rec.guardMapped().size());
    }

    /** Android 13 pKVM: MAP answers an i32, UNMAP answers NOT_SUPPORTED on success; the 2023 libhyp copes. */
    @Test
    void android13ReturnsWorkEndToEndQuirk() throws Exception {
        rig.close();
        rig = new TrackerRig(64, new RecordingHypervisor().setAndroid13Returns(true));
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        rig.tracker.handleMmioFault(BLOCK + 0x7000);
        rig.tracker.mmioUnmapAll();
        assertEquals(List.of(new HypCall(MAP, BLOCK + 0x7000, 0), new HypCall(UNMAP, BLOCK + 0x7000, -1)),
                rig.rec.log());
        Mmus.assertNothingGuardMapped(rig.rec);
        // An error comes back as an i32 too and is still decoded.
        rig.rec.injectFor(MAP, BLOCK + 0x8000, 0xFFFF_FFFDL);
        assertEquals(new MemoryTrackerError.Hypervisor(new HypError.Kvm(KvmError.Unit.InvalidParameter, MAP)),
                err(() -> rig.tracker.handleMmioFault(BLOCK + 0x8000)));
    }

    /** Under 0.4.0 every split fills the new table, so no all-zero level-3 entry exists for is_leaf_pte to miss. */
    @Test
    void noAllZeroLevel3EntryUnder04FillOnSplit() throws Exception {
        rig.pageTable.mapDevice(0x3f8, 0x3f9);
        rig.tracker.mapMmioRange(CrosvmLayout.PCI_CAM);
        rig.tracker.mapMmioRange(CrosvmLayout.LOW_MMIO);
        rig.tracker.allocRangeMut(new MemoryRange(0x8000_0000L, 0x8000_3000L));
        for (long far : new long[] {0x1_0000L, 0x100_f000L, 0x200_0000L, 0x3ff_f000L, 0x80_0000L}) {
            rig.tracker.handleMmioFault(far);
        }
        int[] level3Tables = {0};
        forEachLevel3Table(rig, l3 -> {
            level3Tables[0]++;
            for (int j = 0; j < 512; j++) {
                assertTrue(TableLayout.read(l3, j) != 0, "zero L3 entry");
            }
        });
        assertTrue(level3Tables[0] >= 5, "level-3 tables seen: " + level3Tables[0]);
    }

    /**
     * The blind spot itself: were a split to leave zero entries (0.6+), the 2023 handler would accept a zero L3
     * entry as "not a leaf", MMIO_GUARD_MAP the page and make it valid although it was never registered.
     */
    @Test
    void isLeafPteBlindSpotAcceptsAZeroedLevel3EntryQuirk() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        rig.tracker.handleMmioFault(BLOCK); // split
        // Zero L3[5], as a zero-filling split would have left it.
        TableLayout.write(Tables.tableAt(rig.root(), BLOCK, 3), 5, 0);
        assertEquals(0, rig.entry(BLOCK + 0x5000, 3));
        rig.tracker.handleMmioFault(BLOCK + 0x5000);
        assertEquals(List.of(BLOCK, BLOCK + 0x5000), rig.rec.arguments(MAP));
        assertEquals(0x00E0_0000_0900_5403L, rig.entry(BLOCK + 0x5000, 3));
    }

    /** FailedToMap cannot come from map_device here (its range checks already passed); exhausting the table memory
     * during the split is a panic instead, after the MAP went out: the page is guard-mapped but still invalid. */
    @Test
    void tableMemoryExhaustedDuringTheSplitPanicsAfterTheMap() throws Exception {
        rig.close();
        rig = new TrackerRig(2, new RecordingHypervisor()); // root + one L2 table
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        assertEquals(2, rig.arena.usedSlots());
        TranslationPanic e = assertThrows(TranslationPanic.class,
                () -> rig.tracker.handleMmioFault(BLOCK + 0x1000));
        assertEquals(TranslationPanic.Kind.EXHAUSTED, e.kind());
        assertEquals(List.of(BLOCK + 0x1000), rig.rec.arguments(MAP));
        assertEquals(0x00E0_0000_0900_0400L, rig.entry(BLOCK, 2));
    }

    /**
     * Two MMIO regions that do not overlap but share a 4 KiB page (unaligned ends): mapping the second re-lazies a
     * page the first had made valid, so teardown skips it and it stays guard-mapped.
     */
    @Test
    void unalignedNeighbouringMmioRegionsShareAPageQuirk() throws Exception {
        rig.tracker.mapMmioRange(0x1000_0000L, 0x1000_0800L);
        rig.tracker.handleMmioFault(0x1000_0000L);
        rig.tracker.mapMmioRange(0x1000_0800L, 0x1000_2000L); // overwrites page 0x1000_0000 with a lazy PTE
        assertEquals(0x00E0_0000_1000_0402L, rig.entry(0x1000_0000L, 3));
        rig.tracker.mmioUnmapAll();
        assertEquals(List.of(), rig.rec.arguments(UNMAP));
        assertEquals(java.util.Set.of(0x1000_0000L), rig.rec.guardMapped());
    }

    static void forEachLevel3Table(TrackerRig rig, java.util.function.Consumer<MemorySegment> action) {
        var root = rig.root();
        MemorySegment l1 = root.rootSegment();
        for (int i = 0; i < 512; i++) {
            long d1 = TableLayout.read(l1, i);
            if ((d1 & 3) != 3) {
                continue;
            }
            MemorySegment l2 = root.translation().physicalToVirtual(
                    new dev.pvmfw.paging.PhysicalAddress(d1 & dev.pvmfw.paging.v0_4_0.Descriptor.PHYSICAL_ADDRESS_BITMASK));
            for (int j = 0; j < 512; j++) {
                long d2 = TableLayout.read(l2, j);
                if ((d2 & 3) == 3) {
                    action.accept(root.translation().physicalToVirtual(new dev.pvmfw.paging.PhysicalAddress(
                            d2 & dev.pvmfw.paging.v0_4_0.Descriptor.PHYSICAL_ADDRESS_BITMASK)));
                }
            }
        }
    }
}
