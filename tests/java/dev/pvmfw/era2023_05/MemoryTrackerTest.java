package dev.pvmfw.era2023_05;

import dev.pvmfw.testing.Mmus;
import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.era.MemoryRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.era2023_05.HypError;
import dev.pvmfw.hyp.KvmError;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** MemoryTracker's RAM and MMIO bookkeeping at b99905d3: every check, in pvmfw's order, and the odd edges. */
class MemoryTrackerTest {
    static final long RAM = 0x8000_0000L;
    static final long MIB = 1L << 20;
    final TrackerRig rig = new TrackerRig();
    final MemoryTracker t = rig.tracker;

    @AfterEach
    void tearDown() {
        rig.close();
    }

    static MemoryTrackerError err(Executable e) {
        return assertThrows(MemoryTrackerException.class, e).error();
    }

    static MemoryRange r(long s, long e) {
        return new MemoryRange(s, e);
    }

    @Test
    void initialTotalIsBaseAddrToMaxAddr() {
        assertEquals(r(0x8000_0000L, 1L << 40), t.total());
        assertEquals(r(0x7fc0_0000L, 0x8000_0000L), MemoryTracker.PVMFW_RANGE);
    }

    // --- shrink ----------------------------------------------------------------------------------------------------

    /** {@code range.end > total.end} is SizeTooLarge: shrinking to the same end is no error. */
    @Test
    void shrinkToTheSameEndIsAllowed() throws Exception {
        t.shrink(r(RAM, 1L << 40));
        assertEquals(r(RAM, 1L << 40), t.total());
    }

    @Test
    void shrinkChecksBaseThenSizeThenRegions() throws Exception {
        assertEquals(MemoryTrackerError.Unit.DifferentBaseAddress, err(() -> t.shrink(r(RAM + 1, 1L << 41))));
        assertEquals(MemoryTrackerError.Unit.SizeTooLarge, err(() -> t.shrink(r(RAM, (1L << 40) + 1))));
        t.allocRange(r(RAM + 16 * MIB, RAM + 17 * MIB));
        assertEquals(MemoryTrackerError.Unit.SizeTooSmall, err(() -> t.shrink(r(RAM, RAM + 16 * MIB + 1))));
        t.shrink(r(RAM, RAM + 17 * MIB)); // the region's end == new end: within
        assertEquals(r(RAM, RAM + 17 * MIB), t.total());
        assertEquals(MemoryTrackerError.Unit.SizeTooLarge, err(() -> t.shrink(r(RAM, RAM + 18 * MIB))));
    }

    // --- RAM ---------------------------------------------------------------------------------------------------------

    @Test
    void allocRangeMapsRodataAndAllocRangeMutMapsData() throws Exception {
        assertEquals(r(RAM, RAM + 0x1800), t.allocRange(r(RAM, RAM + 0x1800))); // returned as given
        t.allocRangeMut(r(RAM + 2 * MIB, RAM + 4 * MIB));
        assertEquals(0x0060_0000_8000_0F87L, rig.entry(RAM, 3));
        assertEquals(0x0060_0000_8000_1F87L, rig.entry(RAM + 0x1000, 3)); // rounded up to the page
        assertEquals(0x0060_0000_8020_0F05L, rig.entry(RAM + 2 * MIB, 2)); // DATA block, no DBM in this era
        assertEquals(List.of(new TrackedRegion(r(RAM, RAM + 0x1800), MemoryType.READ_ONLY),
                new TrackedRegion(r(RAM + 2 * MIB, RAM + 4 * MIB), MemoryType.READ_WRITE)), t.regions());
        assertEquals(0, rig.rec.callCount());
    }

    @Test
    void allocChecksRangeThenOverlapThenCapacity() throws Exception {
        assertEquals(MemoryTrackerError.Unit.OutOfRange, err(() -> t.allocRange(r(RAM - 0x1000, RAM + 0x1000))));
        for (int i = 0; i < 5; i++) {
            t.allocRange(r(RAM + i * MIB, RAM + (i + 1) * MIB));
        }
        // Overlap wins over Full; out of range wins over both.
        assertEquals(MemoryTrackerError.Unit.Overlaps, err(() -> t.allocRangeMut(r(RAM + MIB - 1, RAM + MIB + 1))));
        assertEquals(MemoryTrackerError.Unit.Full, err(() -> t.allocRange(r(RAM + 9 * MIB, RAM + 10 * MIB))));
        assertEquals(MemoryTrackerError.Unit.OutOfRange, err(() -> t.allocRange(r(0, 0x1000))));
    }

    @Test
    void overlapIsHalfOpenAndEmptyRangesNeverOverlap() throws Exception {
        t.allocRange(r(RAM + MIB, RAM + 2 * MIB));
        t.allocRange(r(RAM + 2 * MIB, RAM + 3 * MIB)); // touching: no overlap
        t.allocRange(r(RAM, RAM + MIB));
        t.allocRange(r(RAM + MIB + 5, RAM + MIB + 5)); // empty, inside another: no overlap, tracked
        assertEquals(4, t.regions().size());
    }

    /** Pages are mapped rounded out, but regions are tracked as given: two regions may share a page. */
    @Test
    void unalignedNeighboursShareAPageQuirk() throws Exception {
        t.allocRangeMut(r(RAM, RAM + 0x800));
        t.allocRange(r(RAM + 0x800, RAM + 0x1000)); // same page, re-mapped read-only
        assertEquals(0x0060_0000_8000_0F87L, rig.entry(RAM, 3));
    }

    /** MAX_ADDR is 2^40 but the level-1 table covers 2^39: allocations in between pass the checks, then fail. */
    @Test
    void allocationBetween2To39And2To40FailsToMapQuirk() {
        assertEquals(MemoryTrackerError.Unit.FailedToMap, err(() -> t.allocRange(r(1L << 39, (1L << 39) + 0x1000))));
        assertEquals(MemoryTrackerError.Unit.FailedToMap, err(() -> t.alloc((1L << 40) - 0x1000, 0x1000)));
        assertEquals(MemoryTrackerError.Unit.OutOfRange, err(() -> t.alloc(1L << 40, 0x1000)));
        assertTrue(t.regions().isEmpty());
    }

    @Test
    void backwardsRangePassesTheChecksAndFailsToMap() {
        assertEquals(MemoryTrackerError.Unit.FailedToMap, err(() -> t.allocRangeMut(r(RAM + 2 * MIB, RAM + MIB))));
        assertTrue(t.regions().isEmpty());
    }

    /** base + size wraps (release build): the range becomes backwards, passes is_within, and fails to map. */
    @Test
    void allocSizeOverflowWrapsToABackwardsRange() {
        assertEquals(MemoryTrackerError.Unit.FailedToMap, err(() -> t.alloc(-0x1000L, 0x2000)));
        assertThrows(IllegalArgumentException.class, () -> t.alloc(RAM, 0));
    }

    // --- MMIO --------------------------------------------------------------------------------------------------------

    @Test
    void mapMmioRangeIsLazyAndMakesNoHypercall() throws Exception {
        t.mapMmioRange(0x0900_0000L, 0x0920_0000L);
        assertEquals(0x00E0_0000_0900_0400L, rig.entry(0x0900_0000L, 2));
        assertEquals(0, rig.rec.callCount());
        assertEquals(List.of(r(0x0900_0000L, 0x0920_0000L)), t.mmioRegions());
    }

    @Test
    void mapMmioRangeRejectsRangesEndingAboveRamStartOrTouchingPvmfw() throws Exception {
        assertEquals(MemoryTrackerError.Unit.OutOfRange, err(() -> t.mapMmioRange(RAM - 0x1000, RAM + 0x1000)));
        assertEquals(MemoryTrackerError.Unit.OutOfRange, err(() -> t.mapMmioRange(RAM + MIB, RAM + 2 * MIB)));
        assertEquals(MemoryTrackerError.Unit.OutOfRange, err(() -> t.mapMmioRange(0x7fb0_0000L, 0x7fc0_0001L)));
        assertEquals(MemoryTrackerError.Unit.OutOfRange, err(() -> t.mapMmioRange(0x7fd0_0000L, 0x7fd0_1000L)));
        t.mapMmioRange(0x7fb0_0000L, 0x7fc0_0000L); // ends where pvmfw starts: allowed
        assertEquals(1, t.mmioRegions().size());
        // end > total.start is the test: an (empty) range ending exactly at RAM start passes it, and an empty range
        // overlaps nothing, PVMFW_RANGE included.
        t.mapMmioRange(RAM, RAM);
        assertEquals(2, t.mmioRegions().size());
    }

    @Test
    void mapMmioRangeChecksOverlapThenCapacity() throws Exception {
        for (int i = 0; i < 5; i++) {
            t.mapMmioRange(0x1000_0000L + i * MIB, 0x1000_0000L + (i + 1) * MIB);
        }
        assertEquals(MemoryTrackerError.Unit.Overlaps, err(() -> t.mapMmioRange(0x1000_0000L, 0x1000_1000L)));
        assertEquals(MemoryTrackerError.Unit.Full, err(() -> t.mapMmioRange(0x2000_0000L, 0x2000_1000L)));
        assertEquals(MemoryTrackerError.Unit.OutOfRange, err(() -> t.mapMmioRange(RAM, RAM + 1)));
    }

    @Test
    void sixthMmioRangeIsFull() throws Exception {
        for (int i = 0; i < 5; i++) {
            t.mapMmioRange(0x100_0000L * (i + 1), 0x100_0000L * (i + 1) + 0x1000);
        }
        assertEquals(MemoryTrackerError.Unit.Full, err(() -> t.mapMmioRange(0x3000_0000L, 0x3000_1000L)));
    }

    /** Only MMIO regions are checked for overlap: an MMIO range over the (valid, eager) UART page makes it lazy. */
    @Test
    void mapMmioRangeIgnoresTheUartAndRamQuirk() throws Exception {
        rig.pageTable.mapDevice(0x3f8, 0x3f9);
        assertEquals(0x00E0_0000_0000_0403L, rig.entry(0, 3));
        t.mapMmioRange(0, 0x1000);
        assertEquals(0x00E0_0000_0000_0402L, rig.entry(0, 3)); // the UART page is now invalid
    }

    @Test
    void emptyAndBackwardsMmioRanges() throws Exception {
        t.mapMmioRange(0x5000, 0x5000); // empty: maps nothing but takes a slot
        assertEquals(1, t.mmioRegions().size());
        assertEquals(MemoryTrackerError.Unit.FailedToMap, err(() -> t.mapMmioRange(0x6000, 0x5000)));
        assertEquals(1, t.mmioRegions().size());
    }

    // --- shared memory -----------------------------------------------------------------------------------------------

    @Test
    void dynamicPoolSharesGranulesOnRefillAndUnsharesAll() throws Exception {
        t.initDynamicSharedPool();
        assertEquals(List.of(Smccc.ARM_SMCCC_KVM_FUNC_HYP_MEMINFO),
                rig.rec.log().stream().map(c -> c.functionId()).toList());
        long a = t.allocShared(100, 8);
        assertEquals(CrosvmLayout.HEAP.start(), a);
        long b = t.allocShared(16, 16); // from the pool: no new SHARE
        assertEquals(List.of(CrosvmLayout.HEAP.start()), rig.rec.arguments(Smccc.ARM_SMCCC_KVM_FUNC_MEM_SHARE));
        assertTrue(b != a);
        long c = t.allocShared(8192, 8192); // refill: two granules shared
        assertEquals(0, c % 8192);
        assertEquals(3, rig.rec.shared().size());
        t.deallocShared(a, 100, 8); // nothing unshared
        assertEquals(3, rig.rec.shared().size());
        assertEquals(a, t.allocShared(100, 8), "the freed block is back in the pool, the lowest of its size");
        t.unshareAllMemory();
        Mmus.assertNothingShared(rig.rec);
        // Last region first, granules ascending.
        List<Long> unshared = rig.rec.arguments(Smccc.ARM_SMCCC_KVM_FUNC_MEM_UNSHARE);
        List<Long> shared = rig.rec.arguments(Smccc.ARM_SMCCC_KVM_FUNC_MEM_SHARE);
        assertEquals(List.of(shared.get(1), shared.get(2), shared.get(0)), unshared);
    }

    /** b99905d3 refills with the layout itself; the buddy pool wants a power-of-two block: 12 KiB cannot serve it. */
    @Test
    void refillWithTheLayoutIsTooSmallForABuddyBlockQuirk() throws Exception {
        t.initDynamicSharedPool();
        InvariantViolation e = assertThrows(InvariantViolation.class, () -> t.allocShared(8193, 8));
        assertEquals("memory allocation of 8193 bytes failed", e.getMessage());
        assertEquals(3, rig.rec.shared().size()); // 12 KiB were shared anyway
    }

    @Test
    void secondDynamicInitIsSharedMemorySetFailureAndDropsTheOldSharer() throws Exception {
        t.initDynamicSharedPool();
        t.allocShared(64, 8);
        assertEquals(1, rig.rec.shared().size());
        assertEquals(MemoryTrackerError.Unit.SharedMemorySetFailure, err(t::initDynamicSharedPool));
        Mmus.assertNothingShared(rig.rec); // the replaced sharer was dropped
        assertTrue(t.sharedMemory().isPresent()); // the new one stays
        t.unshareAllMemory();
        assertEquals(MemoryTrackerError.Unit.SharedPoolSetFailure, err(t::initDynamicSharedPool));
    }

    @Test
    void staticPoolAllocatesTheRangeAndSharesNothing() throws Exception {
        MemoryRange swiotlb = r(RAM + 8 * MIB, RAM + 10 * MIB);
        t.initStaticSharedPool(swiotlb);
        assertEquals(List.of(new TrackedRegion(swiotlb, MemoryType.READ_WRITE)), t.regions());
        long a = t.allocShared(4096, 4096);
        assertEquals(RAM + 8 * MIB, a);
        assertEquals(0, rig.rec.callCount());
        // A second pool: the region is allocated first, then the pool cannot be set.
        assertEquals(MemoryTrackerError.Unit.SharedPoolSetFailure,
                err(() -> t.initStaticSharedPool(r(RAM + 12 * MIB, RAM + 13 * MIB))));
        assertEquals(2, t.regions().size());
        InvariantViolation e = assertThrows(InvariantViolation.class, () -> t.initStaticSharedPool(r(RAM, RAM)));
        assertEquals("called `Option::unwrap()` on a `None` value", e.getMessage());
    }

    @Test
    void sharedMemoryPanicsWithRustMessages() throws Exception {
        InvariantViolation e = assertThrows(InvariantViolation.class, () -> t.allocShared(64, 8));
        assertEquals("called `Option::unwrap()` on a `None` value", e.getMessage()); // no pool yet
        t.initDynamicSharedPool();
        e = assertThrows(InvariantViolation.class, () -> t.allocShared(0, 8));
        assertEquals("assertion `left != right` failed\n  left: 0\n right: 0", e.getMessage());
        e = assertThrows(InvariantViolation.class, () -> t.allocShared(64, 3));
        assertEquals("called `Result::unwrap()` on an `Err` value: LayoutError", e.getMessage());
        rig.rec.injectFor(Smccc.ARM_SMCCC_KVM_FUNC_MEM_SHARE, CrosvmLayout.HEAP.start(), Smccc.INVALID_PARAMETER);
        e = assertThrows(InvariantViolation.class, () -> t.allocShared(64, 8));
        assertEquals("called `Result::unwrap()` on an `Err` value: KvmError(InvalidParameter, 3321888771)",
                e.getMessage());
    }

    /**
     * Rust's {@code Layout::from_size_align} takes any power of two up to 2^63 (a usize) as the alignment, and with
     * 2^63 only size 0 rounds up within isize::MAX: so (0, 2^63) is a Layout, and alloc_shared's size assertion is what
     * fails, not the unwrap; (1, 2^63) is no Layout.
     */
    @Test
    void alignmentTwoToThe63IsALayoutOnlyForSizeZero() throws Exception {
        t.initDynamicSharedPool();
        InvariantViolation e = assertThrows(InvariantViolation.class, () -> t.allocShared(0, 1L << 63));
        assertEquals("assertion `left != right` failed\n  left: 0\n right: 0", e.getMessage());
        e = assertThrows(InvariantViolation.class, () -> t.allocShared(1, 1L << 63));
        assertEquals("called `Result::unwrap()` on an `Err` value: LayoutError", e.getMessage());
    }

    @Test
    void memInfoErrorsAndBadGranules() {
        try (TrackerRig bad = new TrackerRig(16, new RecordingHypervisor().setMemoryGranule(-1))) {
            assertEquals(new MemoryTrackerError.Hypervisor(new HypError.Kvm(KvmError.Unit.NotSupported,
                    Smccc.ARM_SMCCC_KVM_FUNC_HYP_MEMINFO)), err(bad.tracker::initDynamicSharedPool));
        }
        try (TrackerRig bad = new TrackerRig(16, new RecordingHypervisor().setMemoryGranule(12288))) {
            InvariantViolation e = assertThrows(InvariantViolation.class, bad.tracker::initDynamicSharedPool);
            assertEquals("assertion failed: granule.is_power_of_two()", e.getMessage());
        }
    }

    @Test
    void closeFlushesReadWriteRegionsThenUnshares() throws Exception {
        t.allocRange(r(RAM, RAM + MIB));
        t.allocRangeMut(r(RAM + MIB, RAM + 2 * MIB));
        t.initDynamicSharedPool();
        t.allocShared(64, 8);
        t.close();
        assertEquals(List.of(r(RAM + MIB, RAM + 2 * MIB)), t.flushedRanges());
        Mmus.assertNothingShared(rig.rec);
        assertTrue(rig.pageTable.rootTable().isClosed());
    }
}
