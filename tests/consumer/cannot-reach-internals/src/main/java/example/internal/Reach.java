package example.internal;

import dev.pvmfw.bindings.v0_4_0.PvmfwPagingOracle040;

/** Uses the jextract bindings, which the library does not export: this must not compile. */
public final class Reach {
    private Reach() {}

    /** Anything of the bindings. */
    public static Class<?> bindings() {
        return PvmfwPagingOracle040.class;
    }
}
