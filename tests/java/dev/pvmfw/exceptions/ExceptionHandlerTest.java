package dev.pvmfw.exceptions;

import dev.pvmfw.era2023_05.MemoryTracker;
import dev.pvmfw.mmu.Syndrome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.era.MemoryMutex;
import dev.pvmfw.era2023_05.MemoryTrackerError;
import dev.pvmfw.era2023_05.TrackerRig;
import dev.pvmfw.paging.internal.TableLayout;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** handle_exception and sync_exception_current at b99905d3: dispatch, lock rules, errors, reboot and printing. */
class ExceptionHandlerTest {
    static final long BLOCK = 0x0900_0000L;
    static final long ELR = 0x7fc0_1234L;
    final TrackerRig rig = new TrackerRig();
    final MemoryMutex<MemoryTracker> memory = new MemoryMutex<>(rig.tracker);
    final ExceptionHandler handler = new ExceptionHandler(memory);

    @AfterEach
    void tearDown() {
        rig.close();
    }

    ExceptionOutcome.Reboot reboot(long esr, long far) {
        return assertInstanceOf(ExceptionOutcome.Reboot.class, handler.syncExceptionCurrent(esr, far, ELR));
    }

    @Test
    void translationFaultOnALazyPageIsHandledAndReturns() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + 0x20_0000);
        assertEquals(ExceptionOutcome.Return.INSTANCE,
                handler.syncExceptionCurrent(Syndrome.translationFault(2, false), BLOCK + 0x10, ELR));
        assertEquals(List.of(BLOCK), rig.rec.arguments(0xc6000007));
        assertTrue(memory.tryLock().isPresent()); // released
        assertTrue(handler.console().isEmpty());
    }

    @Test
    void faultOutsideLazyMemoryRebootsWithInternalErrorAndPrints() {
        ExceptionOutcome.Reboot r = reboot(Syndrome.translationFault(1, true), 0x0900_0000L);
        assertEquals(new HandleExceptionError.InternalError(MemoryTrackerError.Unit.InvalidPte), r.error().orElseThrow());
        assertEquals(List.of("sync_exception_current",
                "Error while updating page table: Page table entry is not valid",
                "Translation fault, far=0x9000000, elr=0x7fc01234"), r.console());
        assertEquals(r.console(), handler.console());
        assertEquals(0, rig.rec.callCount());
    }

    @Test
    void lockHeldIsPageTableUnavailable() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + 0x20_0000);
        try (MemoryMutex<MemoryTracker>.Guard held = memory.lock()) {
            ExceptionOutcome.Reboot r = reboot(Syndrome.translationFault(2, false), BLOCK);
            assertEquals(HandleExceptionError.Unit.PageTableUnavailable, r.error().orElseThrow());
            assertEquals("Page table is not available.", r.console().get(1));
            assertTrue(held.tracker().isPresent());
        }
        assertEquals(0, rig.rec.callCount());
    }

    @Test
    void noTrackerIsPageTableNotInitialized() {
        ExceptionHandler empty = new ExceptionHandler(new MemoryMutex<>());
        HandleExceptionException e = assertThrows(HandleExceptionException.class,
                () -> empty.handleException(Esr.decode(0x96000007L), 0x1000));
        assertEquals(HandleExceptionError.Unit.PageTableNotInitialized, e.error());
        assertEquals("Page table is not initialized.", e.getMessage());
    }

    @Test
    void everythingButATranslationFaultIsUnknownException() {
        for (long esr : new long[] {Syndrome.permissionFault(3, true), 0x96000084L, 0x96000010L, 0, -1}) {
            HandleExceptionException e = assertThrows(HandleExceptionException.class,
                    () -> handler.handleException(Esr.decode(esr), 0x1000));
            assertEquals(HandleExceptionError.Unit.UnknownException, e.error());
            assertEquals("An unknown exception occurred, not handled.", e.getMessage());
        }
    }

    @Test
    void permissionFaultRebootsInThisEra() {
        ExceptionOutcome.Reboot r = reboot(0x9600004FL, 0x8000_0000L);
        assertEquals(List.of("sync_exception_current", "An unknown exception occurred, not handled.",
                "Permission fault, far=0x80000000, elr=0x7fc01234"), r.console());
    }

    @Test
    void externalAbortOnTheUartPageIsSilent() {
        assertEquals(List.of(), reboot(0x96000010L, 0x3f8).console());
        assertEquals(List.of(), reboot(0x96000010L, 0xfff).console());
        assertEquals(3, reboot(0x96000010L, 0x1000).console().size()); // another page: printed
        assertEquals(3, reboot(0x96000050L, 0x3f8).console().size()); // not the exact syndrome: printed
        assertEquals("Unknown exception esr=0x96000050, far=0x0003f8, elr=0x7fc01234",
                reboot(0x96000050L, 0x3f8).console().get(2));
    }

    @Test
    void hypervisorErrorReachesTheConsole() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + 0x20_0000);
        rig.rec.injectAtCall(0, -1);
        ExceptionOutcome.Reboot r = reboot(Syndrome.translationFault(2, false), BLOCK);
        assertEquals("Error while updating page table: Failed to invoke the HVC function with function ID "
                + "3321888775: KVM call not supported", r.console().get(1));
    }

    @Test
    void aPanicInTheCallbackRebootsWithThePanicMessage() throws Exception {
        rig.tracker.mapMmioRange(BLOCK, BLOCK + 0x20_0000);
        rig.tracker.handleMmioFault(BLOCK); // split
        var l3 = dev.pvmfw.era2023_05.TrackerRigAccess.level3Table(rig, BLOCK);
        TableLayout.write(l3, 2, 0x00E0_0000_0900_2402L | 1L << 52); // the contiguous bit: unknown in 0.4.0
        ExceptionOutcome.Reboot r = reboot(Syndrome.translationFault(3, false), BLOCK + 0x2000);
        assertEquals(new ExceptionOutcome.Cause.Panic("Unsupported PTE flags set"), r.cause());
        assertEquals(List.of("panicked at <location not modelled>:", "Unsupported PTE flags set"), r.console());
        assertTrue(memory.tryLock().isPresent());
    }

    @Test
    void handlingUartExceptionRule() {
        assertTrue(ExceptionHandler.handlingUartException(Esr.decode(0x96000010L), 0));
        assertTrue(ExceptionHandler.handlingUartException(Esr.decode(0x96000010L), 0xfff));
        assertEquals(false, ExceptionHandler.handlingUartException(Esr.decode(0x96000004L), 0));
        assertEquals(false, ExceptionHandler.handlingUartException(Esr.decode(0x96000010L), 0x1000));
    }
}
