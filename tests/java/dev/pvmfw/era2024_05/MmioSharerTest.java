package dev.pvmfw.era2024_05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.hyp.GuardGranule;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The MMIO guard granule, read once when the tracker is made ({@code docs/pvmfw-2024-05.md}, "MmioSharer";
 * pvmfw-eras-verified.md "MmioSharer"; pvmfw-lazy-mmio.md "Scenarios"): a multiple of 4 KiB or UnsupportedMmioGuardGranule(g), then
 * a power of two; both failures are panics at creation, since the tracker unwraps.
 */
class MmioSharerTest {

    /** A tracker made as pvmfw makes it, over a recording pKVM with this granule. */
    static MemoryTracker trackerWith(RecordingHypervisor rec, TableArena arena) {
        return new MemoryTracker(new PvmfwPageTable(arena), new MemoryRange(CrosvmLayout.RAM_START,
                MainWrapper.MAX_VIRT_ADDR), CrosvmLayout.MMIO_WINDOW, null, Hypervisors.detect(rec));
    }

    static String creationPanic(GuardGranule g) {
        try (TableArena arena = TableArena.create(8)) {
            return assertThrows(InvariantViolation.class,
                    () -> trackerWith(new RecordingHypervisor().setMmioGuardGranule(g), arena)).getMessage();
        }
    }

    /**
     * What the panic of {@code assert!({ let granule = mmio_guard.granule()?; granule == SIZE_4KB || granule ==
     * SIZE_16KB })} ({@code c08e63cb:vmbase/src/entry.rs}) prints: copied from the output of a program with the same
     * assert built by rustc 1.95.0 (and 1.97.0-nightly, the same), outside this repository.
     */
    static final String RUSTC_CONSOLE_ASSERTION = "assertion failed: {\n    let granule = mmio_guard.granule()?;\n"
            + "    granule == SIZE_4KB || granule == SIZE_16KB\n}";

    /** The two message-less asserts of {@code MmioSharer}, as rustc 1.95.0 prints the same asserts. */
    @Test
    void theAssertTextsAreRustcs() {
        assertEquals("assertion failed: granule.is_power_of_two()", MmioSharer.NOT_POWER_OF_TWO);
        assertEquals("assertion failed: inserted", MmioSharer.NOT_INSERTED);
        assertEquals(RUSTC_CONSOLE_ASSERTION, MainWrapper.CONSOLE_GRANULE_ASSERTION);
    }

    @Test
    void sixKiBIsTheUnwrappedUnsupportedMmioGuardGranule() {
        assertEquals("called `Result::unwrap()` on an `Err` value: UnsupportedMmioGuardGranule(6144)",
                creationPanic(GuardGranule.KIB_6));
        assertEquals("Unsupported MMIO guard granule: 6144",
                new MemoryTrackerError.UnsupportedMmioGuardGranule(6144).display());
    }

    @Test
    void twelveKiBFailsThePowerOfTwoAssertion() {
        assertEquals("assertion failed: granule.is_power_of_two()", creationPanic(GuardGranule.KIB_12));
    }

    /** 0 passes the multiple test (0 % 4096 == 0) and fails the power-of-two assertion. */
    @Test
    void zeroPassesTheMultipleCheckAndFailsThePowerOfTwoAssertionQuirk() {
        assertEquals("assertion failed: granule.is_power_of_two()", creationPanic(GuardGranule.ZERO));
    }

    @ParameterizedTest
    @EnumSource(value = GuardGranule.class, names = {"KIB_4", "KIB_8", "KIB_16"})
    void powerOfTwoMultiplesOf4KiBAreAccepted(GuardGranule g) throws Exception {
        RecordingHypervisor rec = new RecordingHypervisor().setMmioGuardGranule(g);
        try (TableArena arena = TableArena.create(8)) {
            MemoryTracker tracker = trackerWith(rec, arena);
            assertEquals(g.bytes(), tracker.mmioSharer().granule());
            int infos = rec.calls(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO).size(); // detection's probe and new()'s read
            assertEquals(2, infos);
            assertEquals(new MemoryRange(0x1000_0000L, 0x1000_0000L + g.bytes()),
                    tracker.mmioSharer().share(0x1000_0000L + g.bytes() - 1));
            assertEquals(infos, rec.calls(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO).size(), "the granule is read once");
            tracker.close();
        }
    }

    @Test
    void anInfoErrorAtCreationIsAPanicToo() {
        RecordingHypervisor rec = new RecordingHypervisor();
        Hypervisor pkvm = Hypervisors.detect(rec);
        rec.injectFor(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO, 0, -2);
        try (TableArena arena = TableArena.create(8)) {
            InvariantViolation p = assertThrows(InvariantViolation.class, () -> new MemoryTracker(
                    new PvmfwPageTable(arena), new MemoryRange(CrosvmLayout.RAM_START, MainWrapper.MAX_VIRT_ADDR),
                    CrosvmLayout.MMIO_WINDOW, null, pkvm));
            assertEquals("called `Result::unwrap()` on an `Err` value: Hypervisor(KvmError(Unknown(-2), 3321888773))",
                    p.getMessage());
        }
    }

    @Test
    void withoutAnMmioGuardTheGranuleIsThePageSizeAndNoInfoIsAsked() throws Exception {
        RecordingHypervisor rec = new RecordingHypervisor().setMmioGuardSupported(false);
        MmioSharer sharer = MmioSharer.create(Hypervisors.detect(rec));
        assertEquals(4096, sharer.granule());
        assertEquals(1, rec.calls(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO).size()); // detection's probe only
    }

    /** In a full boot, try_console_init asserts 4 KiB or 16 KiB ("Scenarios"): 8 KiB panics there. */
    @Test
    void aFullBootPanicsOn8KiBAtTheConsole() {
        RecordingHypervisor rec = new RecordingHypervisor().setMmioGuardGranule(GuardGranule.KIB_8);
        try (TableArena arena = TableArena.create(64)) {
            InvariantViolation p = assertThrows(InvariantViolation.class, () -> CrosvmBoot.INSTANCE.boot(rec,
                    dev.pvmfw.paging.v0_4_0.profile.Profile040.INSTANCE, arena, CrosvmLayout.DEFAULT_RAM_SIZE));
            assertEquals(RUSTC_CONSOLE_ASSERTION, p.getMessage());
            assertTrue(rec.arguments(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP).isEmpty());
        }
    }
}
