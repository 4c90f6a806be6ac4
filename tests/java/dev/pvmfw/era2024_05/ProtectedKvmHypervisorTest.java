package dev.pvmfw.era2024_05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.hyp.KvmError;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pKVM calls of this era's {@code ProtectedKvmHypervisor} (ENROLL's NOT_SUPPORTED → MmioGuardNotSupported, any
 * other error → KvmError(error, function); MEM_SHARE/MEM_UNSHARE through {@code success_or_error_64}; MEMINFO the
 * memory-sharing granule), seen through a recording pKVM.
 */
class ProtectedKvmHypervisorTest {
    final RecordingHypervisor rec = new RecordingHypervisor();
    final ProtectedKvmHypervisor pkvm = new ProtectedKvmHypervisor(rec);

    @Test
    void compatAndroid13IsTheCrateFeatureItWasMadeWith() {
        assertTrue(new ProtectedKvmHypervisor(rec).compatAndroid13(), "vmbase/Android.bp enables compat_android_13");
        assertTrue(new ProtectedKvmHypervisor(rec, true).compatAndroid13());
        assertFalse(new ProtectedKvmHypervisor(rec, false).compatAndroid13());
    }

    @Test
    void enrollThatIsNotSupportedIsMmioGuardNotSupported() {
        rec.injectNth(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL, 1, -1);
        HypException e = assertThrows(HypException.class, pkvm::enroll);
        assertEquals(HypError.Unit.MmioGuardNotSupported, e.error());
        assertFalse(rec.isEnrolled());
    }

    @Test
    void enrollWithAnotherErrorIsTheKvmErrorOfEnroll() {
        rec.injectNth(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL, 1, -3);
        HypException e = assertThrows(HypException.class, pkvm::enroll);
        assertEquals(new HypError.Kvm(KvmError.Unit.InvalidParameter, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL),
                e.error());
    }

    @Test
    void enrollThatSucceedsEnrolls() throws Exception {
        pkvm.enroll();
        assertTrue(rec.isEnrolled());
        assertEquals(List.of(new HypCall(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL, 0, 0)), rec.log());
    }

    @Test
    void theMemSharerSharesUnsharesAndReadsMeminfo() throws Exception {
        rec.setMemoryGranule(16384);
        MemSharingHypervisor sharer = pkvm.asMemSharer().orElseThrow();
        assertEquals(16384, sharer.granule());
        sharer.share(0x8000_4000L);
        assertEquals(List.of(0x8000_4000L), List.copyOf(rec.shared()));
        sharer.unshare(0x8000_4000L);
        assertTrue(rec.shared().isEmpty());
        assertEquals(List.of(Smccc.ARM_SMCCC_KVM_FUNC_HYP_MEMINFO, Smccc.ARM_SMCCC_KVM_FUNC_MEM_SHARE,
                Smccc.ARM_SMCCC_KVM_FUNC_MEM_UNSHARE), rec.log().stream().map(HypCall::functionId).toList());
    }

    @Test
    void aRefusedShareOrUnshareIsTheKvmErrorOfItsCall() {
        MemSharingHypervisor sharer = pkvm.asMemSharer().orElseThrow();
        // The recording pKVM answers INVALID_PARAMETER (-3) for an unaligned share and for unsharing what is not shared.
        HypException share = assertThrows(HypException.class, () -> sharer.share(0x8000_0010L));
        assertEquals(new HypError.Kvm(KvmError.Unit.InvalidParameter, Smccc.ARM_SMCCC_KVM_FUNC_MEM_SHARE),
                share.error());
        HypException unshare = assertThrows(HypException.class, () -> sharer.unshare(0x8000_0000L));
        assertEquals(new HypError.Kvm(KvmError.Unit.InvalidParameter, Smccc.ARM_SMCCC_KVM_FUNC_MEM_UNSHARE),
                unshare.error());
    }
}
