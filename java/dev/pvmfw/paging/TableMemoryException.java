package dev.pvmfw.paging;

/**
 * A failure of the memory that holds the tables, reported by a {@link Translation} or by {@link RootTable} itself.
 * Each has a {@link Kind}. In Rust these are panics of the translation ({@code allocate_table} cannot fail, so the
 * arena panics when full); the oracle reports them with the same kind and message.
 */
public final class TableMemoryException extends CratePanic {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** Every slot of a fixed-size arena is in use. */
        EXHAUSTED,
        /** A physical address the translation does not hold a table at (outside the arena, unaligned, or free). */
        BAD_ADDRESS,
        /** A table freed twice, or memory the translation never handed out. */
        BAD_FREE,
        /** The table's memory has been released: the arena or the root table was closed. */
        CLOSED,
        /** The memory is confined to another thread. */
        WRONG_THREAD,
    }

    private final Kind kind;

    public TableMemoryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public TableMemoryException(Kind kind, String message, Throwable cause) {
        this(kind, message);
        initCause(cause);
    }

    public Kind kind() {
        return kind;
    }
}
