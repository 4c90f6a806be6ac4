package dev.pvmfw.era2023_05;

import dev.pvmfw.era.MemoryRange;

import java.util.Objects;

/**
 * pvmfw's (private) {@code MemoryRegion { range, mem_type }}: one tracked RAM region.
 *
 * @param range the range as allocated (not rounded)
 * @param type how it was mapped
 */
public record TrackedRegion(MemoryRange range, MemoryType type) {
    /** A tracked region; neither may be null. */
    public TrackedRegion {
        Objects.requireNonNull(range);
        Objects.requireNonNull(type);
    }
}
