package dev.pvmfw.era;

import java.util.Objects;

/**
 * A memory tracker operation of some era failed: the Java form of {@code Err(MemoryTrackerError)}. The message is
 * the error's Display text. Each era's tracker throws its own subclass, typed with its own error.
 */
public class TrackerException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient TrackerError error;

    /** The exception for {@code error}, with its Display text as the message. */
    public TrackerException(TrackerError error) {
        super(error.display(), null, false, false);
        this.error = Objects.requireNonNull(error);
    }

    /** The variant and its payload. */
    public TrackerError error() {
        return error;
    }
}
