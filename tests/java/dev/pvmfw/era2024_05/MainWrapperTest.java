package dev.pvmfw.era2024_05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.era.LazyFlow;
import dev.pvmfw.era.MemoryMutex;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import dev.pvmfw.testing.Tables;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * This era's boot and exit steps on aarch64-paging 0.4.0 over a recording pKVM: {@code init_page_table}'s six mappings
 * with vmbase's attribute sets (vmbase {@code page_table.rs}, as the reference pvmfw-eras-verified.md lists the sets:
 * MEMORY = VALID | NORMAL | NON_GLOBAL, CODE = MEMORY | READ_ONLY, DATA = MEMORY | EXECUTE_NEVER, RODATA = DATA |
 * READ_ONLY, DATA_DBM = RODATA | DBM, DEVICE = SWFLAG_0 | DEVICE_NGNRE | EXECUTE_NEVER | VALID; a 0.4.0 page is {@code
 * pa | flags | ACCESSED | TABLE_OR_PAGE}), {@code try_console_init}'s calls, the boot's shrink to the RAM size and the
 * exit order (pvmfw {@code entry.rs}, reference "Teardown": unshare the MMIO granules, then UNMAP the UART, then drop
 * the tracker).
 */
class MainWrapperTest {
    final RecordingHypervisor rec = new RecordingHypervisor();
    final Hypervisor hypervisor = Hypervisors.detect(rec);
    TableArena arena;

    @AfterEach
    void tearDown() {
        if (arena != null) {
            arena.close();
        }
    }

    @Test
    void initPageTableMapsScratchStackTextRodataPayloadAndTheUart() throws Exception {
        try (PvmfwPageTable pt = (PvmfwPageTable) MainWrapper.initPageTable(Profile040.INSTANCE, null)) {
            var root = pt.rootTable();
            // DATA: 0x0060_0000_0000_0b05 | ACCESSED | TABLE_OR_PAGE
            assertEquals(0x0060_0000_7fe0_0F07L, Tables.entry(root, CrosvmLayout.SCRATCH.start(), 3));
            assertEquals(0x0060_0000_7fff_8F07L, Tables.entry(root, CrosvmLayout.STACK.start(), 3));
            // CODE: 0xb85
            assertEquals(0x0000_0000_7fc0_0F87L, Tables.entry(root, CrosvmLayout.TEXT.start(), 3));
            // RODATA: DATA | READ_ONLY (0x80)
            assertEquals(0x0060_0000_7fc5_0F87L, Tables.entry(root, CrosvmLayout.RODATA.start(), 3));
            // DATA_DBM: RODATA | DBM (bit 51)
            assertEquals(0x0068_0000_7fc7_1F87L, Tables.entry(root, CrosvmLayout.APPENDED_PAYLOAD.start(), 3));
            // DEVICE: SWFLAG_0 (bit 55) | EXECUTE_NEVER (bits 53, 54) | VALID, over the UART's page 0
            assertEquals(0x00E0_0000_0000_0403L, Tables.entry(root, CrosvmLayout.UART_BASE, 3));
        }
    }

    @Test
    void anInitPageTableThatDoesNotFitDropsItsTable() {
        arena = TableArena.create(2);
        TranslationPanic p = assertThrows(TranslationPanic.class,
                () -> MainWrapper.initPageTable(Profile040.INSTANCE, arena));
        assertEquals(TranslationPanic.Kind.EXHAUSTED, p.kind());
        assertEquals(0, arena.usedSlots());
    }

    /** ENROLL, then MMIO_GUARD_INFO (asserted 4 or 16 KiB), then MAP of the UART page (page_4kb_of(0x3f8) = 0). */
    @Test
    void tryConsoleInitEnrollsReadsTheGranuleAndMapsTheUartPage() throws Exception {
        rec.clearLog();
        MainWrapper.tryConsoleInit(hypervisor);
        assertEquals(List.of(new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL, 0, 0),
                new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO, 0, 4096),
                new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0, 0)), rec.log());
        assertTrue(rec.isEnrolled());
        assertTrue(rec.isGuardMapped(0));
    }

    @Test
    void theBootShrinksTheTrackerToTheRamSizeWithTheErasOwnFlow() throws Exception {
        arena = TableArena.create(256);
        MemoryTracker tracker = MainWrapper.boot(hypervisor, Profile040.INSTANCE, arena, 64L << 20);
        try {
            assertEquals(new MemoryRange(CrosvmLayout.RAM_START, CrosvmLayout.RAM_START + (64L << 20)),
                    tracker.total());
            assertSame(LazyFlow.ERA, tracker.lazyFlow());
        } finally {
            tracker.close();
        }
    }

    /**
     * A granule that passes the console's check but then reads 12 KiB: MmioSharer::new's message-less
     * {@code assert!(granule.is_power_of_two())} (reference "MmioSharer") panics in MemoryTracker::new, and the
     * table built before is dropped. (Its MMIO_GUARD_INFO is the third: detection, the console, the sharer.)
     */
    @Test
    void aTrackerThatCannotBeMadeDropsTheTable() {
        arena = TableArena.create(256);
        rec.injectNth(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO, 3, 12288);
        InvariantViolation v = assertThrows(InvariantViolation.class,
                () -> MainWrapper.boot(hypervisor, Profile040.INSTANCE, arena, CrosvmLayout.DEFAULT_RAM_SIZE));
        assertEquals(MmioSharer.NOT_POWER_OF_TWO, v.getMessage());
        assertEquals(0, arena.usedSlots());
    }

    @Test
    void aTrackerStepThatFailsDropsTheTrackerAndItsTable() {
        arena = TableArena.create(256);
        // shrink to 1 MiB: the FDT's 2 MiB at RAM start no longer fits.
        MemoryTrackerException e = assertThrows(MemoryTrackerException.class,
                () -> MainWrapper.boot(hypervisor, Profile040.INSTANCE, arena, 1 << 20));
        assertEquals(MemoryTrackerError.Unit.SizeTooSmall, e.error());
        assertEquals(0, arena.usedSlots());
    }

    @Test
    void theExitUnmapsTheSharedGranuleThenTheUartAndDropsTheTracker() throws Exception {
        arena = TableArena.create(256);
        MemoryTracker tracker = MainWrapper.boot(hypervisor, Profile040.INSTANCE, arena, CrosvmLayout.DEFAULT_RAM_SIZE);
        tracker.handleMmioFault(CrosvmLayout.PCI_CAM.start());
        assertTrue(rec.isGuardMapped(CrosvmLayout.PCI_CAM.start()));
        rec.clearLog();
        Optional<MemoryTracker> taken = MainWrapper.exit(new MemoryMutex<>(tracker), hypervisor);
        assertSame(tracker, taken.orElseThrow());
        assertTrue(tracker.isClosed());
        List<Long> unmapped = rec.arguments(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP);
        assertEquals(List.of(CrosvmLayout.PCI_CAM.start(), 0L), unmapped);
        assertEquals(0, arena.usedSlots());
    }
}
