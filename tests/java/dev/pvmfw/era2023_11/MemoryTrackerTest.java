package dev.pvmfw.era2023_11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.era.MemoryMutex;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.exceptions.Esr;
import dev.pvmfw.exceptions.ExceptionHandler;
import dev.pvmfw.exceptions.HandleExceptionError;
import dev.pvmfw.exceptions.HandleExceptionException;
import dev.pvmfw.hyp.GeniezoneError;
import dev.pvmfw.hyp.GuardGranule;
import dev.pvmfw.hyp.KvmError;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The 2023-11 tracker's checks ({@code docs/pvmfw-2023-11.md}, "What changed since the seed"), the exception path
 * around it and the boot, with expected values from pvmfw-eras-verified.md "MemoryTracker checks", "Error Display strings" and pvmfw-lazy-mmio.md "MemoryTracker".
 */
class MemoryTrackerTest {
    Rig rig = new Rig();

    @AfterEach
    void tearDown() {
        rig.close();
    }

    static MemoryTrackerError err(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(MemoryTrackerException.class, e).error();
    }

    @Test
    void mmioOutsideTheMmioWindowIsOutOfRange() throws Exception {
        assertEquals(MemoryTrackerError.Unit.OutOfRange,
                err(() -> rig.tracker.mapMmioRange(0x3fff_f000L, 0x4000_1000L)));
        assertEquals(MemoryTrackerError.Unit.OutOfRange,
                err(() -> rig.tracker.mapMmioRange(0x7fc0_0000L, 0x7fc0_1000L))); // pvmfw's 4 MiB: outside the window
        rig.tracker.mapMmioRange(0x3fff_f000L, 0x4000_0000L); // the window's last page
        rig.tracker.mapMmioRange(0, 0x1000);
        assertEquals(2, rig.tracker.mmioRegions().size());
    }

    /** 2023-06-07's rule (pvmfw-eras-verified.md "MemoryTracker checks"): an empty range strictly inside a region overlaps it. */
    @Test
    void emptyRangeStrictlyInsideARegionOverlapsQuirk() throws Exception {
        rig.tracker.mapMmioRange(0x1000_0000L, 0x1000_4000L);
        assertEquals(MemoryTrackerError.Unit.Overlaps,
                err(() -> rig.tracker.mapMmioRange(0x1000_2000L, 0x1000_2000L)));
        rig.tracker.mapMmioRange(0x1000_4000L, 0x1000_4000L); // at the end: no overlap
        rig.tracker.allocRange(new MemoryRange(0x8000_0000L, 0x8000_4000L));
        assertEquals(MemoryTrackerError.Unit.Overlaps,
                err(() -> rig.tracker.allocRange(new MemoryRange(0x8000_1000L, 0x8000_1000L))));
    }

    @Test
    void mmioCapacityIsFiveAndOverlapComesBeforeFull() throws Exception {
        for (int i = 0; i < 5; i++) {
            rig.tracker.mapMmioRange(0x1000_0000L + i * 0x10_0000L, 0x1000_1000L + i * 0x10_0000L);
        }
        assertEquals(MemoryTrackerError.Unit.Overlaps, err(() -> rig.tracker.mapMmioRange(0x1000_0000L, 0x1000_1000L)));
        assertEquals(MemoryTrackerError.Unit.Full, err(() -> rig.tracker.mapMmioRange(0x2000_0000L, 0x2000_1000L)));
    }

    @Test
    void checkAllocatableAndCheckNoOverlap() throws Exception {
        MemoryRange outside = new MemoryRange(0x4000_0000L, 0x4000_1000L);
        assertEquals(MemoryTrackerError.Unit.OutOfRange, err(() -> rig.tracker.allocRange(outside)));
        assertEquals(MemoryTrackerError.Unit.OutOfRange, err(() -> rig.tracker.allocRangeMut(outside)));
        assertEquals(outside, rig.tracker.allocRangeOutsideMainMemory(outside));
        assertEquals(MemoryTrackerError.Unit.Overlaps, err(() -> rig.tracker.allocRangeOutsideMainMemory(outside)));
        for (int i = 1; i < 5; i++) {
            rig.tracker.alloc(0x8000_0000L + i * 0x10_0000L, 0x1000);
        }
        assertEquals(MemoryTrackerError.Unit.Full,
                err(() -> rig.tracker.allocRangeOutsideMainMemory(new MemoryRange(0x5000_0000L, 0x5000_1000L))));
        assertEquals(MemoryTrackerError.Unit.OutOfRange,
                err(() -> rig.tracker.allocRange(new MemoryRange(0x4000_0000L, 0x4000_1000L))));
    }

    /** alloc_range_mut maps DATA_DBM: RODATA | DBM, as an L3 page {@code 0x0068_0000_0000_0f87 | pa} ("Attribute sets"). */
    @Test
    void allocRangeMutMapsDataDbm() throws Exception {
        rig.tracker.allocRangeMut(new MemoryRange(0x8000_0000L, 0x8000_1000L));
        assertEquals(0x0068_0000_8000_0F87L, rig.entry(0x8000_0000L, 3));
    }

    @Test
    void newAssertsMainMemoryDoesNotOverlapTheMmioWindowAndActivates() {
        try (TableArena arena = TableArena.create(8)) {
            PvmfwPageTable table = new PvmfwPageTable(arena);
            InvariantViolation p = assertThrows(InvariantViolation.class, () -> new MemoryTracker(table,
                    new MemoryRange(0x3000_0000L, 0x5000_0000L), CrosvmLayout.MMIO_WINDOW, null, rig.hypervisor));
            assertEquals("MMIO space should not overlap with the main memory region.", p.getMessage());
            assertFalse(table.isActive());
            MemoryTracker adjacent = new MemoryTracker(table, new MemoryRange(0x4000_0000L, 0x5000_0000L),
                    CrosvmLayout.MMIO_WINDOW, null, rig.hypervisor);
            assertTrue(table.isActive());
            assertTrue(adjacent.dbmEnabled());
            adjacent.close();
            assertFalse(adjacent.dbmEnabled());
        }
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
        assertEquals(0, rig.rec.callCount());
        handler.handleException(translationFault, 0x0900_0000L);
        assertEquals(1, rig.rec.callCount());
        HandleExceptionException absent = assertThrows(HandleExceptionException.class,
                () -> new ExceptionHandler(new MemoryMutex<MemoryTracker>()).handleException(translationFault, 0));
        assertEquals(HandleExceptionError.Unit.PageTableNotInitialized, absent.error());
    }

    /** The fourteen variants' Display strings ("Error Display strings") and the Debug of the payload variant. */
    @Test
    void displayStrings() {
        List<String> expected = List.of("Received different base address", "Tried to shrink to a larger memory size",
                "Tracked regions would not fit in memory size", "Reached limit number of tracked regions",
                "Region is out of the tracked memory address space", "New region overlaps with tracked regions",
                "Failed to map the new region", "Failed to unmap the new region", "Failed to set SHARED_MEMORY",
                "Failed to set SHARED_POOL", "Page table entry is not valid", "Failed to flush memory region",
                "Failed to set PTE dirty state");
        assertEquals(expected, java.util.Arrays.stream(MemoryTrackerError.Unit.values())
                .map(MemoryTrackerError::display).toList());
        var hyp = new MemoryTrackerError.Hypervisor(new HypError.Geniezone(GeniezoneError.Unit.NotRequired, 0xc6000007));
        assertEquals("Failed to invoke GenieZone HVC function with function ID 3321888775: GenieZone call not required",
                hyp.display());
        assertEquals("Hypervisor(GeniezoneError(NotRequired, 3321888775))", hyp.toString());
        assertEquals("MMIO guard is not supported", HypError.Unit.MmioGuardNotSupported.display());
        assertEquals("Unsupported MMIO guard granule: 16384", new HypError.UnsupportedMmioGuardGranule(16384).display());
        assertEquals("UnsupportedMmioGuardGranule(16384)", new HypError.UnsupportedMmioGuardGranule(16384).toString());
        assertEquals("Unsupported Hypervisor UUID c1d58fcd-a453-5fdb-9265-ce36673d5f14",
                new HypError.UnsupportedHypervisorUuid(Smccc.GUNYAH_UUID).display());
    }

    @Test
    void detectionTellsPkvmFromRegularKvmByInfoAndRefusesOtherUuids() {
        assertTrue(Hypervisors.detect(new RecordingHypervisor()) instanceof ProtectedKvmHypervisor);
        assertEquals(RegularKvmHypervisor.INSTANCE,
                Hypervisors.detect(new RecordingHypervisor().setMmioGuardSupported(false)));
        RecordingHypervisor broken = new RecordingHypervisor().injectFor(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO, 0,
                Smccc.INVALID_PARAMETER);
        assertEquals("Failed to detect hypervisor: KvmError(InvalidParameter, 3321888773)",
                assertThrows(InvariantViolation.class, () -> Hypervisors.detect(broken)).getMessage());
        RecordingHypervisor gunyah = new RecordingHypervisor();
        long[] w = Smccc.uuidToRegisters(UUID.fromString("c1d58fcd-a453-5fdb-9265-ce36673d5f14"));
        gunyah.injectFor(Smccc.ARM_SMCCC_VENDOR_HYP_CALL_UID, 0, w[0]);
        // Only w0 can be injected: the UUID read is then neither KVM's nor any other known one.
        InvariantViolation p = assertThrows(InvariantViolation.class, () -> Hypervisors.detect(gunyah));
        assertTrue(p.getMessage().startsWith("Failed to detect hypervisor: UnsupportedHypervisorUuid("),
                p.getMessage());
    }

    /** validate_granule at boot wants exactly 4 KiB: 16 KiB is UnsupportedMmioGuardGranule(16384) from libhyp. */
    @Test
    void bootRefusesAGranuleOtherThan4KiB() {
        RecordingHypervisor rec = new RecordingHypervisor().setMmioGuardGranule(GuardGranule.KIB_16);
        try (TableArena arena = TableArena.create(64)) {
            HypException e = assertThrows(HypException.class, () -> MainWrapper.boot(Hypervisors.detect(rec),
                    Profile040.INSTANCE, arena, CrosvmLayout.DEFAULT_RAM_SIZE));
            assertEquals(new HypError.UnsupportedMmioGuardGranule(16384), e.error());
            assertEquals(List.of(Smccc.ARM_SMCCC_VENDOR_HYP_CALL_UID, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO,
                    Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO),
                    rec.log().stream().map(c -> c.functionId()).toList());
        }
    }

    /** Boot, a fault, exit: the UART (its page, {@code page_address(0x3f8)}) UNMAPped last; nothing left guard-mapped. */
    @Test
    void bootFaultAndExit() throws Exception {
        RecordingHypervisor rec = new RecordingHypervisor();
        try (TableArena arena = TableArena.create(64)) {
            var booted = CrosvmBoot.INSTANCE.boot(rec, Profile040.INSTANCE, arena, CrosvmLayout.DEFAULT_RAM_SIZE);
            assertTrue(booted.lazyMmio());
            assertEquals(List.of(CrosvmLayout.PCI_CAM, CrosvmLayout.LOW_MMIO), booted.mmioRegions());
            assertEquals(List.of("0x80000000..0x80200000 read-write"), booted.ramRegions());
            rec.clearLog();
            new ExceptionHandler(booted.memory()).handleException(Esr.decode(0x96000007L), 0x1_0000L);
            booted.exit();
            assertEquals(List.of("MMIO_GUARD_MAP(0x10000) -> 0x0", "MMIO_GUARD_UNMAP(0x10000) -> 0x0",
                    "MMIO_GUARD_UNMAP(0x0) -> 0x0"), rec.log().stream().map(Object::toString).toList());
            assertTrue(rec.guardMapped().isEmpty());
            assertTrue(booted.memory().lock().tracker().isEmpty());
        }
    }

    @Test
    void kvmErrorTextsAreUnchanged() {
        assertEquals("Failed to invoke the HVC function with function ID 3321888776: Unknown return value from KVM -2 "
                + "(0xfffffffffffffffe)", new HypError.Kvm(KvmError.fromI64(-2), 0xc6000008).display());
    }
}
