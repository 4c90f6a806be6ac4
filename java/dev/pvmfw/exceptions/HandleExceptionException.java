package dev.pvmfw.exceptions;

import java.util.Objects;

/** {@code Err(HandleExceptionError)} from {@link ExceptionHandler#handleException}. Message = Display. */
public final class HandleExceptionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient HandleExceptionError error;

    public HandleExceptionException(HandleExceptionError error) {
        super(error.display(), null, false, false);
        this.error = Objects.requireNonNull(error);
    }

    public HandleExceptionError error() {
        return error;
    }
}
