package dev.pvmfw.testing;

import dev.pvmfw.oracle.rust.OracleLibrary;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Gate for tests that need the Rust oracle library: skipped with the reason when it is absent, unless
 * {@code -Dpvmfw.oracle.required=true} (set by {@code -Poracle}), which makes its absence a failure.
 */
public final class LiveOracle {
    private static boolean told;

    private LiveOracle() {}

    /** As {@link #require()}, for the 0.12.1 oracle library. */
    public static synchronized void require0121() {
        var a = dev.pvmfw.oracle.rust.v0_12_1.OracleLibrary0121.availability();
        if (!a.available() && Boolean.getBoolean("pvmfw.oracle.required")) {
            fail("the 0.12.1 Rust oracle is required (-Poracle) but unavailable: " + a.reason());
        }
        assumeTrue(a.available(), () -> "live 0.12.1 cross-check skipped: " + a.reason());
    }

    public static synchronized void require() {
        OracleLibrary.Availability a = OracleLibrary.availability();
        if (!a.available() && !told) {
            told = true;
            System.err.println("pvmfw-paging: live cross-check against the Rust crate skipped: " + a.reason()
                    + " (the golden vectors still run)");
        }
        if (!a.available() && Boolean.getBoolean("pvmfw.oracle.required")) {
            fail("the Rust oracle is required (-Poracle) but unavailable: " + a.reason());
        }
        assumeTrue(a.available(), () -> "live cross-check skipped: " + a.reason());
    }
}
