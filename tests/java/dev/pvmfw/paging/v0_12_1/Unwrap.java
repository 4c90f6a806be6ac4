package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.CratePanic;

/**
 * Rust's {@code Result::unwrap()} in the ported tests: an {@code Err} becomes the panic Rust raises, as a
 * {@link CratePanic} with Rust's message ({@code called `Result::unwrap()` on an `Err` value: <Debug of the error>}),
 * so a {@code #[should_panic]} test can assert the exact panic.
 */
public final class Unwrap {
    private Unwrap() {}

    /** An operation returning {@code Result<(), MapError>}. */
    @FunctionalInterface
    public interface MapCall {
        void run() throws MapException;
    }

    /** {@code result.unwrap()} for {@code Result<(), MapError>}. */
    public static void unwrap(MapCall call) {
        try {
            call.run();
        } catch (MapException e) {
            throw new CratePanic("called `Result::unwrap()` on an `Err` value: " + e.error());
        }
    }

    /** {@code result.unwrap()} for {@code Result<(), ()>} (true is {@code Ok(())}). */
    public static void unwrap(boolean ok) {
        if (!ok) {
            throw new CratePanic("called `Result::unwrap()` on an `Err` value: ()");
        }
    }
}
