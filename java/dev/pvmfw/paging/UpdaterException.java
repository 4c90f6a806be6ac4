package dev.pvmfw.paging;

import java.util.Objects;

/**
 * An updater (a {@code modify_range} callback) threw an exception that is neither a {@link CratePanic} (a Rust
 * panic in the callback, which unwinds unchanged, as in Rust) nor a {@link MemoryLifetimeException}: a Java failure
 * with no Rust counterpart. It says which call broke — the range and level the updater was called for, and the
 * descriptor as it was before the call — and carries the updater's exception as its cause. Entries the walk changed
 * before stay changed (the crate has no rollback); nothing after that entry was visited.
 */
public final class UpdaterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The range the updater was called with. */
    private final transient MemoryRegion range;
    /** The level of the entry. */
    private final int level;
    /** The descriptor before the call. */
    private final long descriptor;

    /**
     * The updater called for {@code range} at {@code level} on {@code descriptor} threw {@code cause}.
     *
     * @throws NullPointerException if {@code range} or {@code cause} is null
     */
    public UpdaterException(MemoryRegion range, int level, long descriptor, RuntimeException cause) {
        super("the updater threw " + Objects.requireNonNull(cause).getClass().getName()
                + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")") + " for "
                + Objects.requireNonNull(range) + " at level " + level + ", descriptor 0x"
                + Long.toHexString(descriptor), cause);
        this.range = range;
        this.level = level;
        this.descriptor = descriptor;
    }

    /** The range the updater was called with (the chunk aligned out to the entry's granule). */
    public MemoryRegion range() {
        return range;
    }

    /** The level of the entry the updater was called for. */
    public int level() {
        return level;
    }

    /** The descriptor as it was before the call. */
    public long descriptor() {
        return descriptor;
    }
}
