package dev.pvmfw.paging.v0_4_0;

import dev.pvmfw.paging.MemoryRegion;

/**
 * A page-table entry updater ({@code paging::PteUpdater}), called by {@code modifyRange} on every entry the range
 * touches (0.4.0: table descriptors included, parent before children).
 *
 * <p>Arguments: the <em>whole</em> VA range the entry covers (the chunk aligned out to the entry's granule, so it may
 * be larger than the range asked for); the entry, which the updater may change in place; the level (0..3).
 *
 * <p>Return {@code true} for {@code Ok(())} to go on, {@code false} for {@code Err(())} to stop: {@code modifyRange}
 * then fails with {@link MapError.PteUpdateFault} carrying the entry as the updater left it. A {@link dev.pvmfw.paging.CratePanic}
 * thrown by the updater (the Java form of a Rust panic) propagates unchanged, and so does a
 * {@link dev.pvmfw.paging.MemoryLifetimeException}; any other exception comes out of {@code modifyRange} wrapped in an
 * {@link dev.pvmfw.paging.UpdaterException} naming the call it broke. Either way entries changed before stay changed.
 */
@FunctionalInterface
public interface PteUpdater {
    /**
     * Called on {@code entry}, which covers {@code range} at {@code level}: true to go on ({@code Ok(())}), false to
     * stop ({@code Err(())}).
     */
    boolean update(MemoryRegion range, Descriptor entry, int level);
}
