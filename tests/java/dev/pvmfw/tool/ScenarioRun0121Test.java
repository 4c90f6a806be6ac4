package dev.pvmfw.tool;

import static dev.pvmfw.tool.CommandLineTest.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} and {@code fuzz} on scenarios of profile 0.12.1: a 0.12.1 scenario runs on the 0.12.1 Java engine (its
 * outcomes are the mirror's; the live differential and the golden vectors tie them to the crate), {@code --profile}
 * gives a file without a {@code profile} line its profile, and a scenario's own line with a different flag is a
 * usage error (exit 2) naming both.
 */
class ScenarioRun0121Test {
    @TempDir
    Path dir;

    Path scenario(String text) throws Exception {
        Path p = Files.createTempFile(dir, "scenario", ".txt");
        Files.writeString(p, text);
        return p;
    }

    /**
     * 0.12.1 writes an invalid leaf as its flags alone (PA 0; {@code docs/aarch64-paging-0.12.1.md}, reference R4), so
     * {@code pa=keep} on a lazy page keeps PA 0; PteUpdateFault prints the bits in decimal.
     */
    @Test
    void aScenarioOfProfile0121RunsOnThe0121Engine() throws Exception {
        long lazy = 0x00c0_0000_0000_0400L;
        Path s = scenario("""
                scenario lazy
                profile 0.12.1
                table level=3 asid=1
                map 0x8000 0xa000 pa=0x8000 flags=0xc0000000000400
                modify 0x8000 0x9000 updater=edit:pa=keep,flags=0xc0000000000403,levels=3
                expect ok
                walk 0x8000 0xa000 fail=call:2
                expect err PteUpdateFault(%d) msg="Error updating page table entry %d"
                activate
                expect ok 0xffffffffffffffff
                drop
                expect panic
                """.formatted(lazy, lazy));
        ToolRun r = ToolRun.of("run", s.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith("scenario lazy (6 steps, 64 slots at PA 0x40000000, aarch64-paging 0.12.1)"),
                r.out());
        assertTrue(r.out().contains("updater L3 0x8000..0x9000 0x" + Long.toHexString(lazy) + "->0x"
                + Long.toHexString(lazy | 3) + " applied updated"), r.out());
        assertTrue(r.out().contains("visitor L3 0x9000..0xa000 0xc0000000000400->0xc0000000000400 err"), r.out());
        assertTrue(r.out().contains("-> panic none msg=\"Dropping active page table mapping!\"  events -0"), r.out());
    }

    @Test
    void profileFlagGivesAFileWithoutTheLineItsProfile() throws Exception {
        Path s = scenario("table level=1 regime=stage2\nmap 0x0 0x1000 pa=0x0 flags=0x7fd\ncompact\n");
        assertUsageError(ToolRun.of("run", s.toString()), "pvmfw-paging run", "0.4.0 has no regimes or ASIDs");
        ToolRun r = ToolRun.of("run", "--profile", "0.12.1", s.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("aarch64-paging 0.12.1)"), r.out());
    }

    @Test
    void aProfileLineAndADifferentFlagAreAUsageError() throws Exception {
        Path s = scenario("scenario old\nprofile 0.4.0\ntable level=1\n");
        assertUsageError(ToolRun.of("run", "--profile", "0.12.1", s.toString()), "pvmfw-paging run",
                s + ": line 2: scenario old says 'profile 0.4.0' but --profile 0.12.1 was given");
        Path t = scenario("scenario new\nprofile 0.12.1\ntable level=1\n");
        assertUsageError(ToolRun.of("run", "--profile", "0.4.0", t.toString()), "pvmfw-paging run",
                "says 'profile 0.12.1' but --profile 0.4.0 was given");
        assertEquals(0, ToolRun.of("run", "--profile", "0.12.1", t.toString()).status());
    }

    /**
     * The image commands' {@code --scenario} runs a 0.12.1 scenario on the 0.12.1 engine: an invalid leaf is its flags
     * alone (0.4.0 would write the PA, ACCESSED and the page bit), so the saved arena holds exactly them.
     */
    @Test
    void aScenarioOfProfile0121MakesIts0121Image() throws Exception {
        Path s = scenario("profile 0.12.1\narena slots=2 pa-base=0x40000000\ntable level=3\n"
                + "map 0x1000 0x2000 pa=0x80000000 flags=0x400\n");
        Path saved = dir.resolve("saved.img");
        assertEquals(0, ToolRun.of("run", "--save", saved.toString(), s.toString()).status());
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(saved)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x400L, b.getLong(8), "flags alone");
        assertEquals(0, ToolRun.of("dump", "--scenario", s.toString()).status());
    }

    /** Without the 0.12.1 library (a default run), fuzz --profile 0.12.1 says so and exits 1. */
    @Test
    void fuzzOfProfile0121NeedsThe0121Oracle() {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                dev.pvmfw.oracle.rust.v0_12_1.OracleLibrary0121.availability().available(), "the oracle is here");
        ToolRun r = ToolRun.of("fuzz", "--profile", "0.12.1", "--steps", "10", "--seed", "1");
        assertEquals(1, r.status(), r.out() + r.err());
        // No library (a fresh machine), or one that does not match its bindings (a stale local build): either way
        // the 0.12.1 oracle is named and nothing runs.
        assertTrue(r.err().startsWith("pvmfw-paging fuzz: needs the Rust oracle: ") && r.err().contains("0.12.1"),
                r.err());
    }
}
