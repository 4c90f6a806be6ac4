package dev.pvmfw.exceptions;

import dev.pvmfw.era2023_05.MemoryTrackerError;
import java.util.Objects;

/**
 * pvmfw's {@code HandleExceptionError} at {@code b99905d3}, in declaration order, with the exact Display text
 * ({@link #display()}) and the derived Debug text ({@link #toString()}).
 */
public sealed interface HandleExceptionError {

    String display();

    /** Position in the Rust declaration (0..3). */
    int ordinal();

    /** The tracker lock was held when the fault came: "Page table is not available.". */
    record PageTableUnavailable() implements HandleExceptionError {
        public static final PageTableUnavailable INSTANCE = new PageTableUnavailable();

        @Override
        public String display() {
            return "Page table is not available.";
        }

        @Override
        public int ordinal() {
            return 0;
        }

        @Override
        public String toString() {
            return "PageTableUnavailable";
        }
    }

    /** No tracker installed yet: "Page table is not initialized.". */
    record PageTableNotInitialized() implements HandleExceptionError {
        public static final PageTableNotInitialized INSTANCE = new PageTableNotInitialized();

        @Override
        public String display() {
            return "Page table is not initialized.";
        }

        @Override
        public int ordinal() {
            return 1;
        }

        @Override
        public String toString() {
            return "PageTableNotInitialized";
        }
    }

    /**
     * The tracker's fault handler failed: "Error while updating page table: {e}".
     *
     * @param error the tracker's error
     */
    record InternalError(MemoryTrackerError error) implements HandleExceptionError {
        public InternalError {
            Objects.requireNonNull(error);
        }

        @Override
        public String display() {
            return "Error while updating page table: " + error.display();
        }

        @Override
        public int ordinal() {
            return 2;
        }

        @Override
        public String toString() {
            return "InternalError(" + error + ")";
        }
    }

    /** Anything but a translation fault: "An unknown exception occurred, not handled.". */
    record UnknownException() implements HandleExceptionError {
        public static final UnknownException INSTANCE = new UnknownException();

        @Override
        public String display() {
            return "An unknown exception occurred, not handled.";
        }

        @Override
        public int ordinal() {
            return 3;
        }

        @Override
        public String toString() {
            return "UnknownException";
        }
    }
}
