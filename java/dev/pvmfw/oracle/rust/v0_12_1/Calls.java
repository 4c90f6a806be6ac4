package dev.pvmfw.oracle.rust.v0_12_1;

import java.util.function.Supplier;

/** Every downcall into the 0.12.1 library goes through {@link #call}, which turns FFM failures into our own. */
final class Calls {
    private Calls() {}

    /**
     * Runs one downcall. jextract wraps a failing invocation's {@code Throwable} in an {@link AssertionError}; a closed
     * or foreign-thread segment throws {@link IllegalStateException} or {@link WrongThreadException}, a denied native
     * access {@link IllegalCallerException}: each becomes an {@link OracleCallException} naming the call.
     *
     * @throws OracleCallException as said
     */
    static <T> T call(String what, Supplier<T> downcall) {
        try {
            return downcall.get();
        } catch (AssertionError | RuntimeException e) {
            throw new OracleCallException(what, e);
        }
    }

    /** {@link #call} of a downcall returning an {@code int}. */
    static int callInt(String what, Supplier<Integer> downcall) {
        return call(what, downcall);
    }
}
