package dev.pvmfw.mmu;

/**
 * What an access asks of a leaf (Arm ARM DDI 0487, D8.4 "Memory access control"): a data read or write, or an
 * instruction fetch, from EL1 (privileged) or EL0 (unprivileged, as {@code AT S1E0R}/{@code AT S1E0W} and {@code LDTR}
 * ask). PSTATE.PAN, SCTLR_EL1.WXN and TCR_EL1.HPDn are taken as 0.
 */
public enum AccessKind {
    /** A load at EL1. */
    READ(false, false, false),
    /** A store at EL1. */
    WRITE(true, false, false),
    /** An instruction fetch at EL1. */
    EXECUTE(false, false, true),
    /** A load at EL0. */
    UNPRIVILEGED_READ(false, true, false),
    /** A store at EL0. */
    UNPRIVILEGED_WRITE(true, true, false),
    /** An instruction fetch at EL0. */
    UNPRIVILEGED_EXECUTE(false, true, true);

    private final boolean write;
    private final boolean unprivileged;
    private final boolean fetch;

    AccessKind(boolean write, boolean unprivileged, boolean fetch) {
        this.write = write;
        this.unprivileged = unprivileged;
        this.fetch = fetch;
    }

    /** A store (WnR = 1 in the syndrome). */
    public boolean isWrite() {
        return write;
    }

    /** From EL0. */
    public boolean isUnprivileged() {
        return unprivileged;
    }

    /** An instruction fetch (an Instruction Abort, not a Data Abort, if it faults). */
    public boolean isInstructionFetch() {
        return fetch;
    }

    /** The data access at EL1 of this direction. */
    public static AccessKind data(boolean write) {
        return write ? WRITE : READ;
    }
}
