package dev.pvmfw.paging;

/**
 * The memory holding translation tables cannot be used any more, or not from this thread: a Java lifetime error with
 * no Rust counterpart, so <em>not</em> a {@link CratePanic}. Nothing was changed by the call that threw it.
 *
 * <p>Thrown by {@link TableArena}, {@link TableHeap} and the crate-version tables over them, in place of the raw
 * {@link IllegalStateException} or {@link WrongThreadException} the FFM API throws for a closed or confined segment
 * (they are translated only where the memory is known to be gone; any other FFM exception is a bug and propagates).
 */
public final class MemoryLifetimeException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Why the memory cannot be used. */
    public enum Kind {
        /** The arena, heap or table has been closed, or its memory released. */
        CLOSED,
        /** The memory is confined to another thread. */
        WRONG_THREAD,
    }

    /** Why the memory cannot be used. */
    private final Kind kind;

    /** A lifetime error of {@code kind} with {@code message}. */
    public MemoryLifetimeException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** A lifetime error of {@code kind} with {@code message}, in place of {@code cause}, the FFM API's exception. */
    public MemoryLifetimeException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** Why the memory cannot be used. */
    public Kind kind() {
        return kind;
    }
}
