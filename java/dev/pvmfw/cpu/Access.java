package dev.pvmfw.cpu;

/** A data access: a load or a store (WnR = 0 or 1 in the syndrome). */
public enum Access {
    /** A load: WnR = 0. */
    READ,
    /** A store: WnR = 1. */
    WRITE;

    /** Whether this is a store ({@link #WRITE}). */
    public boolean isWrite() {
        return this == WRITE;
    }
}
