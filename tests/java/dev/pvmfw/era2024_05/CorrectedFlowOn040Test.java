package dev.pvmfw.era2024_05;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.LazyFlow;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import dev.pvmfw.testing.LiveEntries;
import org.junit.jupiter.api.Test;

/**
 * On 0.4.0 the corrected flow writes what the era's in-place edit writes: pvmfw-lazy-mmio, "Latent quirks a faithful
 * simulation must decide about": "Lazy 2 MiB block, then a fault on page k": L3[1] = {@code 0x00E0_0000_0900_1403}, every other L3 entry
 * {@code 0x00E0_0000_0900_0402 + j·0x1000}.
 */
class CorrectedFlowOn040Test {

    @Test
    void theSeedsBytesAfterAFaultOnPage1() throws Exception {
        try (TableArena arena = TableArena.create(64)) {
            PvmfwPageTable table = new PvmfwPageTable(arena);
            MemoryTracker tracker = new MemoryTracker(table, new MemoryRange(CrosvmLayout.RAM_START,
                    MainWrapper.MAX_VIRT_ADDR), CrosvmLayout.MMIO_WINDOW, null,
                    Hypervisors.detect(new RecordingHypervisor()), LazyFlow.CORRECTED);
            tracker.mapMmioRange(0x0900_0000L, 0x0920_0000L);
            tracker.handleMmioFault(0x0900_1000L);
            for (int j = 0; j < 512; j++) {
                long expected = j == 1 ? 0x00E0_0000_0900_1403L : 0x00E0_0000_0900_0402L + j * 0x1000L;
                assertEquals(expected, LiveEntries.entry(table, 0x0900_0000L + j * 0x1000L, 3), "L3[" + j + "]");
            }
            tracker.close();
        }
    }
}
