package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.oracle.runner.Engines;
import dev.pvmfw.oracle.rust.OracleLibrary;
import dev.pvmfw.oracle.scenario.Dialect;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The main job, as a newcomer sees it on a machine without the Rust oracle. */
class DemoTest {

    static String runDemo(OracleLibrary.Availability oracle, String... args) throws Exception {
        return runDemo(d -> new Engines.Availability(oracle.available(), oracle.reason()), args);
    }

    static String runDemo(java.util.function.Function<Dialect, Engines.Availability> oracle, String... args)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new picocli.CommandLine(new DemoCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), oracle)).execute(args);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void showsLazyMmioAtWorkAndSaysTheCrossCheckWasSkipped() throws Exception {
        String out = runDemo(new OracleLibrary.Availability(false, "no oracle library at /nowhere"));
        // Boot: lazy regions, nothing guard-mapped but the UART.
        assertTrue(out.contains("MMIO_GUARD_ENROLL(0x0) -> 0x0, MMIO_GUARD_INFO(0x0) -> 0x1000, MMIO_GUARD_MAP(0x0)"),
                out);
        assertTrue(out.contains("  MMIO  0x10000..0x1010000 (lazy"), out);
        // First touches fault in exactly their page; repeats do not fault.
        assertTrue(out.contains("read  0x10000     PCI CAM: vendor ID of 00:00.0          -> fault (ESR 0x96000007), "
                + "MMIO_GUARD_MAP(0x10000) -> 0x0, retried: ok"), out);
        assertTrue(out.contains("read  0x10004     PCI CAM: command register of 00:00.0   -> ok"), out);
        assertTrue(out.contains("write 0x2000000   low MMIO: virtio BAR of 00:01.0        -> fault (ESR 0x96000046)"),
                out);
        // Teardown unmaps exactly the pages made valid, then the UART; nothing stays guard-mapped.
        assertTrue(out.contains("MMIO_GUARD_UNMAP(0x10000) -> 0x0, MMIO_GUARD_UNMAP(0x18000) -> 0x0, "
                + "MMIO_GUARD_UNMAP(0x2000000) -> 0x0, MMIO_GUARD_UNMAP(0x2001000) -> 0x0, MMIO_GUARD_UNMAP(0x0) -> 0x0"),
                out);
        assertTrue(out.contains("guard-mapped afterwards: none"), out);
        assertTrue(out.contains("summary: 2 MMIO regions, 4 faults taken (4 device pages made valid), 13 hypervisor "
                + "calls"), out);
        // The dump marks what is still lazy.
        assertTrue(out.contains("0x0000000000011000-0x0000000000018000      28K PTE lazy  RW NX UXN"), out);
        // Without the oracle, the run is checked against its steps on the Java engine: every call, every byte.
        assertTrue(out.contains("this run, checked step by step against its steps replayed on the Java engine (pvmfw's "
                + "2023-05 tracker in Java):"), out);
        assertTrue(out.contains("  all 22 steps identical: 13 hypervisor calls one by one;"), out);
        assertTrue(out.contains("cross-check against the Rust crate skipped: no oracle library at /nowhere"), out);
        assertTrue(out.contains("./mvnw -q -Poracle compile exec:exec"), out);
    }

    /**
     * The 2023-05 era on 0.12.1: the table is live when pvmfw tears it down, so {@code mmio_unmap_all}'s
     * {@code modify_range} callback runs twice per leaf (the break-before-make dry run, then the real pass:
     * {@code docs/aarch64-paging-0.12.1.md}, "Break-before-make") and every guard-mapped page is unmapped twice. The
     * own-run check sees it too: its steps carry {@code main_wrapper}'s {@code activate}, and the shadow (here the Java
     * engine of 0.12.1) makes the same 17 calls: ENROLL, INFO, the UART's MAP, MEMINFO, 4 fault MAPs, 8 UNMAPs, the
     * UART's UNMAP.
     */
    @Test
    void onProfile0121TheLiveTeardownUnmapsEveryPageTwiceQuirk() throws Exception {
        String out = runDemo(new OracleLibrary.Availability(false, "no oracle library at /nowhere"), "--profile",
                "0.12.1");
        assertTrue(out.contains("on aarch64-paging 0.12.1 + bitflags 2.11.0 + thiserror 2.0.18, in Java"), out);
        assertTrue(out.contains("MMIO_GUARD_UNMAP(0x10000) -> 0x0, MMIO_GUARD_UNMAP(0x18000) -> 0x0, "
                + "MMIO_GUARD_UNMAP(0x10000) -> 0x0, MMIO_GUARD_UNMAP(0x18000) -> 0x0, "
                + "MMIO_GUARD_UNMAP(0x2000000) -> 0x0, MMIO_GUARD_UNMAP(0x2001000) -> 0x0, "
                + "MMIO_GUARD_UNMAP(0x2000000) -> 0x0, MMIO_GUARD_UNMAP(0x2001000) -> 0x0, MMIO_GUARD_UNMAP(0x0)"), out);
        assertTrue(out.contains("guard-mapped afterwards: none"), out);
        assertTrue(out.contains("                   9 activate "), out);
        assertTrue(out.contains("  all 23 steps identical: 17 hypervisor calls one by one;"), out);
        assertTrue(!out.contains("not cross-checked"), out);
        assertTrue(!out.contains("WARNING"), out);
    }

    @Test
    void withTheOracleEveryStepGetsAVerdict() throws Exception {
        OracleLibrary.Availability oracle = OracleLibrary.availability();
        if (!oracle.available()) {
            return; // covered by the live suite under -Poracle
        }
        String out = runDemo(oracle);
        // The run's own calls and arena against the crate: boot 14 steps, 4 faults, teardown 4 (docs/pvmfw-2023-05.md).
        assertTrue(out.contains("this run, cross-checked against the Rust crate"), out);
        assertTrue(out.contains("  boot             0 tracker ram-end=0x10000000000 compat-android13=on"), out);
        assertTrue(out.contains(" 1 hyp-init                                     MMIO_GUARD_ENROLL(0x0) -> 0x0, "
                + "MMIO_GUARD_INFO(0x0) -> 0x1000 identical"), out);
        assertTrue(out.contains("  teardown        18 mmio-unmap-all"), out);
        assertTrue(out.contains("  all 22 steps identical: 13 hypervisor calls one by one;"), out);
    }
}
