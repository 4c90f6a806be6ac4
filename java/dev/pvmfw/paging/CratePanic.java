package dev.pvmfw.paging;

/**
 * Where the Rust code this library reproduces panics — aarch64-paging 0.4.0, its translations, or pvmfw (see
 * {@code dev.pvmfw.era.InvariantViolation}) — this library throws a {@code CratePanic} with the exact panic message,
 * e.g. {@code Invalid root table level 4.}. Every operation that can do so says so in its documentation. The Rust
 * oracle catches the same panics at its boundary and reports the message, so both sides compare.
 */
public class CratePanic extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A panic with the Rust panic's exact {@code message}. */
    public CratePanic(String message) {
        super(message);
    }
}
