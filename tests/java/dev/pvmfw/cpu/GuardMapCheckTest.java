package dev.pvmfw.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.paging.port.MmuOpsException;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import dev.pvmfw.testing.Mmus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pvmfw's invariant between its tables and the MMIO guard: every valid device page is guard-mapped. */
class GuardMapCheckTest {
    final RecordingHypervisor rec = new RecordingHypervisor();

    @Test
    void findsValidDevicePagesWithoutGuardMap() throws MmuOpsException {
        try (PvmfwPageTable pt = new PvmfwPageTable()) {
            pt.mapDevice(0x3f8, 0x3f9);
            pt.mapDeviceLazy(0x10_0000, 0x20_0000);
            pt.mapData(0x8000_0000L, 0x8020_0000L); // DATA has no SWFLAG_0: ignored
            assertEquals(List.of(0L), Mmus.unguardedValidDevicePages(rec, pt.rootTable()));
            AssertionError e = assertThrows(AssertionError.class,
                    () -> Mmus.assertNoValidDevicePageWithoutGuardMap(rec, pt.rootTable()));
            assertTrue(e.getMessage().contains("0x0"), e.getMessage());
            rec.hvc64(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, Smccc.args(0));
            Mmus.assertNoValidDevicePageWithoutGuardMap(rec, pt.rootTable());
            assertThrows(AssertionError.class, () -> Mmus.assertNothingGuardMapped(rec));
            rec.hvc64(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP, Smccc.args(0));
            Mmus.assertNothingGuardMapped(rec);
        }
    }

    @Test
    void aValidBlockCountsEveryPageAndAGuardMapCoversItsGranule() throws MmuOpsException {
        try (PvmfwPageTable pt = new PvmfwPageTable()) {
            pt.mapDevice(0x20_0000, 0x40_0000); // one 2 MiB block
            assertEquals(512, Mmus.unguardedValidDevicePages(rec, pt.rootTable()).size());
            rec.setMmioGuardGranule(1L << 21);
            rec.hvc64(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, Smccc.args(0x20_0000));
            assertEquals(List.of(), Mmus.unguardedValidDevicePages(rec, pt.rootTable()));
        }
    }
}
