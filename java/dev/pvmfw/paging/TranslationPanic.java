package dev.pvmfw.paging;

/**
 * A panic of a {@link Translation}: the memory that holds the tables cannot do what the crate asked. The crate's
 * {@code Translation::allocate_table} cannot fail, so a full arena panics, as does a PA that holds no table or a free
 * of something that is not a table; the Rust oracle's arena panics with the same kind and message, and reports both.
 *
 * <p>A crate panic like any other ({@link CratePanic}): what the crate was doing stops where it was, with whatever it
 * had written by then (each operation documents that state).
 */
public final class TranslationPanic extends CratePanic {
    private static final long serialVersionUID = 1L;

    /** What the translation could not do. */
    public enum Kind {
        /** Every slot of a fixed-size arena is in use. */
        EXHAUSTED,
        /** A physical address at which the translation holds no table (outside the arena, unaligned, or free). */
        BAD_ADDRESS,
        /** A table freed twice, or memory the translation never handed out. */
        BAD_FREE,
    }

    /** What the translation could not do. */
    private final Kind kind;

    /** A translation panic of {@code kind} with the panic's exact {@code message}. */
    public TranslationPanic(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** What the translation could not do. */
    public Kind kind() {
        return kind;
    }
}
