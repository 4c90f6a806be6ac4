package dev.pvmfw.era2023_05;

import dev.pvmfw.hyp.KvmError;
import dev.pvmfw.hyp.KvmException;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.hyp.SmcccConduit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libhyp's KVM backend (pKVM), over a raw {@link SmcccConduit}, as at the lazy-MMIO change (2023-05).
 *
 * <ul>
 *   <li>{@link #mmioGuardInit}: ENROLL (NOT_SUPPORTED → {@link HypError.Unit#MmioGuardNotsupported}, other errors →
 *       {@code KvmError(e, ENROLL)}), then INFO ({@code positive_or_error_64}); a granule other than 4096 →
 *       {@link HypError.UnsupportedMmioGuardGranule}.</li>
 *   <li>{@link #mmioGuardMap} / {@link #mmioGuardUnmap}: the argument is {@code addr & ~0xfff} (libhyp's
 *       {@code page_address}).</li>
 *   <li>MEM_SHARE / MEM_UNSHARE: {@code success_or_error_64}; the IPA is passed as is. MEMINFO:
 *       {@code positive_or_error_64}.</li>
 *   <li>Every error names the function ID called: {@code KvmError(e, function_id)}.</li>
 * </ul>
 *
 * <p><b>Android 13 compatibility</b> ({@code compatAndroid13}, default on, as every libhyp from 2023-04 to 2024-04
 * behaved; from AOSP {@code 06c57028} (2024-04) it is the crate feature {@code compat_android_13}):
 * <ul>
 *   <li>MAP uses {@code success_or_error_32} (bug 277859415: Android 13 pKVM returns an i32), so only the low 32 bits
 *       of x0 count: {@code 0x1_0000_0000} is success and {@code 0xFFFF_FFFF} is NotSupported;</li>
 *   <li>UNMAP treats {@code Err(NotSupported)} as Ok (bug 277860860: Android 13 pKVM returns NOT_SUPPORTED on
 *       success).</li>
 * </ul>
 * With it off, MAP and UNMAP use the strict {@code success_or_error_64}, as libhyp without the feature does.
 */
public final class KvmHypervisor implements Hypervisor {
    private static final Logger LOG = LoggerFactory.getLogger(KvmHypervisor.class);
    /** The only MMIO guard granule this era accepts. */
    public static final long MMIO_GUARD_GRANULE = 4096;

    private final SmcccConduit conduit;
    private final boolean compatAndroid13;

    /** With the Android 13 compatibility on (the b99905d3 behaviour). */
    public KvmHypervisor(SmcccConduit conduit) {
        this(conduit, true);
    }

    /** The backend over {@code conduit}, with the Android 13 compatibility on or off ({@code compatAndroid13}). */
    public KvmHypervisor(SmcccConduit conduit, boolean compatAndroid13) {
        this.conduit = java.util.Objects.requireNonNull(conduit);
        this.compatAndroid13 = compatAndroid13;
    }

    /** Whether the Android 13 compatibility is on (in later libhyp, the crate feature {@code compat_android_13}). */
    public boolean compatAndroid13() {
        return compatAndroid13;
    }

    /** The conduit every call goes through. */
    public SmcccConduit conduit() {
        return conduit;
    }

    @Override
    public void mmioGuardInit() throws HypException {
        mmioGuardEnroll();
        long granule = mmioGuardInfo();
        if (granule != MMIO_GUARD_GRANULE) {
            throw new HypException(new HypError.UnsupportedMmioGuardGranule(granule));
        }
    }

    /** MMIO_GUARD_ENROLL. */
    public void mmioGuardEnroll() throws HypException {
        long x0 = call(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL, 0);
        try {
            Smccc.successOrError64(x0);
        } catch (KvmException e) {
            if (e.error() == KvmError.Unit.NotSupported) {
                throw new HypException(HypError.Unit.MmioGuardNotsupported);
            }
            throw kvm(e, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL);
        }
    }

    /** MMIO_GUARD_INFO: the granule in bytes. */
    public long mmioGuardInfo() throws HypException {
        return checkedPositive(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO, 0);
    }

    @Override
    public void mmioGuardMap(long addr) throws HypException {
        long x0 = call(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, pageAddress(addr));
        try {
            if (compatAndroid13) {
                Smccc.successOrError32(x0);
            } else {
                Smccc.successOrError64(x0);
            }
        } catch (KvmException e) {
            throw kvm(e, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP);
        }
    }

    @Override
    public void mmioGuardUnmap(long addr) throws HypException {
        long x0 = call(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP, pageAddress(addr));
        try {
            Smccc.successOrError64(x0);
        } catch (KvmException e) {
            if (compatAndroid13 && e.error() == KvmError.Unit.NotSupported) {
                LOG.trace("MMIO_GUARD_UNMAP({}) returned NOT_SUPPORTED: counted as success (Android 13 compat)",
                        Long.toHexString(pageAddress(addr)));
                return;
            }
            throw kvm(e, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP);
        }
    }

    @Override
    public void memShare(long baseIpa) throws HypException {
        checkedZero(Smccc.ARM_SMCCC_KVM_FUNC_MEM_SHARE, baseIpa);
    }

    @Override
    public void memUnshare(long baseIpa) throws HypException {
        checkedZero(Smccc.ARM_SMCCC_KVM_FUNC_MEM_UNSHARE, baseIpa);
    }

    @Override
    public long memoryProtectionGranule() throws HypException {
        return checkedPositive(Smccc.ARM_SMCCC_KVM_FUNC_HYP_MEMINFO, 0);
    }

    /** libhyp {@code page_address}: {@code addr & ~(4096 - 1)}. */
    public static long pageAddress(long addr) {
        return addr & ~0xfffL;
    }

    private void checkedZero(int function, long x1) throws HypException {
        try {
            Smccc.successOrError64(call(function, x1));
        } catch (KvmException e) {
            throw kvm(e, function);
        }
    }

    private long checkedPositive(int function, long x1) throws HypException {
        try {
            return Smccc.positiveOrError64(call(function, x1));
        } catch (KvmException e) {
            throw kvm(e, function);
        }
    }

    private long call(int function, long x1) {
        long[] ret = conduit.hvc64(function, Smccc.args(x1));
        if (ret == null || ret.length == 0) {
            throw new IllegalStateException("hvc64 conduit returned no registers for " + Smccc.functionName(function));
        }
        return ret[0];
    }

    private static HypException kvm(KvmException e, int function) {
        return new HypException(new HypError.Kvm(e.error(), function));
    }
}
