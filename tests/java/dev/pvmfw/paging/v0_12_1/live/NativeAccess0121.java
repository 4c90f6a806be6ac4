package dev.pvmfw.paging.v0_12_1.live;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The one place of the 0.12.1 live tests that performs restricted native operations (loading the oracle library,
 * sizing the pointer an upcall receives), and the one place that explains a missing {@code --enable-native-access}:
 * the test-scope counterpart of {@code dev.pvmfw.oracle.rust.NativeAccess}. The generated bindings' own restricted
 * calls (downcall and upcall handles) only run after {@link #load} has succeeded.
 */
final class NativeAccess0121 {
    /** What to tell a user whose JVM denies native access. */
    static final String ENABLE_FLAG_HINT = "native access is not enabled for the 0.12.1 live tests: run java with "
            + "--enable-native-access=ALL-UNNAMED (class path) or --enable-native-access=dev.pvmfw.paging (module path)";

    private NativeAccess0121() {}

    /** Whether this code may call restricted methods without a warning or an error. */
    static boolean enabled() {
        return NativeAccess0121.class.getModule().isNativeAccessEnabled();
    }

    /**
     * {@code System.load(library)}, so the bindings' loader lookup finds the {@code pvp0121_*} symbols.
     *
     * @throws Oracle0121.Unavailable if native access is denied or the library does not load
     */
    @SuppressWarnings("restricted")
    static void load(Path library) throws Oracle0121.Unavailable {
        if (!enabled()) {
            throw new Oracle0121.Unavailable(ENABLE_FLAG_HINT, null);
        }
        try {
            System.load(library.toAbsolutePath().toString());
        } catch (IllegalCallerException e) {
            throw new Oracle0121.Unavailable(ENABLE_FLAG_HINT, e);
        } catch (UnsatisfiedLinkError e) {
            throw new Oracle0121.Unavailable("cannot load " + library + ": " + e.getMessage(), e);
        }
    }

    /**
     * A pointer an upcall received, as a segment of exactly {@code size} bytes (the bindings type it with
     * {@code C_POINTER}, whose target is {@code Long.MAX_VALUE} bytes).
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
