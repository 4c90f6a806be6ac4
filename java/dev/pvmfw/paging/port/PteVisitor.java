package dev.pvmfw.paging.port;

import dev.pvmfw.paging.MemoryRegion;

/**
 * A callback of {@link MmuOps#modifyRange}, written once for every crate version: the crate-neutral form of the
 * crate's {@code PteUpdater} (0.4.0) or {@code modify_range} closure (later releases).
 */
@FunctionalInterface
public interface PteVisitor {

    /**
     * One entry.
     *
     * @param range the whole VA range the entry covers
     * @param pte the entry, which the visitor may change through {@link Pte#modifyFlags}
     * @return true for {@code Ok(())} (go on), false for {@code Err(())} (the call stops with PteUpdateFault)
     */
    boolean visit(MemoryRegion range, Pte pte);
}
