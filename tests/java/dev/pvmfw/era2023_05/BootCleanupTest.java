package dev.pvmfw.era2023_05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import dev.pvmfw.testing.Tables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The static layout's attribute sets (pvmfw {@code PageTable::from_static_layout}: text CODE, rodata RODATA, scratch
 * and payload DATA), and a failed boot step dropping the page table it built, so no table stays allocated (Rust drops
 * it on the {@code ?}).
 */
class BootCleanupTest {
    final RecordingHypervisor rec = new RecordingHypervisor();
    final KvmHypervisor kvm = new KvmHypervisor(rec);
    TableArena arena;

    @AfterEach
    void tearDown() {
        if (arena != null) {
            arena.close();
        }
    }

    /** A page is {@code pa | flags | ACCESSED | TABLE_OR_PAGE} (aarch64-paging 0.4.0); CODE 0xb85, DATA 0x60..b05. */
    @Test
    void theStaticLayoutMapsTextCodeRodataRodataAndScratchData() throws Exception {
        try (PvmfwPageTable pt = (PvmfwPageTable) MainWrapper.pageTableFromStaticLayout(Profile040.INSTANCE, null)) {
            var root = pt.rootTable();
            assertEquals(0x7fc0_0F87L, Tables.entry(root, CrosvmLayout.TEXT.start(), 3));
            assertEquals(0x0060_0000_7fc5_0F87L, Tables.entry(root, CrosvmLayout.RODATA.start(), 3));
            assertEquals(0x0060_0000_7fe0_0F07L, Tables.entry(root, CrosvmLayout.SCRATCH.start(), 3));
        }
    }

    @Test
    void aStaticLayoutThatDoesNotFitDropsItsTable() {
        arena = TableArena.create(2);
        TranslationPanic p = assertThrows(TranslationPanic.class,
                () -> MainWrapper.pageTableFromStaticLayout(Profile040.INSTANCE, arena));
        assertEquals(TranslationPanic.Kind.EXHAUSTED, p.kind());
        assertEquals(0, arena.usedSlots());
    }

    @Test
    void aConsoleThatDoesNotFitDropsTheTable() throws Exception {
        int layoutTables;
        try (TableArena probe = TableArena.create(64);
                var pt = MainWrapper.pageTableFromStaticLayout(Profile040.INSTANCE, probe)) {
            layoutTables = probe.usedSlots();
        }
        arena = TableArena.create(layoutTables); // the layout fits, the UART's tables do not
        assertThrows(TranslationPanic.class,
                () -> MainWrapper.boot(kvm, Profile040.INSTANCE, arena, CrosvmLayout.DEFAULT_RAM_SIZE));
        assertEquals(0, arena.usedSlots());
    }

    @Test
    void aTrackerStepThatFailsDropsTheTrackerAndItsTable() {
        arena = TableArena.create(256);
        // shrink to 1 MiB: the FDT's 2 MiB at RAM start no longer fits.
        MemoryTrackerException e = assertThrows(MemoryTrackerException.class,
                () -> MainWrapper.boot(kvm, Profile040.INSTANCE, arena, 1 << 20));
        assertEquals(MemoryTrackerError.Unit.SizeTooSmall, e.error());
        assertEquals(0, arena.usedSlots());
    }
}
