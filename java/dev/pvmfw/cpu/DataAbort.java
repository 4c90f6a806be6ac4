package dev.pvmfw.cpu;

import dev.pvmfw.mmu.Syndrome;

/**
 * A data abort an access would take ({@link Cpu#dataAbortFor}): what the CPU writes to ESR_EL1 and FAR_EL1.
 *
 * @param esr ESR_EL1
 * @param far FAR_EL1: the VA accessed
 */
public record DataAbort(long esr, long far) {
    /** Every field of the ESR. */
    public Syndrome.Fields fields() {
        return Syndrome.Fields.of(esr);
    }

    @Override
    public String toString() {
        return "esr=0x" + Long.toHexString(esr) + " (" + fields() + ") far=0x" + Long.toHexString(far);
    }
}
