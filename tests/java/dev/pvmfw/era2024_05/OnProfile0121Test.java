package dev.pvmfw.era2024_05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.LazyFlow;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.hyp.GuardGranule;
import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.paging.v0_12_1.profile.PvmfwPageTable;
import dev.pvmfw.testing.LiveEntries;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The 2024-05 tracker on aarch64-paging 0.12.1 ({@code docs/pvmfw-2024-05.md}, "The port per cell"), the era's flow
 * and the corrected one, with words from the aarch64-paging 0.12 reference, "R4: L3 root lazy trick vs corrected": DEVICE_LAZY
 * {@code 0x00c0_0000_0000_0400} is stored as flags only; op 1 ({@code modify_flags(VALID)}) turns it into
 * {@code 0x00c0_0000_0000_0401}; op 2 ({@code set(pa, DEVICE | TABLE_OR_PAGE)}) writes {@code pa | 0x00c0_0000_0000_0403}
 * ({@code 0x00c0_0000_0000_9403} for PA 0x9000).
 */
class OnProfile0121Test {
    static final long BLOCK = 0x0900_0000L;
    static final long MIB2 = 2L << 20;

    TableArena arena = TableArena.create(64);
    RecordingHypervisor rec;
    MmuOps table;
    MemoryTracker tracker;

    void make(LazyFlow flow, GuardGranule granule) {
        rec = new RecordingHypervisor().setMmioGuardGranule(granule);
        Hypervisor hypervisor = Hypervisors.detect(rec);
        table = new PvmfwPageTable(arena);
        tracker = new MemoryTracker(table, new MemoryRange(CrosvmLayout.RAM_START, MainWrapper.MAX_VIRT_ADDR),
                CrosvmLayout.MMIO_WINDOW, null, hypervisor, flow);
        rec.clearLog();
    }

    @AfterEach
    void tearDown() {
        if (tracker != null) {
            tracker.close();
        }
        arena.close();
    }

    long l3(long va) {
        return LiveEntries.entry(table, va, 3);
    }

    @Test
    void theErasInPlaceEditWritesR4OpOnesWordWithOutputAddressZero() throws Exception {
        make(LazyFlow.ERA, GuardGranule.KIB_4);
        tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        assertEquals(0x00c0_0000_0000_0400L, LiveEntries.entry(table, BLOCK, 2), "a lazy block is its flags alone");
        tracker.handleMmioFault(0x0900_1000L);
        assertEquals(List.of(new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x0900_1000L, 0)), rec.log());
        assertEquals(0x00c0_0000_0000_0401L, l3(0x0900_1000L));
        assertEquals(0x00c0_0000_0000_0400L, l3(0x0900_0000L));
        assertEquals(0x00c0_0000_0000_0400L, l3(0x0900_2000L));
        // The retried access faults again; the second fault is refused by the sharer (pvmfw-eras-verified, "MmioSharer").
        MemoryTrackerError e = assertThrows(MemoryTrackerException.class,
                () -> tracker.handleMmioFault(0x0900_1000L)).error();
        assertEquals(new MemoryTrackerError.DuplicateMmioShare(0x0900_1000L), e);
    }

    @Test
    void theCorrectedFlowWritesR4OpTwosPageDescriptor() throws Exception {
        make(LazyFlow.CORRECTED, GuardGranule.KIB_4);
        tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        tracker.handleMmioFault(0x0900_1000L);
        assertEquals(List.of(new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x0900_1000L, 0)), rec.log());
        assertEquals(0x0900_1000L | 0x00c0_0000_0000_0403L, l3(0x0900_1000L));
        assertEquals(0x00c0_0000_0000_0400L, l3(0x0900_0000L));
    }

    @Test
    void aSixteenKiBGranuleCorrectedMakesFourPagesValid() throws Exception {
        make(LazyFlow.CORRECTED, GuardGranule.KIB_16);
        tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
        tracker.handleMmioFault(0x0900_5000L);
        assertEquals(List.of(new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x0900_4000L, 0)), rec.log());
        for (long page = 0x0900_4000L; page < 0x0900_8000L; page += 0x1000) {
            assertEquals(page | 0x00c0_0000_0000_0403L, l3(page), Long.toHexString(page));
        }
        assertEquals(0x00c0_0000_0000_0400L, l3(0x0900_8000L));
    }

    /**
     * A granule whose second page is not lazy: InvalidPte in both flows, and on 0.12.1's live table the first page is
     * not made valid either: the crate's break-before-make dry run runs the callback on copies first and refuses at the
     * second page before any write (aarch64-paging 0.12 reference, "Break-before-make": "violation ... if the updater returns Err"),
     * where 0.5 kept the first page's update (pvmfw-eras-verified, "handle_mmio_fault").
     */
    @Test
    void aPartlyLazyGranuleOnALiveTableMakesNothingValidQuirk() throws Exception {
        for (LazyFlow flow : LazyFlow.values()) {
            if (tracker != null) {
                tracker.close();
                arena.close();
                arena = TableArena.create(64);
            }
            make(flow, GuardGranule.KIB_16);
            tracker.mapMmioRange(BLOCK, BLOCK + 0x1000);
            MemoryTrackerError e = assertThrows(MemoryTrackerException.class,
                    () -> tracker.handleMmioFault(BLOCK)).error();
            assertEquals(MemoryTrackerError.Unit.InvalidPte, e, flow.name());
            assertEquals(0x00c0_0000_0000_0400L, l3(BLOCK), flow.name());
        }
    }

    /** The lazy 2 MiB block faulted in page by page: one MAP each; each page ends as the flow writes it. */
    @Test
    void aLazyBlockFaultedInPageByPageInBothFlows() throws Exception {
        for (LazyFlow flow : LazyFlow.values()) {
            if (tracker != null) {
                tracker.close();
                arena.close();
                arena = TableArena.create(64);
            }
            make(flow, GuardGranule.KIB_4);
            tracker.mapMmioRange(BLOCK, BLOCK + MIB2);
            for (long page = BLOCK; page < BLOCK + 0x8000; page += 0x1000) {
                tracker.handleMmioFault(page + 0x10);
            }
            assertEquals(8, rec.calls(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP).size(), flow.name());
            for (long page = BLOCK; page < BLOCK + 0x8000; page += 0x1000) {
                assertEquals(flow == LazyFlow.ERA ? 0x00c0_0000_0000_0401L : page | 0x00c0_0000_0000_0403L, l3(page),
                        flow + " " + Long.toHexString(page));
            }
            assertEquals(0x00c0_0000_0000_0400L, l3(BLOCK + 0x8000), flow.name());
        }
    }
}
