package dev.pvmfw.oracle.rust.v0_12_1;

/**
 * A call into the 0.12.1 oracle library failed on the FFM side — a closed or foreign-thread segment, a linkage
 * failure, a denied native access — never a crate outcome (those are in the call's {@code PvpResult}). It names the
 * call and carries the FFM exception as its cause. A bug of the harness, not of either engine.
 */
public final class OracleCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The call {@code what} failed with {@code cause}. */
    public OracleCallException(String what, Throwable cause) {
        super("the 0.12.1 oracle call " + what + " failed: " + cause, cause);
    }
}
