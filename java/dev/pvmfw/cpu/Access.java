package dev.pvmfw.cpu;

/** A data access: a load or a store (WnR = 0 or 1 in the syndrome). */
public enum Access {
    READ,
    WRITE;

    public boolean isWrite() {
        return this == WRITE;
    }
}
