package dev.pvmfw.hyp;

import dev.pvmfw.testing.Mmus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import dev.pvmfw.paging.v0_4_0.MapException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recording hypervisor: log shape, injection, state, and the table checks. */
class RecordingHypervisorTest {
    final RecordingHypervisor rec = new RecordingHypervisor();

    long x0(int fid, long x1) {
        return rec.hvc64(fid, Smccc.args(x1))[0];
    }

    @Test
    void logsFunctionArgumentAndRawX0InOrder() {
        x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL, 0);
        x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x9000);
        x0(0xc600_0099, 7);
        assertEquals(List.of(new HypCall(0xc6000006, 0, 0), new HypCall(0xc6000007, 0x9000, 0),
                new HypCall(0xc6000099, 7, -1)), rec.log());
        assertEquals("MMIO_GUARD_MAP(0x9000) -> 0x0", rec.log().get(1).toString());
    }

    @Test
    void injectionByCallNumberReplacesTheAnswerOnceAndChangesNothing() {
        rec.injectAtCall(1, Smccc.INVALID_PARAMETER);
        assertEquals(0, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x1000));
        assertEquals(-3, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x2000));
        assertEquals(0, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x2000));
        assertEquals(java.util.Set.of(0x1000L, 0x2000L), rec.guardMapped());
        assertEquals(List.of(0L, -3L, 0L), rec.log().stream().map(HypCall::x0).toList());
    }

    @Test
    void injectionByFunctionAndArgumentIsPersistentUntilCleared() {
        rec.injectFor(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x3000, 42);
        assertEquals(42, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x3000));
        assertEquals(42, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x3000));
        assertEquals(0, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP, 0x3000));
        assertTrue(rec.guardMapped().isEmpty());
        rec.clearInjections();
        assertEquals(0, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x3000));
        assertTrue(rec.isGuardMapped(0x3fff));
    }

    /** The n-th call of a function counts that function's calls from 1, injected ones included, and applies once. */
    @Test
    void injectionByNthCallOfAFunctionCountsThatFunctionsCallsAndAppliesOnce() {
        rec.injectNth(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 2, Smccc.NOT_SUPPORTED);
        rec.injectNth(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP, 1, 7);
        assertEquals(0, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x1000));
        assertEquals(7, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP, 0x1000)); // UNMAP #1, refused
        assertEquals(-1, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x2000)); // MAP #2, refused
        assertEquals(0, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x2000)); // MAP #3
        assertEquals(java.util.Set.of(0x1000L, 0x2000L), rec.guardMapped());
        assertThrows(IllegalArgumentException.class, () -> rec.injectNth(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0, 1));
    }

    /** Call number wins over the n-th call, which wins over (function, argument); clearing removes all three. */
    @Test
    void injectionsMatchingOneCallWinInTheOrderCallNumberNthCallFunctionAndArgument() {
        rec.injectFor(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x1000, 30);
        rec.injectNth(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 1, 20);
        rec.injectNth(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 2, 21);
        rec.injectAtCall(0, 10);
        assertEquals(10, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x1000)); // call 0; MAP #1's injection unused
        assertEquals(21, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x1000)); // MAP #2
        assertEquals(30, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x1000)); // the pair
        rec.injectNth(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 4, 22);
        rec.injectAtCall(4, 11);
        rec.clearInjections();
        assertEquals(0, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x1000));
        assertEquals(0, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x1000));
    }

    @Test
    void granulesAreConfigurableAndAlignmentChecked() {
        rec.setMmioGuardGranule(16384).setMemoryGranule(8192);
        assertEquals(16384, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO, 0));
        assertEquals(8192, x0(Smccc.ARM_SMCCC_KVM_FUNC_HYP_MEMINFO, 0));
        assertEquals(-3, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x1000));
        assertEquals(0, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x4000));
        assertTrue(rec.isGuardMapped(0x7fff));
        assertEquals(-3, x0(Smccc.ARM_SMCCC_KVM_FUNC_MEM_SHARE, 0x1000));
    }

    /** The granule modes the eras' tests use, and MAP's alignment to each. */
    @Test
    void granuleModesAreTheNamedSizes() {
        assertEquals(List.of(4096L, 8192L, 16384L, 6144L, 12288L, 0L),
                java.util.Arrays.stream(GuardGranule.values()).map(GuardGranule::bytes).toList());
        rec.setMmioGuardGranule(GuardGranule.KIB_16);
        assertEquals(16384, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO, 0));
        assertEquals(Smccc.INVALID_PARAMETER, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x1000));
        assertEquals(0, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x4000));
        assertTrue(rec.isGuardMapped(0x7fff));
        rec.setMmioGuardGranule(GuardGranule.KIB_6);
        assertEquals(6144, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO, 0));
        assertEquals(0, x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x3000));
    }

    /** Without MMIO guard support it answers the four MMIO guard calls like a regular KVM: NOT_SUPPORTED. */
    @Test
    void withoutMmioGuardSupportTheGuardCallsAreNotSupported() {
        rec.setMmioGuardSupported(false);
        for (int f : new int[] {Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL,
                Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP}) {
            assertEquals(Smccc.NOT_SUPPORTED, x0(f, 0));
        }
        assertTrue(!rec.isEnrolled() && rec.guardMapped().isEmpty());
        assertEquals(4096, x0(Smccc.ARM_SMCCC_KVM_FUNC_HYP_MEMINFO, 0));
    }

    @Test
    void vendorHypUidAnswersKvm() {
        long[] r = rec.hvc64(Smccc.ARM_SMCCC_VENDOR_HYP_CALL_UID, new long[17]);
        assertEquals(Smccc.KVM_UUID, Smccc.uuidFromRegisters(r[0], r[1], r[2], r[3]));
        assertEquals(18, r.length);
    }

    @Test
    void mmioAccessAllowedBeforeEnrolmentOnlyGuardedAfter() {
        assertTrue(rec.allowsMmioAccess(0x5000));
        x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL, 0);
        assertEquals(false, rec.allowsMmioAccess(0x5000));
        x0(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, 0x5000);
        assertTrue(rec.allowsMmioAccess(0x5abc));
    }

    @Test
    void wrongArgumentCountIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> rec.hvc64(0, new long[3]));
    }
}
