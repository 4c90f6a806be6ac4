package dev.pvmfw.era2023_11;

import dev.pvmfw.hyp.KvmError;
import dev.pvmfw.hyp.KvmException;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.hyp.SmcccConduit;
import java.util.Objects;
import java.util.Optional;

/**
 * libhyp's {@code ProtectedKvmHypervisor} at {@code 28e439f4:libs/hyp/src/hypervisor/kvm.rs}: pKVM, with an MMIO guard
 * and memory sharing, over a raw {@link SmcccConduit}. MAP and UNMAP take {@code page_address(addr)}
 * ({@code addr & ~0xfff}). The Android 13 workarounds are unconditional in this era (a crate feature only from
 * {@code 06c57028}, 2024-04): MAP reads its result as an i32 ({@code success_or_error_32}, bug 277859415); UNMAP
 * counts NOT_SUPPORTED as success (bug 277860860). ENROLL: NOT_SUPPORTED → MmioGuardNotSupported. INFO and MEMINFO:
 * {@code positive_or_error_64}; SHARE and UNSHARE: {@code success_or_error_64}. Every other error is
 * {@code KvmError(e, function_id)}.
 */
public final class ProtectedKvmHypervisor implements Hypervisor, MmioGuardedHypervisor {
    private final SmcccConduit conduit;

    /** pKVM over {@code conduit}. */
    public ProtectedKvmHypervisor(SmcccConduit conduit) {
        this.conduit = Objects.requireNonNull(conduit);
    }

    @Override
    public Optional<MmioGuardedHypervisor> asMmioGuard() {
        return Optional.of(this);
    }

    /**
     * {@inheritDoc} Its {@code granule()} is HYP_MEMINFO (Rust has two {@code granule} methods on one type, one per
     * trait; Java needs a second object).
     */
    @Override
    public Optional<MemSharingHypervisor> asMemSharer() {
        return Optional.of(new MemSharingHypervisor() {
            @Override
            public void share(long baseIpa) throws HypException {
                zero(Smccc.ARM_SMCCC_KVM_FUNC_MEM_SHARE, baseIpa);
            }

            @Override
            public void unshare(long baseIpa) throws HypException {
                zero(Smccc.ARM_SMCCC_KVM_FUNC_MEM_UNSHARE, baseIpa);
            }

            @Override
            public long granule() throws HypException {
                return positive(Smccc.ARM_SMCCC_KVM_FUNC_HYP_MEMINFO, 0);
            }
        });
    }

    @Override
    public void enroll() throws HypException {
        long x0 = call(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL, 0);
        try {
            Smccc.successOrError64(x0);
        } catch (KvmException e) {
            if (e.error() == KvmError.Unit.NotSupported) {
                throw new HypException(HypError.Unit.MmioGuardNotSupported);
            }
            throw kvm(e, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_ENROLL);
        }
    }

    @Override
    public void map(long addr) throws HypException {
        long x0 = call(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, addr & ~0xfffL);
        try {
            Smccc.successOrError32(x0);
        } catch (KvmException e) {
            throw kvm(e, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP);
        }
    }

    @Override
    public void unmap(long addr) throws HypException {
        long x0 = call(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP, addr & ~0xfffL);
        try {
            Smccc.successOrError64(x0);
        } catch (KvmException e) {
            if (e.error() != KvmError.Unit.NotSupported) {
                throw kvm(e, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP);
            }
        }
    }

    /** {@inheritDoc} MMIO_GUARD_INFO. */
    @Override
    public long granule() throws HypException {
        return positive(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_INFO, 0);
    }

    private void zero(int function, long x1) throws HypException {
        try {
            Smccc.successOrError64(call(function, x1));
        } catch (KvmException e) {
            throw kvm(e, function);
        }
    }

    private long positive(int function, long x1) throws HypException {
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
