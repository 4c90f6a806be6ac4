package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.oracle.runner.Engines;
import dev.pvmfw.oracle.scenario.Dialect;
import dev.pvmfw.testing.LiveOracle;
import org.junit.jupiter.api.Test;

/**
 * The demo's own-run check against the real crate, in every era on every profile: the shadow is the crate of the
 * profile with our Rust transcription of the era's tracker, and the run agrees with it step by step (every call a
 * step makes, the arena, its events and the guard-mapped IPAs after each phase). Skipped without the oracle.
 */
class LiveDemoOwnRunTest {

    static String demo(Dialect dialect, String... args) throws Exception {
        if (dialect == Dialect.V0_12_1) {
            LiveOracle.require0121();
        } else {
            LiveOracle.require();
        }
        String out = DemoTest.runDemo(Engines::rustAvailability, args);
        assertFalse(out.contains("FIRST DIVERGENCE"), out);
        assertFalse(out.contains("not cross-checked"), "every call of the run is a step's: " + out);
        assertTrue(out.contains("this run, cross-checked against the Rust crate (oracle aarch64-paging "
                + (dialect == Dialect.V0_12_1 ? "0.12.1" : "0.4.0")), out);
        assertTrue(out.contains(" steps identical: "), out);
        assertFalse(out.contains("cross-check against the Rust crate skipped"), out);
        return out;
    }

    @Test
    void era202305On040AgreesWithTheCrate() throws Exception {
        String out = demo(Dialect.V0_4_0);
        assertTrue(out.contains("  all 22 steps identical: 13 hypervisor calls one by one;"), out);
    }

    @Test
    void era202305On0121AgreesWithTheCrate() throws Exception {
        String out = demo(Dialect.V0_12_1, "--profile", "0.12.1");
        assertTrue(out.contains("  all 23 steps identical: 17 hypervisor calls one by one;"), out);
        assertFalse(out.contains("not cross-checked"), out);
    }

    @Test
    void era202311On040AgreesWithTheCrate() throws Exception {
        String out = demo(Dialect.V0_4_0, "--era", "2023-11");
        assertTrue(out.contains("  all 17 steps identical: 14 hypervisor calls one by one;"), out);
        assertTrue(out.contains(" console-unmap                                MMIO_GUARD_UNMAP(0x0) -> 0x0 identical"),
                out);
    }

    @Test
    void era202405On040AgreesWithTheCrate() throws Exception {
        String out = demo(Dialect.V0_4_0, "--era", "2024-05");
        assertTrue(out.contains("  all 17 steps identical: 15 hypervisor calls one by one;"), out);
    }

    @Test
    void era202311On0121AgreesWithTheCrate() throws Exception {
        String out = demo(Dialect.V0_12_1, "--era", "2023-11", "--profile", "0.12.1");
        assertTrue(out.contains("  all 15 steps identical: 9 hypervisor calls one by one;"), out);
    }

    @Test
    void era202405On0121AgreesWithTheCrate() throws Exception {
        String out = demo(Dialect.V0_12_1, "--era", "2024-05", "--profile", "0.12.1");
        assertTrue(out.contains("tracker-err DuplicateMmioShare(65536)"), out);
        assertTrue(out.contains("  all 15 steps identical: 9 hypervisor calls one by one;"), out);
    }
}
