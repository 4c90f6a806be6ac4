package dev.pvmfw.era2024_05;

import dev.pvmfw.era.MemoryRange;
import java.util.Objects;

/**
 * vmbase's {@code MemoryRegion { range, mem_type }}: a tracked RAM region.
 *
 * @param range the addresses
 * @param type read-only or read-write
 */
public record TrackedRegion(MemoryRange range, MemoryType type) {
    /** A region; neither may be null. */
    public TrackedRegion {
        Objects.requireNonNull(range);
        Objects.requireNonNull(type);
    }
}
