package dev.pvmfw.oracle.rust;

/** The Rust oracle library cannot be used here; the message says why and what to do. */
public final class OracleUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The oracle is unavailable; {@code message} says why and what to do. */
    public OracleUnavailableException(String message) {
        super(message);
    }

    /** The oracle is unavailable because of {@code cause} (a failed load, say); {@code message} says what to do. */
    public OracleUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
