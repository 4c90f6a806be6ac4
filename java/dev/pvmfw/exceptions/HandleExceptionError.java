package dev.pvmfw.exceptions;

import dev.pvmfw.era.TrackerError;
import java.util.Objects;

/**
 * pvmfw's {@code HandleExceptionError}, the same at {@code b99905d3:pvmfw/src/exceptions.rs} and
 * {@code 758d65de:vmbase/src/exceptions.rs}, in declaration order: PageTableUnavailable, PageTableNotInitialized,
 * InternalError(MemoryTrackerError), UnknownException.
 *
 * <p>A Rust enum in Java: the unit variants are {@link Unit} (named as in Rust), the payload variant a record;
 * {@link #display()} is the Rust {@code Display} text and {@code toString()} the derived {@code Debug} text.
 */
public sealed interface HandleExceptionError {

    /** The variants without a payload. */
    enum Unit implements HandleExceptionError {
        /** The tracker lock was held when the fault came. */
        PageTableUnavailable,
        /** No tracker installed yet. */
        PageTableNotInitialized,
        /** Anything but a translation fault. */
        UnknownException,
    }

    /**
     * The tracker's fault handler failed.
     *
     * @param error the era's {@code MemoryTrackerError}
     */
    record InternalError(TrackerError error) implements HandleExceptionError {
        /** The variant; error must not be null. */
        public InternalError {
            Objects.requireNonNull(error);
        }

        @Override
        public String toString() {
            return "InternalError(" + error + ")";
        }
    }

    /** The Rust {@code Display} text. */
    default String display() {
        return switch (this) {
            case Unit u -> switch (u) {
                case PageTableUnavailable -> "Page table is not available.";
                case PageTableNotInitialized -> "Page table is not initialized.";
                case UnknownException -> "An unknown exception occurred, not handled.";
            };
            case InternalError e -> "Error while updating page table: " + e.error().display();
        };
    }
}
