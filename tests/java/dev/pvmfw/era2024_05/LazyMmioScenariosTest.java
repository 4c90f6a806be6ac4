package dev.pvmfw.era2024_05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.hyp.GuardGranule;
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
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The 2024-05 fault handler and teardown on aarch64-paging 0.4.0 ({@code docs/pvmfw-2024-05.md}, "The fault
 * handler"), with expected values from the reference's text (pvmfw-lazy-mmio.md "Fault handler, by era", "Teardown and MMIO sharing", "Scenarios";
 * pvmfw-eras-verified.md "handle_mmio_fault", "MmioSharer", "Teardown").
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

    void granule(GuardGranule g) {
        rig.close();
        rig = new Rig(new RecordingHypervisor().setMmioGuardGranule(g));
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
        assertEquals(List.of(new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO, 0, 4096)), rig.creationCalls);
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        assertEquals(0x00E0_0000_0900_0400L, rig.entry(BLOCK, 2));
        rig.tracker.handleMmioFault(0x0900_1000L);
        assertEquals(List.of(new HypCall(MAP, 0x0900_1000L, 0)), rig.rec.log());
        MemorySegment l3 = Tables.tableAt(rig.root(), BLOCK, 3);
        for (int j = 0; j < 512; j++) {
            long expected = j == 1 ? 0x00E0_0000_0900_1403L : 0x00E0_0000_0900_0402L + j * 0x1000L;
            assertEquals(expected, TableLayout.read(l3, j), "L3[" + j + "]");
        }
        assertEquals(List.of(0x0900_1000L), List.copyOf(rig.tracker.mmioSharer().frames()));
    }

    @Test
    void lazyBlockFaultedInPageByPage() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        List<Long> faulted = new ArrayList<>();
        for (int k = 511; k >= 0; k -= 41) {
            long page = BLOCK + k * 0x1000L;
            rig.tracker.handleMmioFault(page + 0xff8);
            faulted.add(page);
            assertEquals(faulted, rig.rec.arguments(MAP));
            assertEquals(faulted.stream().sorted().toList(), validPagesIn(BLOCK, BLOCK + MIB2));
        }
        Mmus.assertNoValidDevicePageWithoutGuardMap(rig.rec, rig.root());
    }

    /**
     * MAP before the PTE check ("Fault handler, by era"'s consequence, pvmfw-eras-verified.md "handle_mmio_fault"): a fault on an address that is not
     * lazy still MAPs its granule, records it, and then fails with InvalidPte; the table is unchanged.
     */
    @Test
    void faultOnANonLazyAddressMapsFirstThenInvalidPteQuirk() throws Exception {
        rig.tracker.allocRangeMut(new MemoryRange(0x8000_0000L, 0x8000_2000L));
        String before = rig.root().debug();
        assertEquals(MemoryTrackerError.Unit.InvalidPte, err(() -> rig.tracker.handleMmioFault(0x8000_0010L)));
        assertEquals(MemoryTrackerError.Unit.InvalidPte, err(() -> rig.tracker.handleMmioFault(0x5000_0000L)));
        assertEquals(List.of(0x8000_0000L, 0x5000_0000L), rig.rec.arguments(MAP));
        assertEquals(List.of(0x5000_0000L, 0x8000_0000L), List.copyOf(rig.tracker.mmioSharer().frames()));
        assertEquals(before, rig.root().debug());
        // recorded, so the next fault there is a duplicate, before any hypercall
        assertEquals(new MemoryTrackerError.DuplicateMmioShare(0x8000_0000L),
                err(() -> rig.tracker.handleMmioFault(0x8000_0000L)));
        assertEquals(2, rig.rec.callCount());
    }

    @Test
    void secondFaultInTheSameGranuleIsDuplicateMmioShare() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        rig.tracker.handleMmioFault(BLOCK + 0x3000);
        MemoryTrackerError e = err(() -> rig.tracker.handleMmioFault(BLOCK + 0x3ff8));
        assertEquals(new MemoryTrackerError.DuplicateMmioShare(BLOCK + 0x3000), e);
        assertEquals("Attempted to share the same MMIO region at 0x9003000 twice", e.display());
        assertEquals("DuplicateMmioShare(151007232)", e.toString());
        assertEquals(1, rig.rec.callCount());
    }

    @Test
    void uartPageIsDuplicateMmioShareWithoutAMap() throws Exception {
        MemoryTrackerError e = err(() -> rig.tracker.handleMmioFault(CrosvmLayout.UART_BASE));
        assertEquals(new MemoryTrackerError.DuplicateMmioShare(0), e);
        assertEquals("Attempted to share the same MMIO region at 0x0 twice", e.display());
        rig.tracker.mapMmioRange(0x2000, 0x4000);
        rig.tracker.handleMmioFault(CrosvmLayout.RTC_BASE); // with 4 KiB, the RTC's page is its own
        assertEquals(List.of(0x2000L), rig.rec.arguments(MAP));
    }

    /** With 16 KiB the UART check covers 0x0..0x4000: the RTC (0x2000) and the watchdog (0x3000) are refused. */
    @Test
    void rtcAndWatchdogWith16KiBGranuleAreDuplicateShareOfTheUartPageQuirk() throws Exception {
        granule(GuardGranule.KIB_16);
        rig.tracker.mapMmioRange(0x2000, 0x4000);
        for (long far : new long[] {CrosvmLayout.RTC_BASE, CrosvmLayout.WATCHDOG_BASE, 0x3ff8, 0x1000}) {
            assertEquals(new MemoryTrackerError.DuplicateMmioShare(0), err(() -> rig.tracker.handleMmioFault(far)));
        }
        assertEquals(0, rig.rec.callCount());
    }

    @Test
    void a16KiBGranuleMakesFourPagesValidAtOnce() throws Exception {
        granule(GuardGranule.KIB_16);
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        rig.tracker.handleMmioFault(BLOCK + 0x5abc);
        assertEquals(List.of(new HypCall(MAP, BLOCK + 0x4000, 0)), rig.rec.log());
        assertEquals(LongStream.range(4, 8).mapToObj(j -> BLOCK + j * 0x1000).toList(),
                validPagesIn(BLOCK, BLOCK + MIB2));
        MemorySegment l3 = Tables.tableAt(rig.root(), BLOCK, 3);
        for (int j = 0; j < 512; j++) {
            long lazy = 0x00E0_0000_0900_0402L + j * 0x1000L;
            assertEquals(j >= 4 && j < 8 ? lazy | 1 : lazy, TableLayout.read(l3, j), "L3[" + j + "]");
        }
        assertEquals(new MemoryTrackerError.DuplicateMmioShare(BLOCK + 0x4000),
                err(() -> rig.tracker.handleMmioFault(BLOCK + 0x7000)));
        Mmus.assertNoValidDevicePageWithoutGuardMap(rig.rec, rig.root());
    }

    /** 8 KiB: a multiple of 4 KiB and a power of two, accepted by the tracker; one fault, two pages. */
    @Test
    void an8KiBGranuleIsAcceptedAndMakesTwoPagesValid() throws Exception {
        granule(GuardGranule.KIB_8);
        assertEquals(8192, rig.tracker.mmioSharer().granule());
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        rig.tracker.handleMmioFault(BLOCK + 0x3000);
        assertEquals(List.of(BLOCK + 0x2000), rig.rec.arguments(MAP));
        assertEquals(List.of(BLOCK + 0x2000, BLOCK + 0x3000), validPagesIn(BLOCK, BLOCK + MIB2));
    }

    /** A granule that is only partly lazy: the walk stops at the first page that is not; the pages before stay valid. */
    @Test
    void aGranuleOnlyPartlyLazyIsInvalidPteAfterTheFirstPagesWereMadeValid() throws Exception {
        granule(GuardGranule.KIB_16);
        rig.tracker.mapMmioRange(BLOCK, BLOCK + 0x2000);
        assertEquals(MemoryTrackerError.Unit.InvalidPte, err(() -> rig.tracker.handleMmioFault(BLOCK)));
        assertEquals(List.of(BLOCK), rig.rec.arguments(MAP));
        assertEquals(List.of(BLOCK, BLOCK + 0x1000), validPagesIn(BLOCK, BLOCK + 0x4000));
    }

    /** A failed MAP ("handle_mmio_fault"): Hypervisor(KvmError(..)), no PTE check, nothing recorded; the retry succeeds. */
    @Test
    void failedMapIsHypervisorErrorWithoutPteCheck() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        rig.rec.injectFor(MAP, BLOCK + 0x1000, Smccc.INVALID_PARAMETER);
        String before = rig.root().debug();
        MemoryTrackerError e = err(() -> rig.tracker.handleMmioFault(BLOCK + 0x1000));
        assertEquals(new MemoryTrackerError.Hypervisor(new HypError.Kvm(KvmError.Unit.InvalidParameter, MAP)), e);
        assertEquals("Failed to invoke the HVC function with function ID 3321888775: "
                + "KVM call received non-supported value", e.display());
        assertEquals(before, rig.root().debug()); // the lazy block, not even split
        assertTrue(rig.tracker.mmioSharer().frames().isEmpty());
        rig.rec.clearInjections();
        rig.tracker.handleMmioFault(BLOCK + 0x1000);
        assertEquals(List.of(BLOCK + 0x1000), validPagesIn(BLOCK, BLOCK + MIB2));
    }

    /** Without an MMIO guard: eager MMIO; a fault makes no MAP, records the base, and is InvalidPte (no panic). */
    @Test
    void withoutMmioGuardAFaultRecordsTheBaseAndIsInvalidPte() throws Exception {
        rig.close();
        rig = new Rig(new RecordingHypervisor().setMmioGuardSupported(false));
        assertEquals(4096, rig.tracker.mmioSharer().granule());
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        assertEquals(0x00E0_0000_0900_0401L, rig.entry(BLOCK, 2));
        assertEquals(MemoryTrackerError.Unit.InvalidPte, err(() -> rig.tracker.handleMmioFault(BLOCK + 0x1000)));
        assertEquals(List.of(BLOCK + 0x1000), List.copyOf(rig.tracker.mmioSharer().frames()));
        rig.tracker.unshareAllMmio();
        assertTrue(rig.tracker.mmioSharer().frames().isEmpty());
        assertEquals(0, rig.rec.callCount());
    }

    /** unshare_all pops the smallest base first, across all regions (not in the order regions were added). */
    @Test
    void teardownUnmapsAscendingAcrossRegionsAndLeavesThePtes() throws Exception {
        rig.tracker.mapMmioRange(0x2000_0000L, 0x2000_4000L);
        rig.tracker.mapMmioRange(0x1000_0000L, 0x1000_4000L);
        rig.tracker.handleMmioFault(0x2000_1000L);
        rig.tracker.handleMmioFault(0x1000_3000L);
        rig.tracker.handleMmioFault(0x1000_0000L);
        String before = rig.root().debug();
        rig.tracker.unshareAllMmio();
        assertEquals(List.of(0x1000_0000L, 0x1000_3000L, 0x2000_1000L), rig.rec.arguments(UNMAP));
        assertEquals(before, rig.root().debug());
        Mmus.assertNothingGuardMapped(rig.rec);
        assertTrue(rig.tracker.mmioSharer().frames().isEmpty());
    }

    /** A refused UNMAP in unshare_all is an unwrap panic ("MmioSharer"), not FailedToUnmap; the bases after it stay. */
    @Test
    void failingUnmapAtTeardownPanics() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        rig.tracker.handleMmioFault(BLOCK);
        rig.tracker.handleMmioFault(BLOCK + 0x1000);
        rig.tracker.handleMmioFault(BLOCK + 0x2000);
        rig.rec.injectFor(UNMAP, BLOCK + 0x1000, Smccc.INVALID_PARAMETER);
        InvariantViolation p = assertThrows(InvariantViolation.class, rig.tracker::unshareAllMmio);
        assertEquals("called `Result::unwrap()` on an `Err` value: KvmError(InvalidParameter, 3321888776)",
                p.getMessage());
        assertEquals(List.of(BLOCK, BLOCK + 0x1000), rig.rec.arguments(UNMAP));
        assertEquals(List.of(BLOCK + 0x2000), List.copyOf(rig.tracker.mmioSharer().frames()));
        rig.rec.clearInjections();
    }

    /**
     * The tracker's drop (pvmfw-eras-verified.md "Teardown", 2024-05): its fields drop in declaration order, the page table
     * (deactivated) before the sharer, whose drop UNMAPs what is still shared, ascending.
     */
    @Test
    void dropClosesThePageTableBeforeTheSharerUnshares() throws Exception {
        RecordingHypervisor rec = new RecordingHypervisor();
        var table = new dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable(rig.arena);
        List<Boolean> tableActiveAtUnmap = new ArrayList<>();
        dev.pvmfw.hyp.SmcccConduit spy = (f, a) -> {
            if (f == UNMAP) {
                tableActiveAtUnmap.add(table.isActive());
            }
            return rec.hvc64(f, a);
        };
        MemoryTracker tracker = new MemoryTracker(table, new MemoryRange(CrosvmLayout.RAM_START,
                MainWrapper.MAX_VIRT_ADDR), CrosvmLayout.MMIO_WINDOW, null, new ProtectedKvmHypervisor(spy));
        tracker.mapMmioRange(0x1000_0000L, 0x1000_2000L);
        tracker.handleMmioFault(0x1000_1000L);
        tracker.handleMmioFault(0x1000_0000L);
        int before = rec.callCount();
        tracker.close();
        assertEquals(List.of("MMIO_GUARD_UNMAP(0x10000000) -> 0x0", "MMIO_GUARD_UNMAP(0x10001000) -> 0x0"),
                rec.callsSince(before).stream().map(Object::toString).toList());
        assertEquals(List.of(Boolean.FALSE, Boolean.FALSE), tableActiveAtUnmap);
        assertTrue(tracker.isClosed());
    }

    /**
     * A leaf whose flags the crate cannot parse (AttrIndx bit 3 set: bitflags 2.0.2's {@code flags()} is None) is the
     * closure's {@code expect("Unsupported PTE flags set")} panic (2024-05: after the MAP).
     */
    @Test
    void unparsableFlagsInTheFaultedLeafPanic() throws Exception {
        rig.root().mapRange(dev.pvmfw.paging.MemoryRegion.of(0x0900_0000L, 0x0900_1000L),
                new dev.pvmfw.paging.PhysicalAddress(0x0900_0000L),
                dev.pvmfw.paging.v0_4_0.Attributes.fromBitsRetain(PteCallbacks.MMIO_LAZY_MAP_FLAG | 0x8));
        InvariantViolation p = assertThrows(InvariantViolation.class, () -> rig.tracker.handleMmioFault(0x0900_0000L));
        assertEquals("Unsupported PTE flags set", p.getMessage());
        assertEquals(1, rig.rec.arguments(MAP).size());
    }
}
