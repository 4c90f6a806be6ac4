package dev.pvmfw.paging.v0_12_1;

import java.util.Objects;

/**
 * A {@link MapError} returned by an operation: the Java form of the crate's {@code Err(MapError)}. The message is the
 * error's {@code Display} text.
 */
public final class MapException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient MapError error;

    /** The exception carrying {@code error} (not null), its Display text as the message. */
    public MapException(MapError error) {
        super(error.display(), null, false, false);
        this.error = Objects.requireNonNull(error);
    }

    /** The variant and its payload. */
    public MapError error() {
        return error;
    }
}
