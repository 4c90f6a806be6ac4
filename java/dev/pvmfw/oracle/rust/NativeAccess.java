package dev.pvmfw.oracle.rust;

import java.nio.file.Path;

/**
 * The one place that performs restricted native operations (loading the oracle library), and the one place that
 * explains a missing {@code --enable-native-access}. The generated bindings' own restricted calls (downcall and upcall
 * handles) only run after {@link #load} has succeeded.
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
