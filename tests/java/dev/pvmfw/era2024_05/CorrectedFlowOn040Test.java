package dev.pvmfw.era2024_05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pvmfw.era.CorrectedLazyMmio;
import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.InvariantViolation;
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

    /**
     * The corrected flow keeps the era's check: a leaf whose flags the crate cannot parse (AttrIndx bit 3 set:
     * bitflags 2.0.2's {@code flags()} is None) is the closure's {@code expect("Unsupported PTE flags set")} panic, and
     * nothing is made valid.
     */
    @Test
    void unparsableFlagsInTheFaultedLeafPanicAsInTheEra() throws Exception {
        try (TableArena arena = TableArena.create(64)) {
            PvmfwPageTable table = new PvmfwPageTable(arena);
            table.rootTable().mapRange(dev.pvmfw.paging.MemoryRegion.of(0x0900_0000L, 0x0900_1000L),
                    new dev.pvmfw.paging.PhysicalAddress(0x0900_0000L),
                    dev.pvmfw.paging.v0_4_0.Attributes.fromBitsRetain(PteCallbacks.MMIO_LAZY_MAP_FLAG | 0x8));
            long before = LiveEntries.entry(table, 0x0900_0000L, 3);
            InvariantViolation p = assertThrows(InvariantViolation.class,
                    () -> CorrectedLazyMmio.mapLazyAsValid(table, 0x0900_0000L, 0x0900_1000L));
            assertEquals("Unsupported PTE flags set", p.getMessage());
            assertEquals(before, LiveEntries.entry(table, 0x0900_0000L, 3));
            table.close();
        }
    }
}
