package dev.pvmfw.era2023_11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.LazyFlow;
import dev.pvmfw.era.MemoryRange;
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
 * The 2023-11 tracker on aarch64-paging 0.12.1 ({@code docs/pvmfw-2024-05.md}, "The port per cell"), with words from
 * the aarch64-paging 0.12 reference, "R4: L3 root lazy trick vs corrected" (DEVICE_LAZY {@code 0x00c0_0000_0000_0400} stored as flags only; op 1
 * gives {@code 0x00c0_0000_0000_0401}; op 2 {@code pa | 0x00c0_0000_0000_0403}) and pvmfw-eras-verified, "handle_mmio_fault" (2023-11:
 * VALID set in place, then the MAP; a repeated fault is InvalidPte).
 */
class OnProfile0121Test {
    static final long BLOCK = 0x0900_0000L;

    final TableArena arena = TableArena.create(64);
    RecordingHypervisor rec;
    MmuOps table;
    MemoryTracker tracker;

    void make(LazyFlow flow) {
        rec = new RecordingHypervisor();
        Hypervisor hypervisor = Hypervisors.detect(rec);
        table = new PvmfwPageTable(arena);
        tracker = new MemoryTracker(table, new MemoryRange(CrosvmLayout.RAM_START, MainWrapper.MAX_VIRT_ADDR),
                CrosvmLayout.MMIO_WINDOW, null, hypervisor, flow);
        rec.clearLog();
    }

    @AfterEach
    void tearDown() {
        tracker.close();
        arena.close();
    }

    @Test
    void theErasInPlaceEditWritesR4OpOnesWordAndARepeatedFaultIsInvalidPte() throws Exception {
        make(LazyFlow.ERA);
        tracker.mapMmioRange(BLOCK, BLOCK + (2L << 20));
        tracker.handleMmioFault(0x0900_1000L);
        assertEquals(List.of(new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x0900_1000L, 0)), rec.log());
        assertEquals(0x00c0_0000_0000_0401L, LiveEntries.entry(table, 0x0900_1000L, 3));
        assertEquals(MemoryTrackerError.Unit.InvalidPte, assertThrows(MemoryTrackerException.class,
                () -> tracker.handleMmioFault(0x0900_1000L)).error());
        assertEquals(1, rec.log().size(), "no second MAP");
    }

    @Test
    void theCorrectedFlowWritesR4OpTwosPageDescriptor() throws Exception {
        make(LazyFlow.CORRECTED);
        tracker.mapMmioRange(BLOCK, BLOCK + (2L << 20));
        tracker.handleMmioFault(0x0900_1000L);
        assertEquals(0x0900_1000L | 0x00c0_0000_0000_0403L, LiveEntries.entry(table, 0x0900_1000L, 3));
        assertEquals(0x00c0_0000_0000_0400L, LiveEntries.entry(table, 0x0900_2000L, 3));
    }
}
