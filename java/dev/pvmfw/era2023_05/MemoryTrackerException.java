package dev.pvmfw.era2023_05;

import java.util.Objects;

/** A {@link MemoryTracker} operation failed: the Java form of {@code Err(MemoryTrackerError)}. Message = Display. */
public final class MemoryTrackerException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient MemoryTrackerError error;

    public MemoryTrackerException(MemoryTrackerError error) {
        super(error.display(), null, false, false);
        this.error = Objects.requireNonNull(error);
    }

    /** The variant and its payload. */
    public MemoryTrackerError error() {
        return error;
    }
}
