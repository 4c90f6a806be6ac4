package dev.pvmfw.exceptions;

import java.util.Objects;

/** {@code Err(HandleExceptionError)} from {@link ExceptionHandler#handleException}. Message = Display. */
public final class HandleExceptionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient HandleExceptionError error;

    /** The exception for {@code error}, with its Display text as the message. */
    public HandleExceptionException(HandleExceptionError error) {
        super(error.display(), null, false, false);
        this.error = Objects.requireNonNull(error);
    }

    /** The handler's error. */
    public HandleExceptionError error() {
        return error;
    }
}
