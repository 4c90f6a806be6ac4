package dev.pvmfw.oracle.rust;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The one place that performs restricted native operations (loading the oracle library, sizing the pointers an upcall
 * receives), and the one place that explains a missing {@code --enable-native-access}. The generated bindings' own
 * restricted calls (downcall and upcall handles) only run after {@link #load} has succeeded.
 */
final class NativeAccess {
    /** What to tell a user whose JVM denies native access. */
    static final String ENABLE_FLAG_HINT = "native access is not enabled for pvmfw-paging: run java with "
            + "--enable-native-access=ALL-UNNAMED (class path) or --enable-native-access=dev.pvmfw.paging (module path)";

    private NativeAccess() {}

    /** Whether this module may call restricted methods without a warning or an error. */
    static boolean enabled() {
        return NativeAccess.class.getModule().isNativeAccessEnabled();
    }

    /**
     * A pointer an upcall received, as a segment of exactly {@code size} bytes: the size of what the ABI says it points
     * to. The bindings type every pointer argument with {@code C_POINTER}, whose target is {@code Long.MAX_VALUE} bytes,
     * so without this a bug could write past the struct into the library's stack without an exception. Only called from
     * an upcall, which exists only once {@link #load} has succeeded.
     *
     * @throws IllegalArgumentException if {@code pointer} is NULL or {@code size} is negative
     */
    @SuppressWarnings("restricted")
    static MemorySegment sized(MemorySegment pointer, long size) {
        if (pointer.address() == 0) {
            throw new IllegalArgumentException("the library passed a NULL pointer");
        }
        return pointer.reinterpret(size);
    }

    /**
     * {@code System.load(library)}, so the bindings' loader lookup finds the {@code pvp040_*} symbols.
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
}
