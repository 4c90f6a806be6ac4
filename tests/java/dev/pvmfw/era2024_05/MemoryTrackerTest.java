package dev.pvmfw.era2024_05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.MemoryMutex;
import dev.pvmfw.exceptions.Esr;
import dev.pvmfw.exceptions.ExceptionHandler;
import dev.pvmfw.exceptions.ExceptionOutcome;
import dev.pvmfw.exceptions.HandleExceptionError;
import dev.pvmfw.exceptions.HandleExceptionException;
import dev.pvmfw.hyp.GeniezoneError;
import dev.pvmfw.hyp.GuardGranule;
import dev.pvmfw.hyp.KvmError;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The 2024-05 tracker's errors, the exception path around it, and its boot and exit. */
class MemoryTrackerTest {
    Rig rig = new Rig();

    @AfterEach
    void tearDown() {
        rig.close();
    }

    /** The sixteen variants (pvmfw-eras-verified.md "Error Display strings"), in declaration order, and their texts. */
    @Test
    void displayStrings() {
        assertEquals(List.of("DifferentBaseAddress", "SizeTooLarge", "SizeTooSmall", "Full", "OutOfRange", "Overlaps",
                "FailedToMap", "FailedToUnmap", "SharedMemorySetFailure", "SharedPoolSetFailure", "InvalidPte",
                "FlushRegionFailed", "SetPteDirtyFailed"), Arrays.stream(MemoryTrackerError.Unit.values())
                .map(Enum::name).toList());
        assertEquals("Attempted to share the same MMIO region at 0x10000 twice",
                new MemoryTrackerError.DuplicateMmioShare(0x1_0000).display());
        assertEquals("Unsupported MMIO guard granule: 12288",
                new MemoryTrackerError.UnsupportedMmioGuardGranule(12288).display());
        assertEquals("UnsupportedMmioGuardGranule(12288)",
                new MemoryTrackerError.UnsupportedMmioGuardGranule(12288).toString());
        assertEquals("Failed to invoke the HVC function with function ID 3321888775: KVM call not supported",
                new MemoryTrackerError.Hypervisor(new HypError.Kvm(KvmError.Unit.NotSupported, 0xc6000007)).display());
    }

    /**
     * vmbase's {@code hyp::Error} derives Debug: the payloads' Debug in order, a u32 in decimal, the uuid crate's Uuid
     * as its hyphenated lower-case form (pvmfw-eras-verified.md "hyp::Error").
     */
    @Test
    void hypervisorErrorsDebugAsTheDerivedForm() {
        assertEquals("GeniezoneError(NotRequired, 3321888775)",
                new HypError.Geniezone(GeniezoneError.Unit.NotRequired, 0xc6000007).toString());
        assertEquals("UnsupportedHypervisorUuid(c1d58fcd-a453-5fdb-9265-ce36673d5f14)",
                new HypError.UnsupportedHypervisorUuid(Smccc.GUNYAH_UUID).toString());
    }

    @Test
    void lockHeldIsPageTableUnavailableAndNoTrackerIsPageTableNotInitialized() throws Exception {
        rig.tracker.mapMmioRange(0x0900_0000L, 0x0920_0000L);
        MemoryMutex<MemoryTracker> memory = new MemoryMutex<>(rig.tracker);
        ExceptionHandler handler = new ExceptionHandler(memory);
        Esr translationFault = Esr.decode(0x96000007L);
        try (MemoryMutex<MemoryTracker>.Guard held = memory.lock()) {
            HandleExceptionException e = assertThrows(HandleExceptionException.class,
                    () -> handler.handleException(translationFault, 0x0900_0000L));
            assertEquals(HandleExceptionError.Unit.PageTableUnavailable, e.error());
        }
        assertEquals(0, rig.rec.callCount()); // no MAP when the lock is taken
        HandleExceptionException absent = assertThrows(HandleExceptionException.class,
                () -> new ExceptionHandler(new MemoryMutex<MemoryTracker>()).handleException(translationFault, 0));
        assertEquals(HandleExceptionError.Unit.PageTableNotInitialized, absent.error());
    }

    /** The vector's reboot on a duplicate share: the error's text in pvmfw's three lines. */
    @Test
    void aDuplicateShareRebootsWithItsText() throws Exception {
        rig.tracker.mapMmioRange(0x0900_0000L, 0x0920_0000L);
        ExceptionHandler handler = new ExceptionHandler(new MemoryMutex<>(rig.tracker));
        assertTrue(handler.syncExceptionCurrent(0x96000007L, 0x0900_0010L, 0x7fc0_1234L)
                instanceof ExceptionOutcome.Return);
        ExceptionOutcome again = handler.syncExceptionCurrent(0x96000007L, 0x0900_0020L, 0x7fc0_1234L);
        assertEquals(List.of("sync_exception_current", "Error while updating page table: Attempted to share the same "
                + "MMIO region at 0x9000000 twice", "Translation fault, far=0x9000020, elr=0x7fc01234"),
                ((ExceptionOutcome.Reboot) again).console());
    }

    /** Boot with 16 KiB, a fault, exit: MAP(0) of the UART at boot, the granule MAPped, UNMAPs ascending, the UART last. */
    @Test
    void bootFaultAndExitWith16KiB() throws Exception {
        RecordingHypervisor rec = new RecordingHypervisor().setMmioGuardGranule(GuardGranule.KIB_16);
        try (TableArena arena = TableArena.create(64)) {
            var booted = CrosvmBoot.INSTANCE.boot(rec, Profile040.INSTANCE, arena, CrosvmLayout.DEFAULT_RAM_SIZE);
            assertEquals(List.of(0L), rec.arguments(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP));
            rec.clearLog();
            ExceptionHandler handler = new ExceptionHandler(booted.memory());
            handler.handleException(Esr.decode(0x96000007L), 0x20_5000L + 0x1e0_0000L); // low MMIO 0x2005000
            handler.handleException(Esr.decode(0x96000007L), 0x1_8000L); // PCI CAM
            booted.exit();
            assertEquals(List.of("MMIO_GUARD_MAP(0x2004000) -> 0x0", "MMIO_GUARD_MAP(0x18000) -> 0x0",
                    "MMIO_GUARD_UNMAP(0x18000) -> 0x0", "MMIO_GUARD_UNMAP(0x2004000) -> 0x0",
                    "MMIO_GUARD_UNMAP(0x0) -> 0x0"), rec.log().stream().map(Object::toString).toList());
            assertTrue(rec.guardMapped().isEmpty());
        }
    }

    @Test
    void compatAndroid13IsAFeatureOnByDefault() throws Exception {
        RecordingHypervisor rec = new RecordingHypervisor().setAndroid13Returns(true);
        ProtectedKvmHypervisor on = new ProtectedKvmHypervisor(rec);
        on.map(0x1000);
        on.unmap(0x1000); // NOT_SUPPORTED counts as success
        ProtectedKvmHypervisor off = new ProtectedKvmHypervisor(rec, false);
        HypException e = assertThrows(HypException.class, () -> off.unmap(0x1000));
        assertEquals(new HypError.Kvm(KvmError.Unit.NotSupported, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP), e.error());
    }
}
