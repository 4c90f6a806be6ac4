package dev.pvmfw.era2023_05;

import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import dev.pvmfw.testing.Mmus;
import dev.pvmfw.testing.Tables;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.MemoryMutex;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.era2023_05.HypError;
import dev.pvmfw.era2023_05.HypException;
import dev.pvmfw.era2023_05.KvmHypervisor;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.paging.TableArena;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The crosvm fixture: pvmfw's boot and exit sequences of that era, with their hypercalls and descriptors. */
class CrosvmLayoutTest {
    final TableArena arena = TableArena.create(256);
    final RecordingHypervisor rec = new RecordingHypervisor();
    final KvmHypervisor kvm = new KvmHypervisor(rec);

    @AfterEach
    void tearDown() {
        arena.close();
    }

    @Test
    void fixtureConstants() {
        assertEquals(0x3f8, CrosvmLayout.UART_BASE);
        assertEquals(new MemoryRange(0x1_0000, 0x101_0000), CrosvmLayout.PCI_CAM);
        assertEquals(new MemoryRange(0x200_0000, 0x400_0000), CrosvmLayout.LOW_MMIO);
        assertEquals(new MemoryRange(0x7fc0_0000L, 0x8000_0000L), CrosvmLayout.PVMFW);
        assertEquals(0x8000_0000L, CrosvmLayout.RAM_START);
        assertTrue(CrosvmLayout.HEAP.isWithin(CrosvmLayout.SCRATCH));
        assertTrue(CrosvmLayout.STACK.isWithin(CrosvmLayout.PVMFW));
    }

    @Test
    void bootMakesOnlyTheEagerCallsAndMapsMmioLazily() throws Exception {
        try (MemoryTracker t = MainWrapper.boot(kvm, Profile040.INSTANCE, arena, CrosvmLayout.DEFAULT_RAM_SIZE)) {
            assertEquals(List.of(new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL, 0, 0),
                    new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO, 0, 4096),
                    new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0, 0),
                    new HypCall(Smccc.ARM_SMCCC_KVM_FUNC_HYP_MEMINFO, 0, 4096)), rec.log());
            var root = ((PvmfwPageTable) t.pageTable()).rootTable();
            assertEquals(0x00E0_0000_0000_0403L, Tables.entry(root, 0, 3)); // UART: valid, SWFLAG_0
            assertEquals(0x00E0_0000_0001_0402L, Tables.entry(root, 0x1_0000, 3)); // CAM start: lazy page
            assertEquals(0x00E0_0000_0020_0400L, Tables.entry(root, 0x20_0000, 2)); // CAM middle: lazy block
            assertEquals(0x00E0_0000_0100_f402L, Tables.entry(root, 0x100_f000, 3)); // CAM end: lazy page
            assertEquals(0x0101_0402L, Tables.entry(root, 0x101_0000, 3)); // 0.4.0 garbage fill past the end
            assertEquals(0x00E0_0000_03E0_0400L, Tables.entry(root, 0x3E0_0000, 2)); // low MMIO: blocks
            assertEquals(0x0060_0000_7fe0_0F07L, Tables.entry(root, 0x7fe0_0000L, 3)); // scratch DATA
            assertEquals(0x7fc0_0F87L, Tables.entry(root, 0x7fc0_0000L, 3)); // text CODE
            assertEquals(0x0060_0000_8000_0F05L, Tables.entry(root, 0x8000_0000L, 2)); // FDT: DATA block
            assertEquals(TableArena.DEFAULT_PA_BASE | 1L << 48, t.pageTable().writtenTtbr0().getAsLong());
            assertEquals(new MemoryRange(0x8000_0000L, 0x9000_0000L), t.total());
            assertEquals(List.of(CrosvmLayout.PCI_CAM, CrosvmLayout.LOW_MMIO), t.mmioRegions());
            Mmus.assertNoValidDevicePageWithoutGuardMap(rec, root);
        }
    }

    @Test
    void exitUnmapsTouchedPagesThenTheUartAndDropsTheTracker() throws Exception {
        MemoryMutex<MemoryTracker> memory = new MemoryMutex<>(MainWrapper.boot(kvm, Profile040.INSTANCE, arena, CrosvmLayout.DEFAULT_RAM_SIZE));
        MemoryTracker tracker;
        try (var g = memory.lock()) {
            tracker = g.tracker().orElseThrow();
            tracker.handleMmioFault(0x200_0000L);
            tracker.handleMmioFault(0x1_0000L);
            tracker.handleMmioFault(0x100_f004L);
            tracker.allocShared(256, 16);
        }
        rec.clearLog();
        assertEquals(tracker, MainWrapper.exit(memory, kvm).orElseThrow());
        assertEquals(List.of(
                new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP, 0x1_0000L, 0),
                new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP, 0x100_f000L, 0),
                new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP, 0x200_0000L, 0),
                new HypCall(Smccc.ARM_SMCCC_KVM_FUNC_MEM_UNSHARE, CrosvmLayout.HEAP.start(), 0),
                new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP, 0x3f8 & ~0xfffL, 0)), rec.log());
        Mmus.assertNothingGuardMapped(rec);
        Mmus.assertNothingShared(rec);
        assertTrue(tracker.isClosed());
        assertEquals(List.of(new MemoryRange(0x8000_0000L, 0x8020_0000L)), tracker.flushedRanges()); // the FDT
        try (var g = memory.tryLock().orElseThrow()) {
            assertTrue(g.tracker().isEmpty());
        }
    }

    @Test
    void bootFailsOnAnUnsupportedGranuleBeforeAnythingElse() {
        rec.setMmioGuardGranule(16384);
        HypException e = assertThrows(HypException.class, () -> MainWrapper.boot(kvm, Profile040.INSTANCE, arena, 1 << 28));
        assertEquals(new HypError.UnsupportedMmioGuardGranule(16384), e.error());
        assertEquals(2, rec.callCount());
        assertEquals(0, arena.usedSlots());
    }

    @Test
    void staticLayoutWithTheIdMapsOwnTranslation() throws Exception {
        try (PvmfwPageTable pt = (PvmfwPageTable) MainWrapper.pageTableFromStaticLayout(Profile040.INSTANCE, null)) {
            assertEquals(0x0060_0000_7fff_8F07L, Tables.entry(pt.rootTable(), CrosvmLayout.STACK.start(), 3));
            assertEquals(0x0060_0000_7fc7_1F07L,
                    Tables.entry(pt.rootTable(), CrosvmLayout.APPENDED_PAYLOAD.start(), 3));
        }
    }
}
