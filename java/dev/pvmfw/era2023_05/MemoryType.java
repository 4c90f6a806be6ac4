package dev.pvmfw.era2023_05;

/** pvmfw's {@code MemoryType} of a tracked RAM region: mapped RODATA or DATA. Declaration order as in Rust. */
public enum MemoryType {
    /** From {@link MemoryTracker#allocRange}: mapped RODATA. */
    READ_ONLY,
    /** From {@link MemoryTracker#allocRangeMut}: mapped DATA (this era), flushed on drop. */
    READ_WRITE,
}
