package dev.pvmfw.hyp;

import dev.pvmfw.era2023_05.HypError;
import dev.pvmfw.era2023_05.Hypervisor;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Function IDs, the smccc return rules, KvmError conversion and the exact Display/Debug strings. */
class SmcccTest {

    @Test
    void functionIds() {
        assertEquals(0x8600ff01, Smccc.ARM_SMCCC_VENDOR_HYP_CALL_UID);
        assertEquals(0xc6000002, Smccc.ARM_SMCCC_KVM_FUNC_HYP_MEMINFO);
        assertEquals(0xc6000003, Smccc.ARM_SMCCC_KVM_FUNC_MEM_SHARE);
        assertEquals(0xc6000004, Smccc.ARM_SMCCC_KVM_FUNC_MEM_UNSHARE);
        assertEquals(0xc6000005, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO);
        assertEquals(0xc6000006, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL);
        assertEquals(0xc6000007, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP);
        assertEquals(0xc6000008, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP);
    }

    @Test
    void kvmErrorFromI64() {
        assertEquals(KvmError.Unit.NotSupported, KvmError.fromI64(-1));
        assertEquals(KvmError.Unit.InvalidParameter, KvmError.fromI64(-3));
        assertEquals(new KvmError.Unknown(-2), KvmError.fromI64(-2));
        assertEquals(new KvmError.Unknown(1), KvmError.fromI64(1));
        assertEquals(KvmError.Unit.NotSupported, KvmError.fromI32(-1));
    }

    @Test
    void successOrError64() {
        assertDoesNotThrow(() -> Smccc.successOrError64(0));
        assertEquals(KvmError.Unit.NotSupported,
                assertThrows(KvmException.class, () -> Smccc.successOrError64(-1)).error());
        // A 32-bit -1 is not -1 as an i64.
        assertEquals(new KvmError.Unknown(0xFFFF_FFFFL),
                assertThrows(KvmException.class, () -> Smccc.successOrError64(0xFFFF_FFFFL)).error());
        assertEquals(new KvmError.Unknown(0x1_0000_0000L),
                assertThrows(KvmException.class, () -> Smccc.successOrError64(0x1_0000_0000L)).error());
    }

    /** success_or_error_32 looks at x0 as u32 as i32: the upper half is ignored, 0xFFFF_FFFF is −1. */
    @Test
    void successOrError32IgnoresTheUpperHalfQuirk() {
        assertDoesNotThrow(() -> Smccc.successOrError32(0x1_0000_0000L));
        assertEquals(KvmError.Unit.NotSupported,
                assertThrows(KvmException.class, () -> Smccc.successOrError32(0xFFFF_FFFFL)).error());
        assertEquals(KvmError.Unit.NotSupported,
                assertThrows(KvmException.class, () -> Smccc.successOrError32(-1)).error());
        assertEquals(KvmError.Unit.InvalidParameter,
                assertThrows(KvmException.class, () -> Smccc.successOrError32(0xFFFF_FFFDL)).error());
        assertEquals(new KvmError.Unknown(2),
                assertThrows(KvmException.class, () -> Smccc.successOrError32(0x7_0000_0002L)).error());
    }

    @Test
    void positiveOrError64() throws KvmException {
        assertEquals(4096, Smccc.positiveOrError64(4096));
        assertEquals(Long.MAX_VALUE, Smccc.positiveOrError64(Long.MAX_VALUE));
        assertEquals(new KvmError.Unknown(Long.MIN_VALUE),
                assertThrows(KvmException.class, () -> Smccc.positiveOrError64(Long.MIN_VALUE)).error());
    }

    @Test
    void kvmErrorDisplayAndDebug() {
        assertEquals("KVM call not supported", KvmError.Unit.NotSupported.display());
        assertEquals("KVM call received non-supported value", KvmError.Unit.InvalidParameter.display());
        assertEquals("Unknown return value from KVM -2 (0xfffffffffffffffe)", new KvmError.Unknown(-2).display());
        assertEquals("Unknown return value from KVM 5 (0x5)", new KvmError.Unknown(5).display());
        assertEquals("Unknown(-2)", new KvmError.Unknown(-2).toString());
        assertEquals("NotSupported", KvmError.Unit.NotSupported.toString());
    }

    @Test
    void hypErrorDisplayAndDebug() {
        assertEquals("MMIO guard is not supported", HypError.Unit.MmioGuardNotsupported.display());
        HypError map = new HypError.Kvm(KvmError.Unit.NotSupported, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP);
        assertEquals("Failed to invoke the HVC function with function ID 3321888775: KVM call not supported",
                map.display());
        assertEquals("KvmError(NotSupported, 3321888775)", map.toString());
        assertEquals("Unsupported MMIO guard granule: 16384",
                new HypError.UnsupportedMmioGuardGranule(16384).display());
        assertEquals("Unsupported Hypervisor UUID 28b46fb6-2ec5-11e9-a9ca-4b564d003a74",
                new HypError.UnsupportedHypervisorUuid(Smccc.KVM_UUID).display());
        assertEquals("MmioGuardNotsupported", HypError.Unit.MmioGuardNotsupported.toString());
        assertEquals("UnsupportedMmioGuardGranule(0)", new HypError.UnsupportedMmioGuardGranule(0).toString());
    }

    /** KVM's UID registers are the Linux ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_n values. */
    @Test
    void kvmUuidRegistersLittleEndian() {
        long[] regs = Smccc.uuidToRegisters(Smccc.KVM_UUID);
        assertEquals(0xb66fb428L, regs[0]);
        assertEquals(0xe911c52eL, regs[1]);
        assertEquals(0x564bcaa9L, regs[2]);
        assertEquals(0x743a004dL, regs[3]);
        assertEquals(Smccc.KVM_UUID, Smccc.uuidFromRegisters(regs[0], regs[1], regs[2], regs[3]));
        UUID gunyah = Smccc.GUNYAH_UUID;
        long[] g = Smccc.uuidToRegisters(gunyah);
        assertEquals(gunyah, Smccc.uuidFromRegisters(g[0] | 0xdead_0000_0000_0000L, g[1], g[2], g[3]));
    }
}
