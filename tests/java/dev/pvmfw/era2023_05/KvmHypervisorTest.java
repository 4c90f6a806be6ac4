package dev.pvmfw.era2023_05;

import dev.pvmfw.testing.Mmus;
import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.hyp.KvmError;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** libhyp's KVM backend of 2023-05 over the recording hypervisor, with and without the Android 13 compatibility. */
class KvmHypervisorTest {
    final RecordingHypervisor rec = new RecordingHypervisor();
    final KvmHypervisor kvm = new KvmHypervisor(rec);

    @Test
    void compatAndroid13IsOnByDefault() {
        assertTrue(kvm.compatAndroid13());
    }

    @Test
    void mmioGuardInitEnrollsThenReadsTheGranule() throws HypException {
        kvm.mmioGuardInit();
        assertEquals(List.of(new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL, 0, 0),
                new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO, 0, 4096)), rec.log());
        assertTrue(rec.isEnrolled());
    }

    @Test
    void mmioGuardInitRejectsAnyGranuleButFourKiB() {
        rec.setMmioGuardGranule(16384);
        HypException e = assertThrows(HypException.class, kvm::mmioGuardInit);
        assertEquals(new HypError.UnsupportedMmioGuardGranule(16384), e.error());
        assertEquals("Unsupported MMIO guard granule: 16384", e.getMessage());
    }

    @Test
    void mmioGuardInitNegativeGranuleIsAKvmErrorOfInfo() {
        rec.setMmioGuardGranule(-3);
        HypException e = assertThrows(HypException.class, kvm::mmioGuardInit);
        assertEquals(new HypError.Kvm(KvmError.Unit.InvalidParameter, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO),
                e.error());
    }

    @Test
    void enrollNotSupportedIsMmioGuardNotsupported() {
        rec.injectFor(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL, 0, Smccc.NOT_SUPPORTED);
        assertEquals(HypError.Unit.MmioGuardNotsupported,
                assertThrows(HypException.class, kvm::mmioGuardInit).error());
        rec.injectFor(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL, 0, -2);
        assertEquals(new HypError.Kvm(new KvmError.Unknown(-2), Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL),
                assertThrows(HypException.class, kvm::mmioGuardEnroll).error());
    }

    @Test
    void mapAndUnmapPassThe4KiBPageOfTheAddress() throws HypException {
        kvm.mmioGuardMap(0x3f8);
        kvm.mmioGuardMap(0x0900_1fff);
        kvm.mmioGuardUnmap(0x0900_1001);
        assertEquals(List.of(0L, 0x0900_1000L), rec.arguments(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP));
        assertEquals(List.of(0x0900_1000L), rec.arguments(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP));
        assertEquals(java.util.Set.of(0L), rec.guardMapped());
    }

    /** Android 13 (bug 277859415): MAP errors come back as an i32; only the low 32 bits count. */
    @Test
    void mapUsesSuccessOrError32Android13Quirk() {
        rec.setAndroid13Returns(true);
        rec.injectFor(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x1000, 0xFFFF_FFFFL);
        assertEquals(new HypError.Kvm(KvmError.Unit.NotSupported, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP),
                assertThrows(HypException.class, () -> kvm.mmioGuardMap(0x1000)).error());
        rec.injectFor(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x2000, 0x1_0000_0000L);
        assertDoesNotThrow(() -> kvm.mmioGuardMap(0x2000)); // low half 0: success
        // The recording hypervisor itself answers an unaligned MAP with -3 as an i32 in this mode.
        assertEquals(0xFFFF_FFFDL, rec.hvc64(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, Smccc.args(0x123))[0]);
    }

    /** Android 13 (bug 277860860): UNMAP returns NOT_SUPPORTED on success; it counts as Ok. */
    @Test
    void unmapNotSupportedIsOkAndroid13Quirk() throws HypException {
        rec.setAndroid13Returns(true);
        kvm.mmioGuardMap(0x5000);
        kvm.mmioGuardUnmap(0x5000);
        assertEquals(new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP, 0x5000, -1), rec.log().getLast());
        assertTrue(rec.guardMapped().isEmpty());
        rec.injectFor(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP, 0x6000, Smccc.INVALID_PARAMETER);
        assertEquals(new HypError.Kvm(KvmError.Unit.InvalidParameter, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP),
                assertThrows(HypException.class, () -> kvm.mmioGuardUnmap(0x6000)).error());
    }

    @Test
    void withoutCompatMapAndUnmapAreStrict64() {
        KvmHypervisor strict = new KvmHypervisor(rec, false);
        rec.injectFor(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x2000, 0x1_0000_0000L);
        assertEquals(new HypError.Kvm(new KvmError.Unknown(0x1_0000_0000L), Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP),
                assertThrows(HypException.class, () -> strict.mmioGuardMap(0x2000)).error());
        rec.injectFor(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP, 0x3000, Smccc.NOT_SUPPORTED);
        assertEquals(new HypError.Kvm(KvmError.Unit.NotSupported, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP),
                assertThrows(HypException.class, () -> strict.mmioGuardUnmap(0x3000)).error());
        assertDoesNotThrow(() -> kvm.mmioGuardUnmap(0x3000)); // the compat one accepts it
    }

    @Test
    void memoryShareUnshareAndGranule() throws HypException {
        assertEquals(4096, kvm.memoryProtectionGranule());
        kvm.memShare(0x7fe1_0000L);
        assertEquals(java.util.Set.of(0x7fe1_0000L), rec.shared());
        HypException e = assertThrows(HypException.class, () -> kvm.memShare(0x7fe1_0000L)); // twice
        assertEquals(new HypError.Kvm(KvmError.Unit.InvalidParameter, Smccc.ARM_SMCCC_KVM_FUNC_MEM_SHARE),
                e.error());
        kvm.memUnshare(0x7fe1_0000L);
        Mmus.assertNothingShared(rec);
        assertEquals(new HypError.Kvm(KvmError.Unit.InvalidParameter, Smccc.ARM_SMCCC_KVM_FUNC_MEM_UNSHARE),
                assertThrows(HypException.class, () -> kvm.memUnshare(0x7fe1_0000L)).error());
    }
}
