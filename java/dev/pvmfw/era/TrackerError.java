package dev.pvmfw.era;

/**
 * A {@code MemoryTrackerError} of some pvmfw era (each era has its own variant set), as the parts every era shares
 * see it: its Rust {@code Display} text ({@link #display()}) and derived {@code Debug} text ({@code toString()}).
 */
public interface TrackerError {

    /** The Rust {@code Display} text. */
    String display();
}
