package dev.pvmfw.cpu;

import dev.pvmfw.era2023_05.MainWrapper;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.testing.Mmus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.exceptions.ExceptionHandler;
import dev.pvmfw.exceptions.HandleExceptionError;
import dev.pvmfw.era2023_05.KvmHypervisor;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.MemoryMutex;
import dev.pvmfw.era2023_05.MemoryTracker;
import dev.pvmfw.era2023_05.MemoryTrackerError;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.TableArena;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulated CPU on a booted crosvm pvmfw: device pages fault in on first touch, everything else reboots. */
class CpuTest {
    static final int MAP = Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP;
    final TableArena arena = TableArena.create(256);
    final RecordingHypervisor rec = new RecordingHypervisor();
    final KvmHypervisor kvm = new KvmHypervisor(rec);
    final MemoryTracker tracker;
    final MemoryMutex<MemoryTracker> memory;
    final ExceptionHandler handler;
    final Cpu cpu;

    CpuTest() throws Exception {
        tracker = MainWrapper.boot(kvm, Profile040.INSTANCE, arena, CrosvmLayout.DEFAULT_RAM_SIZE);
        memory = new MemoryMutex<>(tracker);
        handler = new ExceptionHandler(memory);
        cpu = Mmus.cpu(((PvmfwPageTable) tracker.pageTable()).rootTable(), handler, rec::allowsMmioAccess);
        rec.clearLog();
    }

    @AfterEach
    void tearDown() {
        tracker.close();
        arena.close();
    }

    @Test
    void uartIsMappedEagerlyNoFault() {
        AccessResult r = cpu.write(0x3f8);
        assertEquals(new AccessResult.Completed(0x3f8, Access.WRITE, 0x3f8, true, 0), r);
        assertEquals(List.of(new DeviceAccess(0x3f8, Access.WRITE, 0)), cpu.deviceAccesses());
        assertEquals(0, rec.callCount());
    }

    @Test
    void firstTouchOfALazyPageFaultsMapsAndRetries() {
        AccessResult r = cpu.write(0x1_0004L); // PCI CAM, a lazy level-3 page
        assertEquals(new AccessResult.Completed(0x1_0004L, Access.WRITE, 0x1_0004L, true, 1), r);
        assertEquals(0x96000047L, cpu.exceptions().getFirst().esr()); // level 3, WnR
        assertEquals(0x1_0004L, cpu.exceptions().getFirst().far());
        assertEquals(List.of(0x1_0000L), rec.arguments(MAP));
        // Second touch: no fault, no hypercall.
        assertEquals(0, ((AccessResult.Completed) cpu.read(0x1_0ff8L)).faultsTaken());
        assertEquals(1, rec.callCount());
        Mmus.assertNoValidDevicePageWithoutGuardMap(rec, ((PvmfwPageTable) tracker.pageTable()).rootTable());
    }

    @Test
    void firstTouchInALazyBlockFaultsAtLevel2() {
        AccessResult r = cpu.read(0x200_3010L); // low MMIO, a lazy 2 MiB block
        assertTrue(r.isCompleted());
        assertEquals(0x96000006L, cpu.exceptions().getFirst().esr());
        assertEquals(List.of(0x200_3000L), rec.arguments(MAP));
        assertEquals(List.of(new DeviceAccess(0x200_3010L, Access.READ, 0x200_3000L)), cpu.deviceAccesses());
    }

    @Test
    void normalMemoryIsNotRecordedAsDevice() {
        AccessResult r = cpu.write(0x8000_0100L); // the FDT, DATA
        assertEquals(new AccessResult.Completed(0x8000_0100L, Access.WRITE, 0x8000_0100L, false, 0), r);
        assertTrue(cpu.deviceAccesses().isEmpty());
        assertTrue(cpu.read(0x7fc0_0000L).isCompleted()); // code is readable
    }

    @Test
    void unmappedRamRebootsWithInvalidPteAndHalts() {
        AccessResult.Rebooted r = assertInstanceOf(AccessResult.Rebooted.class, cpu.read(0x9000_0000L));
        // Level 2: the FDT's table split the zero L1 entry, leaving 0.4.0's invalid garbage blocks around it.
        assertEquals(0x96000006L, cpu.exceptions().getFirst().esr());
        assertEquals(new HandleExceptionError.InternalError(MemoryTrackerError.Unit.InvalidPte),
                r.reboot().error().orElseThrow());
        assertEquals(0, rec.callCount());
        assertTrue(cpu.isHalted());
        assertInstanceOf(AccessResult.Halted.class, cpu.read(0x3f8));
    }

    @Test
    void vaBeyondTheTableIsALevel0TranslationFault() {
        AccessResult.Rebooted r = assertInstanceOf(AccessResult.Rebooted.class, cpu.write(1L << 39));
        assertEquals(0x96000044L, cpu.exceptions().getFirst().esr());
        assertEquals(new HandleExceptionError.InternalError(MemoryTrackerError.Unit.InvalidPte),
                r.reboot().error().orElseThrow());
    }

    @Test
    void writeToRodataIsAPermissionFaultAndRebootsInThisEra() {
        AccessResult.Rebooted r = assertInstanceOf(AccessResult.Rebooted.class, cpu.write(CrosvmLayout.RODATA.start()));
        assertEquals(0x9600004FL, cpu.exceptions().getFirst().esr());
        assertEquals(HandleExceptionError.Unit.UnknownException, r.reboot().error().orElseThrow());
    }

    @Test
    void afterTeardownAValidPageIsNoLongerGuardedExternalAbort() throws Exception {
        cpu.write(0x1_0000L);
        try (var g = memory.lock()) {
            g.tracker().orElseThrow().mmioUnmapAll();
        }
        AccessResult.Rebooted r = assertInstanceOf(AccessResult.Rebooted.class, cpu.read(0x1_0000L));
        assertEquals(0x96000010L, cpu.exceptions().getLast().esr());
        assertEquals(HandleExceptionError.Unit.UnknownException, r.reboot().error().orElseThrow());
        assertEquals(3, r.reboot().console().size());
    }

    @Test
    void uartExternalAbortRebootsSilently() throws Exception {
        kvm.mmioGuardUnmap(CrosvmLayout.UART_BASE);
        AccessResult.Rebooted r = assertInstanceOf(AccessResult.Rebooted.class, cpu.write(0x3f8));
        assertInstanceOf(dev.pvmfw.exceptions.Esr.Unit.class, r.reboot().esr());
        assertEquals(0x96000010L, cpu.exceptions().getLast().esr());
        assertEquals(List.of(), r.reboot().console());
        assertEquals(List.of(), handler.console());
    }

    @Test
    void aSecondFaultOnTheRetryIsReportedNotLooped() {
        Cpu denied = Mmus.cpu(((PvmfwPageTable) tracker.pageTable()).rootTable(), handler, ipa -> false);
        AccessResult.FaultedAgain r = assertInstanceOf(AccessResult.FaultedAgain.class, denied.read(0x1_2000L));
        assertEquals(0x96000007L, r.firstEsr());
        assertEquals(0x96000010L, r.secondEsr());
        assertEquals(1, denied.exceptions().size());
        assertEquals(List.of(0x1_2000L), rec.arguments(MAP));
    }

    @Test
    void faultWhileTheTrackerIsLockedIsPageTableUnavailable() {
        try (var held = memory.lock()) {
            AccessResult.Rebooted r = assertInstanceOf(AccessResult.Rebooted.class, cpu.read(0x1_0000L));
            assertEquals(HandleExceptionError.Unit.PageTableUnavailable, r.reboot().error().orElseThrow());
            assertTrue(held.tracker().isPresent());
        }
    }

    @Test
    void pcIsReportedAsElr() {
        cpu.setPc(0x7fc0_4444L);
        cpu.read(0x200_0000L);
        assertEquals(0x7fc0_4444L, cpu.exceptions().getFirst().elr());
    }

    @Test
    void mairAttributeIndexOneIsNormalOthersDevice() {
        MmuConfig pvmfw = MmuConfig.pvmfw();
        assertEquals(0xff04L, pvmfw.mair());
        assertTrue(pvmfw.isDevice(0));
        assertEquals(false, pvmfw.isDevice(1));
        for (int i = 2; i < 8; i++) {
            assertTrue(pvmfw.isDevice(i));
        }
    }

    @Test
    void droppedTablesAreALifetimeErrorNotAFaultTheHandlerSees() {
        tracker.close(); // drops the page table; the arena stays open, its slots free
        MemoryLifetimeException e = assertThrows(MemoryLifetimeException.class, () -> cpu.read(0x3f8));
        assertEquals(MemoryLifetimeException.Kind.CLOSED, e.kind());
        assertEquals(List.of(), cpu.exceptions());
        assertFalse(cpu.isHalted());
        assertEquals(0, rec.callCount());
    }

    @Test
    void droppedTablesThroughThePortsMemoryAreALifetimeError() {
        PvmfwPageTable table = (PvmfwPageTable) tracker.pageTable();
        Cpu viaPort = new Cpu(table.memory(), table.rootPa(), handler);
        assertTrue(viaPort.read(0x3f8).isCompleted());
        tracker.close();
        assertThrows(MemoryLifetimeException.class, () -> viaPort.write(0x3f8));
        assertEquals(List.of(), viaPort.exceptions());
    }

    @Test
    void aClosedArenaIsALifetimeError() {
        arena.close();
        MemoryLifetimeException e = assertThrows(MemoryLifetimeException.class, () -> cpu.write(0x1_0000L));
        assertEquals(MemoryLifetimeException.Kind.CLOSED, e.kind());
        assertEquals(List.of(), cpu.exceptions());
        assertFalse(cpu.isHalted());
    }
}
