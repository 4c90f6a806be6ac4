package dev.pvmfw.era2023_11;

/** vmbase's {@code MemoryType} of a tracked RAM region. */
public enum MemoryType {
    /** Mapped RODATA. */
    READ_ONLY,
    /** Mapped DATA_DBM (writable once dirty). */
    READ_WRITE,
}
