package dev.pvmfw.paging;

import java.lang.foreign.MemorySegment;

/**
 * A table handed out by {@link Translation#allocateTable}: the memory and its physical address.
 *
 * @param table 4096 zeroed bytes, 4096-aligned
 * @param pa the physical address written into table descriptors that point at it
 */
public record AllocatedTable(MemorySegment table, PhysicalAddress pa) {}
