package dev.pvmfw.hyp;

import java.util.UUID;

/**
 * SMCCC facts pvmfw relies on: the function IDs ({@code b99905d3:libs/hyp/src/hypervisor/kvm.rs}; {@code docs/pvmfw-2023-05.md}, "The hypervisor"; all vendor-hypervisor IDs are fast SMC64 calls of
 * the form {@code 0xC600_00NN}), the register counts of {@code hvc64}, and the return rules of the {@code psci::smccc}
 * crate, generic over the error type and here fixed to {@link KvmError}.
 */
public final class Smccc {
    /** Arguments of {@code hvc64}: x1..x17. */
    public static final int ARG_REGISTERS = 17;
    /** Results of {@code hvc64}: x0..x17. */
    public static final int RETURN_REGISTERS = 18;

    /** {@code ARM_SMCCC_VENDOR_HYP_CALL_UID} (fast, SMC32): w0..w3 hold the UUID, little-endian. */
    public static final int ARM_SMCCC_VENDOR_HYP_CALL_UID = 0x8600_ff01;
    /** {@code ARM_SMCCC_KVM_FUNC_HYP_MEMINFO}: x0 = the memory-protection granule in bytes. */
    public static final int ARM_SMCCC_KVM_FUNC_HYP_MEMINFO = 0xc600_0002;
    /** {@code ARM_SMCCC_KVM_FUNC_MEM_SHARE}(base IPA). */
    public static final int ARM_SMCCC_KVM_FUNC_MEM_SHARE = 0xc600_0003;
    /** {@code ARM_SMCCC_KVM_FUNC_MEM_UNSHARE}(base IPA). */
    public static final int ARM_SMCCC_KVM_FUNC_MEM_UNSHARE = 0xc600_0004;
    /** {@code VENDOR_HYP_KVM_MMIO_GUARD_INFO}: x0 = the MMIO guard granule in bytes. */
    public static final int VENDOR_HYP_KVM_MMIO_GUARD_INFO = 0xc600_0005;
    /** {@code VENDOR_HYP_KVM_MMIO_GUARD_ENROLL}. */
    public static final int VENDOR_HYP_KVM_MMIO_GUARD_ENROLL = 0xc600_0006;
    /** {@code VENDOR_HYP_KVM_MMIO_GUARD_MAP}(4 KiB-aligned IPA). */
    public static final int VENDOR_HYP_KVM_MMIO_GUARD_MAP = 0xc600_0007;
    /** {@code VENDOR_HYP_KVM_MMIO_GUARD_UNMAP}(4 KiB-aligned IPA). */
    public static final int VENDOR_HYP_KVM_MMIO_GUARD_UNMAP = 0xc600_0008;

    /** {@code SMCCC_RET_SUCCESS}. */
    public static final long SUCCESS = 0;
    /** {@code SMCCC_RET_NOT_SUPPORTED}, −1. */
    public static final long NOT_SUPPORTED = -1;
    /** {@code SMCCC_RET_NOT_REQUIRED}, −2. */
    public static final long NOT_REQUIRED = -2;
    /** {@code SMCCC_RET_INVALID_PARAMETER}, −3. */
    public static final long INVALID_PARAMETER = -3;

    /** KVM's Vendor Hyp UID, {@code 28b46fb6-2ec5-11e9-a9ca-4b564d003a74}. */
    public static final UUID KVM_UUID = UUID.fromString("28b46fb6-2ec5-11e9-a9ca-4b564d003a74");
    /** Gunyah's Vendor Hyp UID, {@code c1d58fcd-a453-5fdb-9265-ce36673d5f14}. */
    public static final UUID GUNYAH_UUID = UUID.fromString("c1d58fcd-a453-5fdb-9265-ce36673d5f14");

    private Smccc() {}

    /** The Rust constant name of a function ID, or its hex value if unknown (for logs and tools). */
    public static String functionName(int functionId) {
        return switch (functionId) {
            case ARM_SMCCC_VENDOR_HYP_CALL_UID -> "VENDOR_HYP_CALL_UID";
            case ARM_SMCCC_KVM_FUNC_HYP_MEMINFO -> "HYP_MEMINFO";
            case ARM_SMCCC_KVM_FUNC_MEM_SHARE -> "MEM_SHARE";
            case ARM_SMCCC_KVM_FUNC_MEM_UNSHARE -> "MEM_UNSHARE";
            case VENDOR_HYP_KVM_MMIO_GUARD_INFO -> "MMIO_GUARD_INFO";
            case VENDOR_HYP_KVM_MMIO_GUARD_ENROLL -> "MMIO_GUARD_ENROLL";
            case VENDOR_HYP_KVM_MMIO_GUARD_MAP -> "MMIO_GUARD_MAP";
            case VENDOR_HYP_KVM_MMIO_GUARD_UNMAP -> "MMIO_GUARD_UNMAP";
            default -> "0x" + Integer.toHexString(functionId);
        };
    }

    /** {@code success_or_error_64}: Ok iff {@code x0 as i64 == 0}; otherwise {@link KvmError#fromI64}(x0). */
    public static void successOrError64(long x0) throws KvmException {
        if (x0 != SUCCESS) {
            throw new KvmException(KvmError.fromI64(x0));
        }
    }

    /**
     * {@code success_or_error_32}: on {@code x0 as u32 as i32}, widened to i64: Ok iff the low 32 bits are 0 (so
     * {@code 0x1_0000_0000} counts as success), otherwise {@link KvmError#fromI32} of them ({@code 0xFFFF_FFFF} and
     * {@code -1} are both NotSupported).
     */
    public static void successOrError32(long x0) throws KvmException {
        int value = (int) x0;
        if (value != 0) {
            throw new KvmException(KvmError.fromI32(value));
        }
    }

    /** {@code positive_or_error_64}: Ok(x0) if bit 63 is clear, otherwise {@link KvmError#fromI64}(x0). */
    public static long positiveOrError64(long x0) throws KvmException {
        if (x0 < 0) {
            throw new KvmException(KvmError.fromI64(x0));
        }
        return x0;
    }

    /**
     * The UUID in w0..w3 of a VENDOR_HYP_CALL_UID answer: each register's low 32 bits as a little-endian u32, byte 0
     * of the UUID in the low byte of w0 ({@code Uuid::from_u128_le}).
     */
    public static UUID uuidFromRegisters(long w0, long w1, long w2, long w3) {
        long[] words = {w0, w1, w2, w3};
        byte[] bytes = new byte[16];
        for (int w = 0; w < 4; w++) {
            for (int b = 0; b < 4; b++) {
                bytes[w * 4 + b] = (byte) (words[w] >>> (8 * b));
            }
        }
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = msb << 8 | (bytes[i] & 0xff);
            lsb = lsb << 8 | (bytes[8 + i] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    /** The inverse of {@link #uuidFromRegisters}: w0..w3 for {@code uuid}. */
    public static long[] uuidToRegisters(UUID uuid) {
        long[] regs = new long[4];
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        for (int i = 0; i < 16; i++) {
            long half = i < 8 ? msb : lsb;
            int shift = 8 * (7 - (i % 8));
            long b = (half >>> shift) & 0xff;
            regs[i / 4] |= b << (8 * (i % 4));
        }
        return regs;
    }

    /** x1..x17 with x1 = {@code x1} and the rest 0. */
    public static long[] args(long x1) {
        long[] args = new long[ARG_REGISTERS];
        args[0] = x1;
        return args;
    }
}
