package dev.pvmfw.oracle.rust;

/** The Rust oracle library cannot be used here; the message says why and what to do. */
public final class OracleUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public OracleUnavailableException(String message) {
        super(message);
    }

    public OracleUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
