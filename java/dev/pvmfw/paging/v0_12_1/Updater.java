package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.MemoryRegion;

/**
 * A {@code modify_range} callback ({@code F: Fn(&MemoryRegion, &mut UpdatableDescriptor<A>) -> Result<(), ()>}).
 * It is called on <em>leaves</em> only — blocks, pages and invalid entries, at any level — each with its whole range
 * (the crate splits an entry the range covers only in part before calling back), in ascending VA order; on an active
 * mapping it is also called first on a dry-run copy of each leaf with the unsplit level and the chunk of the request
 * ({@code docs/aarch64-paging-0.12.1.md}, "Break-before-make").
 *
 * <p>Return {@code true} for {@code Ok(())}, {@code false} for {@code Err(())}: the call then stops with
 * {@link MapError.PteUpdateFault} (the real pass) or {@link MapError.BreakBeforeMakeViolation} (the dry run).
 * Entries changed before stay changed. A {@link dev.pvmfw.paging.CratePanic} the updater throws (a Rust panic) and a
 * {@link dev.pvmfw.paging.MemoryLifetimeException} propagate unchanged; any other exception is wrapped in a
 * {@link dev.pvmfw.paging.UpdaterException} naming the call, as in 0.4.0.
 *
 * @param <A> the attribute type
 */
@FunctionalInterface
public interface Updater<A extends PagingAttributes<A>> {
    /** Called on one leaf with its range; {@code true} is {@code Ok(())}, {@code false} is {@code Err(())}. */
    boolean update(MemoryRegion range, UpdatableDescriptor<A> descriptor);
}
