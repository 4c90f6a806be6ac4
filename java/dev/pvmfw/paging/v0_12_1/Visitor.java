package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.MemoryRegion;

/**
 * A {@code walk_range} callback ({@code F: FnMut(&MemoryRegion, &Descriptor<A>, usize) -> Result<(), ()>}): called
 * on each leaf the range touches, with the part of the request the leaf covers (clipped, never widened), the entry
 * and its level. {@code walk_range} never splits or writes.
 *
 * <p>Return {@code true} for {@code Ok(())}, {@code false} for {@code Err(())}: the walk then stops with
 * {@link MapError.PteUpdateFault} carrying the entry's bits. Exceptions are treated as an {@link Updater}'s: a
 * {@link dev.pvmfw.paging.UpdaterException} wraps any but a panic or a lifetime error.
 *
 * @param <A> the attribute type
 */
@FunctionalInterface
public interface Visitor<A extends PagingAttributes<A>> {
    /**
     * Called on one leaf with the clipped range, the entry and its level; {@code true} is {@code Ok(())}, {@code false}
     * is {@code Err(())}.
     */
    boolean visit(MemoryRegion range, Descriptor<A> descriptor, int level);
}
