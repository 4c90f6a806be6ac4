package dev.pvmfw.tool;

import static dev.pvmfw.tool.CommandLineTest.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} and the scenario inputs of every command (issue 13, cases 3–5 and the smaller ones): a panic or an
 * error a step records is an outcome (exit 0), but steps that could not be executed and {@code expect} lines that do
 * not hold are failures (exit 1); a scenario that cannot be used is a usage error naming the file and the line.
 */
class ScenarioRunTest {
    @TempDir
    Path dir;

    Path scenario(String text) throws Exception {
        Path p = Files.createTempFile(dir, "scenario", ".txt");
        Files.writeString(p, text);
        return p;
    }

    /** Case 3: a PA base that wraps past 2^64 in the arena line used to fail with a raw exception, no line. */
    @Test
    void aBadPaBaseInTheArenaLineNamesTheLine() throws Exception {
        for (String base : new String[] {"-0x1000", "0xfffffffffffff000", "0x1000000000000", "0x40000800"}) {
            Path s = scenario("scenario bad\narena slots=16 pa-base=" + base + "\ntable level=1 va-range=lower\n");
            assertUsageError(ToolRun.of("run", s.toString()), "pvmfw-paging run", s + ": line 2: arena of 16 slots "
                    + "at pa-base=");
            assertUsageError(ToolRun.of("dump", "--scenario", s.toString()), "pvmfw-paging dump", "line 2");
        }
        Path top = scenario("arena slots=16 pa-base=0xfffffff0000\ntable level=1\n");
        assertEquals(0, ToolRun.of("run", top.toString()).status(), "the last slot at 2^48 - 4096 is fine");
    }

    /** Case 4: run used to exit 0 when the first step panicked, though no later step was executed. */
    @Test
    void stepsThatCouldNotBeExecutedAreAFailure() throws Exception {
        Path s = scenario("table level=99\nmap 0x0 0x1000 pa=0x80000000 flags=VALID|NORMAL\n");
        ToolRun r = ToolRun.of("run", s.toString());
        assertEquals(1, r.status(), r.out());
        assertTrue(r.out().contains("-> panic none msg=\"Invalid root table level 99.\""), r.out());
        assertEquals("pvmfw-paging run: " + s + ": the first step (table level=99 va-range=lower) failed, so 1 later "
                + "step was not executed\n", r.err());
    }

    /** A recorded panic is an outcome: alone, or with the expect line that says so, run exits 0. */
    @Test
    void aRecordedPanicIsAnOutcome() throws Exception {
        assertEquals(0, ToolRun.of("run", scenario("table level=99\n").toString()).status());
        Path s = scenario("table level=1\nmap 0x0 0x1000 pa=0x1 flags=VALID\nexpect ok\n"
                + "map 0x2000 0x1000 pa=0x0 flags=VALID\nexpect err\n"
                + "modify 0x0 0x1000 updater=builtin:fail-at-level-3\nexpect err\n");
        ToolRun r = ToolRun.of("run", s.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals("", r.err());
    }

    @Test
    void anExpectLineThatDoesNotHoldIsAFailureNamingItsLine() throws Exception {
        Path s = scenario("table level=1\n# a comment\nmap 0x2000 0x1000 pa=0x0 flags=VALID\nexpect ok\n");
        ToolRun r = ToolRun.of("run", s.toString());
        assertEquals(1, r.status(), r.out());
        assertTrue(r.err().startsWith("pvmfw-paging run: " + s + ": line 4: expected ok, step 1 gave err "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void anExpectLineMatchesTheWholeOutcomeText() throws Exception {
        Path ok = scenario("table level=99\nexpect panic none msg=\"Invalid root table level 99.\"\n");
        assertEquals(0, ToolRun.of("run", ok.toString()).status());
        Path wrong = scenario("table level=99\nexpect panic none msg=\"Invalid root table level 98.\"\n");
        assertEquals(1, ToolRun.of("run", wrong.toString()).status());
    }

    @Test
    void anExpectLineAboutAStepThatDidNotRunIsAFailure() throws Exception {
        Path s = scenario("table level=99\nmap 0x0 0x1000 pa=0x0 flags=VALID\nexpect ok\n");
        ToolRun r = ToolRun.of("run", s.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains(s + ": line 3: expected ok, but step 1 was not executed"), r.err());
    }

    @Test
    void aMisplacedOrUnknownExpectIsAUsageError() throws Exception {
        Path first = scenario("expect ok\ntable level=1\n");
        assertUsageError(ToolRun.of("run", first.toString()), "pvmfw-paging run",
                first + ": line 1: 'expect' comes after the step it is about");
        Path unknown = scenario("table level=1\nexpect fine\n");
        assertUsageError(ToolRun.of("run", unknown.toString()), "pvmfw-paging run",
                unknown + ": line 2: expect fine: not an outcome");
    }

    /** The expect lines are the tool's: taken out before parsing, they leave the parser's line numbers alone. */
    @Test
    void expectLinesKeepTheLineNumbersOfLaterErrors() throws Exception {
        Path s = scenario("table level=1\nexpect ok\nfrobnicate\n");
        assertUsageError(ToolRun.of("run", s.toString()), "pvmfw-paging run", s + ": line 3: ");
    }

    /**
     * Case 5: {@code arena slots=1048576} was accepted, then dump --scenario copied 4 GiB into a byte[] and failed.
     * The arena limit is checked before the arena is allocated, and the arena is dumped where it is, not copied.
     */
    @Test
    void anArenaOverTheSlotLimitIsRefusedBeforeItIsAllocated() throws Exception {
        Path s = scenario("arena slots=1048576\ntable level=1\n");
        assertUsageError(ToolRun.of("dump", "--scenario", s.toString(), "--max-arena-slots", "65536"),
                "pvmfw-paging dump", s + ": an arena of 1048576 slots, more than the limit of 65536 (raise it with "
                        + "--max-arena-slots)");
        Path over = scenario("arena slots=16777217\ntable level=1\n");
        assertUsageError(ToolRun.of("run", over.toString()), "pvmfw-paging run", "line 1: slots must be 1..16777216");
        Path big = scenario("arena slots=16384\ntable level=1\nmap 0 0x1000 pa=0 flags=VALID\n");
        ToolRun r = ToolRun.of("dump", "--scenario", big.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("3 tables used of 16384"), r.out());
    }

    @Test
    void aScenarioOverTheStepLimitIsRefusedBeforeItIsParsed() throws Exception {
        Path s = scenario("table level=1\n" + "map 0 0x1000 pa=0 flags=VALID\n".repeat(20));
        assertUsageError(ToolRun.of("run", s.toString(), "--max-scenario-steps", "10"), "pvmfw-paging run",
                s + ": line 11: more than 10 steps (raise the limit with --max-scenario-steps)");
        assertEquals(0, ToolRun.of("run", s.toString(), "--max-scenario-steps", "21").status());
    }

    /** A --save target that cannot be written used to fail with a raw exception name after the steps ran. */
    @Test
    void anUnwritableSaveTargetIsRefusedBeforeAnyStepRuns() throws Exception {
        Path s = scenario("table level=1\nmap 0 0x1000 pa=0 flags=VALID\n");
        ToolRun missing = ToolRun.of("run", s.toString(), "--save", dir.resolve("no/such/x.img").toString());
        assertUsageError(missing, "pvmfw-paging run", "cannot write: no such directory " + dir.resolve("no/such"));
        assertEquals("", missing.out(), "nothing ran");
        ToolRun directory = ToolRun.of("run", s.toString(), "--save", dir.toString());
        assertUsageError(directory, "pvmfw-paging run", dir + ": cannot write: it is a directory");
        assertEquals("", directory.out());
        Path img = dir.resolve("x.img");
        assertEquals(0, ToolRun.of("run", s.toString(), "--save", img.toString()).status());
        assertEquals(64 * 4096, Files.size(img));
    }
}
