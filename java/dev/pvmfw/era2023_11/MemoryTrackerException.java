package dev.pvmfw.era2023_11;

import dev.pvmfw.era.TrackerException;

/** A {@link MemoryTracker} operation failed: the Java form of {@code Err(MemoryTrackerError)}. Message = Display. */
public final class MemoryTrackerException extends TrackerException {
    private static final long serialVersionUID = 1L;

    /** The exception for {@code error}, with its Display text as the message. */
    public MemoryTrackerException(MemoryTrackerError error) {
        super(error);
    }

    /** The variant and its payload. */
    @Override
    public MemoryTrackerError error() {
        return (MemoryTrackerError) super.error();
    }
}
