package dev.pvmfw.paging;

import java.lang.foreign.MemorySegment;

/**
 * Memory holding translation tables, seen the way an MMU reads it: by physical address, read-only. A live
 * {@link TableArena}, the heap behind an identity or linear map, or a raw image read from a file all present their
 * tables this way, so one walk ({@code dev.pvmfw.mmu.Walker}) serves them all.
 *
 * <p>What lies outside the tables is not this interface's business: {@link #table} answers {@code null} there, and the
 * MMU configuration says what the machine does then (an external abort on the walk, or memory that reads as zero).
 */
public interface PhysicalMemory {

    /**
     * The 4096 bytes of the table at {@code pa}, as a read-only segment, or {@code null} when this memory holds no
     * table there (an address outside it, not 4 KiB-aligned, or a free slot). Never throws for any {@code pa}.
     *
     * @throws MemoryLifetimeException if the memory itself has been released
     */
    MemorySegment table(long pa);
}
