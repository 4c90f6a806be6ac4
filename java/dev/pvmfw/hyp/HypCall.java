package dev.pvmfw.hyp;

/**
 * One hypercall in a {@link RecordingHypervisor}'s log. The shape is fixed: a Rust recording hypervisor produces the
 * same records for differential tests.
 *
 * @param functionId w0
 * @param argument x1 (the IPA for MAP, UNMAP, SHARE and UNSHARE; 0 when the call takes none)
 * @param x0 the raw x0 returned (injected values included)
 */
public record HypCall(int functionId, long argument, long x0) {

    /** E.g. {@code MMIO_GUARD_MAP(0x9001000) -> 0x0}. */
    @Override
    public String toString() {
        return Smccc.functionName(functionId) + "(0x" + Long.toHexString(argument) + ") -> 0x" + Long.toHexString(x0);
    }
}
