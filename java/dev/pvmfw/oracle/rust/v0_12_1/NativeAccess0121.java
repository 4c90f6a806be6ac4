package dev.pvmfw.oracle.rust.v0_12_1;

import dev.pvmfw.oracle.rust.OracleUnavailableException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The one place that performs restricted native operations for the 0.12.1 oracle library (loading it, sizing the
 * pointer an updater upcall receives), and the one place that explains a missing {@code --enable-native-access}:
 * without it the JVM refuses {@code System.load} of a library from a module not granted native access (or warns, and
 * later releases refuse), so the oracle is reported unavailable with the flag to add. The generated bindings' own
 * restricted calls (downcall and upcall handles) only run after {@link #load} has succeeded.
 */
final class NativeAccess0121 {
    /** What to tell a user whose JVM denies native access. */
    static final String ENABLE_FLAG_HINT = "native access is not enabled for pvmfw-paging's 0.12.1 oracle: run java "
            + "with --enable-native-access=ALL-UNNAMED (class path) or --enable-native-access=dev.pvmfw.paging "
            + "(module path)";

    private NativeAccess0121() {}

    /** Whether this module may call restricted methods without a warning or an error. */
    static boolean enabled() {
        return NativeAccess0121.class.getModule().isNativeAccessEnabled();
    }

    /**
     * {@code System.load(library)}, so the bindings' loader lookup finds the {@code pvp0121_*} symbols.
     *
     * @throws OracleUnavailableException if native access is denied or the library does not load
     */
    @SuppressWarnings("restricted")
    static void load(Path library) throws OracleUnavailableException {
        if (!enabled()) {
            throw new OracleUnavailableException(ENABLE_FLAG_HINT);
        }
        try {
            System.load(library.toAbsolutePath().toString());
        } catch (IllegalCallerException e) {
            throw new OracleUnavailableException(ENABLE_FLAG_HINT, e);
        } catch (UnsatisfiedLinkError e) {
            throw new OracleUnavailableException("cannot load " + library + ": " + e.getMessage(), e);
        }
    }

    /**
     * A pointer an upcall received, as a segment of exactly {@code size} bytes (the bindings type it with
     * {@code C_POINTER}, whose target is {@code Long.MAX_VALUE} bytes, so nothing past the struct can be written).
     *
     * @throws IllegalArgumentException if {@code pointer} is NULL
     */
    @SuppressWarnings("restricted")
    static MemorySegment sized(MemorySegment pointer, long size) {
        if (pointer.address() == 0) {
            throw new IllegalArgumentException("the library passed a NULL pointer");
        }
        return pointer.reinterpret(size);
    }
}
