package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.UpdaterException;

/**
 * The one place where 0.12.1 calls a user's callback ({@link Updater}, {@link Visitor}), as 0.4.0's
 * {@code PageTableWithLevel.update} does: a {@link CratePanic} (a Rust panic in the callback, which unwinds unchanged)
 * and a {@link MemoryLifetimeException} propagate unchanged; any other exception is wrapped in an
 * {@link UpdaterException} naming the call (its range, level and the descriptor before it).
 */
final class Callbacks {
    private Callbacks() {}

    /** {@code updater.update(range, descriptor)}, wrapped as the class says; {@code before} is the bits before. */
    static <A extends PagingAttributes<A>> boolean update(Updater<A> updater, MemoryRegion range,
            UpdatableDescriptor<A> descriptor, int level, long before) {
        try {
            return updater.update(range, descriptor);
        } catch (CratePanic | MemoryLifetimeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UpdaterException(range, level, before, e);
        }
    }

    /** {@code visitor.visit(range, descriptor, level)}, wrapped as the class says. */
    static <A extends PagingAttributes<A>> boolean visit(Visitor<A> visitor, MemoryRegion range,
            Descriptor<A> descriptor, int level) {
        try {
            return visitor.visit(range, descriptor, level);
        } catch (CratePanic | MemoryLifetimeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UpdaterException(range, level, descriptor.bits(), e);
        }
    }
}
