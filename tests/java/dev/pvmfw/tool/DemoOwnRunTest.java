package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.oracle.runner.Engines;
import org.junit.jupiter.api.Test;

/**
 * The demo's own-run check in every era on every profile, on the Java engine (no oracle): the run's boot, faults and
 * exit agree with their steps replayed there, and what no step describes is said. The counts are pvmfw's: 2023-11's
 * boot on the crosvm layout is ten steps (the tracker, {@code init_page_table}'s six mappings, the FDT's
 * {@code alloc_mut}, two {@code map_mmio_range}), its exit two ({@code mmio_unmap_all}, the drop), and the four device
 * pages the trace touches fault once each on 0.4.0 (one MAP, one UNMAP each); 2024-05 adds {@code MmioSharer::new}'s
 * INFO; the calls before the page table (detection: UID, INFO; {@code try_console_init}: ENROLL, INFO, MAP) and the
 * UART's UNMAP are the six no step makes. {@link LiveDemoOwnRunTest} is the same against the crate.
 */
class DemoOwnRunTest {
    static final Engines.Availability NONE = new Engines.Availability(false, "no oracle library at /nowhere");

    static String demo(String... args) throws Exception {
        String out = DemoTest.runDemo(d -> NONE, args);
        assertFalse(out.contains("FIRST DIVERGENCE"), out);
        return out;
    }

    static void laterEra(String out, String era) {
        assertTrue(out.contains("this run, checked step by step against its steps replayed on the Java engine (pvmfw's "
                + era + " tracker in Java):"), out);
        String id = era.replace("+fix", "");
        assertTrue(out.contains("  boot             0 tracker ram-end=0x90000000 compat-android13=on era=" + era
                + " entry=on VENDOR_HYP_CALL_UID(0x0) -> 0xb66fb428, MMIO_GUARD_INFO(0x0) -> 0x1000, "
                + "MMIO_GUARD_ENROLL(0x0) -> 0x0, MMIO_GUARD_INFO(0x0) -> 0x1000, MMIO_GUARD_MAP(0x0) -> 0x0"
                + (id.equals("2024-05") ? ", MMIO_GUARD_INFO(0x0) -> 0x1000 identical" : " identical")), out);
        assertTrue(out.contains(" console-unmap                                MMIO_GUARD_UNMAP(0x0) -> 0x0 identical"),
                out);
        assertFalse(out.contains("not cross-checked"), out);
    }

    @Test
    void era202311On040IsCheckedStepByStep() throws Exception {
        String out = demo("--era", "2023-11");
        laterEra(out, "2023-11");
        assertTrue(out.contains("  all 17 steps identical: 14 hypervisor calls one by one;"), out);
        assertTrue(out.contains("cross-check against the Rust crate skipped: no oracle library at /nowhere"), out);
    }

    @Test
    void era202405On040IsCheckedStepByStep() throws Exception {
        String out = demo("--era", "2024-05");
        laterEra(out, "2024-05");
        assertTrue(out.contains("  all 17 steps identical: 15 hypervisor calls one by one;"), out);
    }

    /** 2024-05 on 0.12.1 (README, "the second example"): the re-fault's DuplicateMmioShare is the shadow's too. */
    @Test
    void era202405On0121ChecksTheRefaultsErrorToo() throws Exception {
        String out = demo("--era", "2024-05", "--profile", "0.12.1");
        laterEra(out, "2024-05");
        assertTrue(out.contains(" fault 0x10000                                tracker-err DuplicateMmioShare(65536) "
                + "msg=\"Attempted to share the same MMIO region at 0x10000 twice\" identical"), out);
        assertTrue(out.contains("constraints=NO_BLOCK_MAPPINGS|NO_CONTIGUOUS_HINT identical"), out);
    }

    @Test
    void era202311On0121IsCheckedStepByStep() throws Exception {
        String out = demo("--era", "2023-11", "--profile", "0.12.1");
        laterEra(out, "2023-11");
        assertTrue(out.contains(" steps identical: "), out);
    }

    /** The corrected flows have no Rust side: the Java engine checks them, and the output says why no crate. */
    @Test
    void theCorrectedFlowsAreCheckedOnTheJavaEngineOnly() throws Exception {
        for (String[] args : new String[][] {{"--era", "2023-11+fix"}, {"--era", "2024-05", "--fix"},
                {"--era", "2024-05+fix", "--profile", "0.12.1"}}) {
            String out = demo(args);
            String era = args[1].endsWith("+fix") ? args[1] : args[1] + "+fix";
            laterEra(out, era);
            assertTrue(out.contains("cross-check against the Rust crate skipped: the corrected flow " + era
                    + " has no Rust side"), out);
            assertFalse(out.contains("-Poracle compile exec:exec"), out);
        }
    }
}
