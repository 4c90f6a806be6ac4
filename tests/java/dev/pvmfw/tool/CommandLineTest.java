package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's contract: exit 0 / 1 / 2, a usage error or a failure as one line plus a pointer to --help (never
 * a stack trace), --version naming the project and the profiles, options given once, inputs bounded.
 */
class CommandLineTest {
    @TempDir
    Path dir;

    /** The command line, in process. */
    static ToolRun run(String... args) {
        return ToolRun.of(args);
    }

    /** A usage error: exit 2, the command's name, the message, then where the help is; nothing on stdout. */
    static void assertUsageError(ToolRun r, String command, String message) {
        assertEquals(2, r.status(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertTrue(lines.getFirst().startsWith(command + ": "), r.err());
        assertTrue(lines.getFirst().contains(message), r.err());
        assertEquals("(" + command + " --help for usage)", lines.get(1));
        assertFalse(r.err().contains("\tat "), r.err());
    }

    Path image(int slots) throws Exception {
        Path p = dir.resolve("zero-" + slots + ".img");
        Files.write(p, new byte[4096 * slots]);
        return p;
    }

    @Test
    void versionNamesTheProjectAndEveryProfile() {
        ToolRun r = run("--version");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("pvmfw-paging "), r.out());
        assertFalse(r.out().startsWith("pvmfw-paging unknown"), "the build fills in the version: " + r.out());
        assertTrue(r.out().contains("profile 0.4.0: aarch64-paging 0.4.0 + bitflags 2.0.2 (default)"), r.out());
        assertTrue(r.out().contains("profile 0.12.1: aarch64-paging 0.12.1 + bitflags 2.11.0 + thiserror 2.0.18\n"),
                r.out());
        assertTrue(r.out().contains("era 2023-05: AOSP b99905d3 \"pvmfw: Optimize MMIO guard map\" (default)"),
                r.out());
    }

    @Test
    void aRegimeTheProfileDoesNotKnowIsAUsageError() throws Exception {
        assertEquals(0, run("dump", image(1).toString(), "--regime", "el1and0").status());
        assertUsageError(run("dump", image(1).toString(), "--regime", "el2"), "pvmfw-paging dump",
                "--regime el2: aarch64-paging 0.4.0 has no such regime (it reads el1and0)");
        assertUsageError(run("check", image(1).toString(), "--regime", "el4"), "pvmfw-paging check",
                "'el4' is not a regime: el1and0, el2and0, el2, el3 or stage2");
        assertEquals(0, run("dump", image(1).toString(), "--profile", "0.12.1").status());
        assertEquals(0, run("dump", image(1).toString(), "--profile", "0.12.1", "--regime", "stage2").status());
        assertUsageError(run("dump", image(1).toString(), "--profile", "0.12.1", "--regime", "el3", "--va-range",
                "upper"), "pvmfw-paging dump", "--va-range upper: the el3 regime has only the lower range");
        for (String command : new String[] {"check", "translate", "diff"}) {
            String[] args = command.equals("translate")
                    ? new String[] {command, "0x0", image(1).toString(), "--regime", "stage2"}
                    : command.equals("diff")
                    ? new String[] {command, image(1).toString(), image(1).toString(), "--regime", "stage2"}
                    : new String[] {command, image(1).toString(), "--regime", "stage2"};
            assertUsageError(run(args), "pvmfw-paging " + command,
                    "--regime stage2: aarch64-paging 0.4.0 has no such regime (it reads el1and0)");
        }
        assertUsageError(run("decode", "0x3", "--profile", "0.4.0", "--regime", "el2"), "pvmfw-paging decode",
                "--regime el2: aarch64-paging 0.4.0 has no such regime (it reads el1and0)");
        assertUsageError(run("diff", image(1).toString(), image(1).toString(), "--profile", "0.12.1", "--regime",
                "stage2", "--va-range", "upper"), "pvmfw-paging diff",
                "--va-range upper: the stage2 regime has only the lower range");
        assertUsageError(run("dump", image(1).toString(), "--profile", "0.12.1", "--regime", "el2", "--ttbr1",
                "0x40000000"), "pvmfw-paging dump", "--ttbr1: the el2 regime has only the lower range");
    }

    @Test
    void checkReadsTheImageWithTheMmuOptions() throws Exception {
        java.nio.ByteBuffer root = java.nio.ByteBuffer.allocate(4096).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        root.putLong(0, 0x1_0000_0000L | 0b11); // a table pointer to 4 GiB: beyond a 32-bit output size
        Path img = dir.resolve("pointer-at-4g.img");
        Files.write(img, root.array());
        ToolRun wide = run("check", img.toString(), "--pa-base", "0x80000000");
        assertEquals(1, wide.status(), wide.out());
        assertTrue(wide.out().contains("pointer-outside-image"), wide.out());
        ToolRun narrow = run("check", img.toString(), "--pa-base", "0x80000000", "--output-bits", "32");
        assertEquals(1, narrow.status(), narrow.out());
        assertTrue(narrow.out().contains("pointer-beyond-output-size"), narrow.out());
        assertFalse(narrow.out().contains("pointer-outside-image"), narrow.out());
    }

    /**
     * Every era has a Rust side on 0.12.1 too: fuzz takes an era with --profile 0.12.1 (no usage error); without the
     * 0.12.1 oracle it says it needs it (exit 1), with it the campaign runs; the corrected flow stays Java-only.
     */
    @Test
    void fuzzTakesALaterEraOnProfile0121() {
        ToolRun r = run("fuzz", "--era", "2024-05", "--profile", "0.12.1", "--steps", "10", "--seed", "1");
        if (dev.pvmfw.oracle.runner.Engines.rustAvailability(dev.pvmfw.oracle.scenario.Dialect.V0_12_1).available()) {
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("era 2024-05") && r.out().contains("no divergence"), r.out());
        } else {
            assertEquals(1, r.status(), r.err());
            assertTrue(r.err().contains("pvmfw-paging fuzz: needs the Rust oracle"), r.err());
        }
        assertUsageError(run("fuzz", "--era", "2024-05+fix", "--profile", "0.12.1", "--steps", "10"),
                "pvmfw-paging fuzz", "--era 2024-05+fix: the corrected lazy flow has no Rust side");
    }

    @Test
    void eraIsChosenByIdAndAnUnknownOneNamesTheKnownOnes() {
        assertUsageError(run("demo", "--era", "2019-01"), "pvmfw-paging demo",
                "'2019-01' is not an era: 2023-05, 2023-11, 2024-05");
        ToolRun r = run("demo", "--era", "2023-05");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("(era 2023-05, AOSP b99905d3"), r.out().lines().findFirst().orElse(""));
    }

    /**
     * The later eras run the demo too: 2023-11 starts with the hypervisor detection (UID, then the INFO probe), and
     * 2024-05 reads the granule once more when the tracker is made; the guest's accesses fault the same pages in.
     * Both are checked step by step (here on the Java engine, without the oracle), the calls before the page table
     * those of the tracker step's entry=on.
     */
    @Test
    void demoRunsTheLaterEras() {
        ToolRun late = run("demo", "--era", "2023-11");
        assertEquals(0, late.status(), late.err());
        assertTrue(late.out().contains("(era 2023-11, AOSP 28e439f4"), late.out());
        assertTrue(late.out().contains("  hypervisor: VENDOR_HYP_CALL_UID(0x0) -> 0xb66fb428, MMIO_GUARD_INFO(0x0) -> "
                + "0x1000, MMIO_GUARD_ENROLL(0x0) -> 0x0, MMIO_GUARD_INFO(0x0) -> 0x1000, MMIO_GUARD_MAP(0x0) -> 0x0\n"),
                late.out());
        assertTrue(late.out().contains("pvmfw's 2023-11 tracker"), late.out());
        assertTrue(late.out().contains(" entry=on VENDOR_HYP_CALL_UID(0x0) -> 0xb66fb428, "), late.out());
        assertFalse(late.out().contains("not cross-checked"), late.out());
        ToolRun sharer = run("demo", "--era", "2024-05");
        assertEquals(0, sharer.status(), sharer.err());
        assertTrue(sharer.out().contains("MMIO_GUARD_MAP(0x0) -> 0x0, MMIO_GUARD_INFO(0x0) -> 0x1000\n"),
                sharer.out());
        assertTrue(sharer.out().contains("MMIO_GUARD_UNMAP(0x10000) -> 0x0, MMIO_GUARD_UNMAP(0x18000) -> 0x0, "
                + "MMIO_GUARD_UNMAP(0x2000000) -> 0x0, MMIO_GUARD_UNMAP(0x2001000) -> 0x0, MMIO_GUARD_UNMAP(0x0) -> 0x0"),
                sharer.out());
    }

    /**
     * {@code run --era} runs a scenario's tracker steps on that era's tracker (expected outcomes from the reference's
     * text: 2023 a repeated fault is InvalidPte with no call; 2024-05 it is DuplicateMmioShare, and a fault on RAM
     * MAPs before its InvalidPte); {@code --against-rust} exists for 2023-05 only.
     */
    @Test
    void runTakesAnEraForTheTrackerSteps() throws Exception {
        Path scenario = dir.resolve("eras.txt");
        java.nio.file.Files.writeString(scenario, "scenario eras\ntracker\nmmio-map 0x9000000 0x9200000\n"
                + "fault 0x9001000\nfault 0x9001008\nfault 0x80000000\nmmio-unmap-all\ndrop\n");
        ToolRun seed = run("run", scenario.toString());
        assertEquals(0, seed.status(), seed.err());
        assertTrue(seed.out().contains("fault 0x9001008") && seed.out().lines().filter(l -> l.contains("fault 0x"))
                .skip(1).allMatch(l -> l.contains("InvalidPte") && !l.contains("hyp [")), seed.out());
        ToolRun sharer = run("run", "--era", "2024-05", scenario.toString());
        assertEquals(0, sharer.status(), sharer.err());
        assertTrue(sharer.out().contains("tracker-err DuplicateMmioShare(150999040) msg=\"Attempted to share the same "
                + "MMIO region at 0x9001000 twice\""), sharer.out());
        assertTrue(sharer.out().lines().anyMatch(l -> l.contains("fault 0x80000000") && l.contains("InvalidPte")
                && l.contains("hyp [MMIO_GUARD_MAP(0x80000000) -> 0x0]")), sharer.out());
        assertTrue(sharer.out().contains("hyp [MMIO_GUARD_UNMAP(0x9001000) -> 0x0, MMIO_GUARD_UNMAP(0x80000000) -> 0x0]"),
                sharer.out());
        Path seedOnly = dir.resolve("seed-only.txt");
        java.nio.file.Files.writeString(seedOnly, "scenario seed-only\ntracker\nalloc-range 0x80000000 0x80200000\n"
                + "drop\n");
        ToolRun invalid = run("run", "--era", "2023-11", seedOnly.toString());
        assertEquals(0, invalid.status(), invalid.err());
        assertTrue(invalid.out().contains("invalid msg=\"step 'alloc-range 0x80000000 0x80200000' runs on the 2023-05 "
                + "tracker only\""), invalid.out());
        Path named = dir.resolve("named-era.txt");
        java.nio.file.Files.writeString(named, "scenario named-era\ntracker era=2024-05\ndrop\n");
        assertUsageError(run("run", "--era", "2023-11", "--against-rust", named.toString()), "pvmfw-paging run",
                "the scenario's tracker step names era 2024-05, --era says 2023-11");
        ToolRun own = run("run", named.toString());
        assertEquals(0, own.status(), own.err());
        assertTrue(own.out().contains("MMIO_GUARD_INFO"), "the step's era=2024-05 reads the granule: " + own.out());
    }

    @Test
    void campaignOptionsAreCheckedBeforeTheOracleIsAsked() {
        assertUsageError(run("fuzz", "--shard", "3/3"), "pvmfw-paging fuzz",
                "'3/3' is not a shard: I/N with 0 <= I < N");
        assertUsageError(run("fuzz", "--shard", "x"), "pvmfw-paging fuzz", "'x' is not a shard");
        assertUsageError(run("fuzz", "--jobs", "0"), "pvmfw-paging fuzz", "'0' is not a job count: 1..1024 or auto");
    }

    @Test
    void unknownOptionsAndCommandsAreUsageErrors() throws Exception {
        assertUsageError(run("check", image(1).toString(), "--frobnicate"), "pvmfw-paging check",
                "Unknown option: '--frobnicate'");
        assertUsageError(run("nonsense"), "pvmfw-paging", "Unmatched argument");
        assertUsageError(run("decode"), "pvmfw-paging decode", "Missing required parameter: 'VALUE'");
    }

    @Test
    void anOptionGivenTwiceIsAUsageError() throws Exception {
        assertUsageError(run("dump", image(1).toString(), "--format", "tree", "--format", "json"),
                "pvmfw-paging dump", "should be specified only once");
    }

    @Test
    void numbersAreUnsignedAndTheirErrorsShort() throws Exception {
        assertUsageError(run("check", image(1).toString(), "--pa-base", "-0x1000"), "pvmfw-paging check",
                "not a number: '-0x1000'");
        String huge = "9".repeat(200_000);
        ToolRun r = run("decode", huge);
        assertUsageError(r, "pvmfw-paging decode", "does not fit in 64 bits");
        assertTrue(r.err().length() < 300, "the value is not echoed in full: " + r.err().length());
        assertEquals(0, run("decode", "0x00e0_0000_0900_0403").status());
    }

    /** A PA base near 2^64 used to wrap the range check and be accepted. */
    @Test
    void aPaBaseThatWouldPass2To48IsRefused() throws Exception {
        assertUsageError(run("check", image(2).toString(), "--pa-base", "0xfffffffffffff000"), "pvmfw-paging check",
                "pass 2^48");
        assertUsageError(run("check", image(2).toString(), "--pa-base", "0xfffffffff000"), "pvmfw-paging check",
                "pass 2^48");
        assertEquals(0, run("check", image(1).toString(), "--pa-base", "0xfffffffff000").status(),
                "the topmost page below 2^48 is a PA base");
    }

    @Test
    void profileIsChosenByIdAndAnUnknownOneNamesTheKnownOnes() throws Exception {
        assertEquals(0, run("dump", image(1).toString(), "--profile", "0.4.0").status());
        assertUsageError(run("dump", image(1).toString(), "--profile", "9.9"), "pvmfw-paging dump",
                "'9.9' is not a profile: 0.4.0");
    }

    @Test
    void onlyRegularFilesWithinTheLimitAreRead() throws Exception {
        assertUsageError(run("dump", dir.toString()), "pvmfw-paging dump", "not a regular file");
        assertUsageError(run("dump", image(4).toString(), "--max-image-size", "8K"), "pvmfw-paging dump",
                "more than the limit of 8192");
        assertEquals(0, run("dump", image(2).toString(), "--max-image-size", "8K").status());
        assertUsageError(run("dump", "/dev/zero"), "pvmfw-paging dump", "not a regular file");
    }

    @Test
    void aScenarioMustBeUtf8TextWithinTheLimit() throws Exception {
        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, new byte[] {'t', 'a', 'b', 'l', 'e', ' ', (byte) 0xe9, '\n'});
        assertUsageError(run("run", latin1.toString()), "pvmfw-paging run", "not UTF-8 text");
        Path big = dir.resolve("big.txt");
        Files.writeString(big, "table level=1\n" + "# padding\n".repeat(200));
        assertUsageError(run("run", big.toString(), "--max-scenario-size", "1K"), "pvmfw-paging run",
                "more than the limit of 1024");
    }

    @Test
    void savingWhereNothingCanBeWrittenIsAUsageError() throws Exception {
        Path s = dir.resolve("s.txt");
        Files.writeString(s, "table level=1\nmap 0 0x1000 pa=0 flags=VALID\n");
        assertUsageError(run("run", s.toString(), "--save", dir.resolve("no/such/dir/x.img").toString()),
                "pvmfw-paging run", "cannot write");
        assertUsageError(run("run", s.toString(), "--save", dir.toString()), "pvmfw-paging run", "cannot write");
    }

    @Test
    void imageAndScenarioAreExclusive() throws Exception {
        Path s = dir.resolve("s.txt");
        Files.writeString(s, "table level=1\n");
        assertUsageError(run("check", image(1).toString(), "--scenario", s.toString()), "pvmfw-paging check",
                "give an IMAGE or --scenario FILE");
        assertUsageError(run("check"), "pvmfw-paging check", "give an IMAGE or --scenario FILE");
    }

    /** An output size below 48 bits makes an address beyond it an Address size fault (DFSC 0b0000LL). */
    @Test
    void translateWithASmallerOutputSizeReportsAnAddressSizeFault() throws Exception {
        Path s = dir.resolve("high.txt");
        Files.writeString(s, "table level=1\nmap 0x1000 0x2000 pa=0x100000000000 flags=VALID\n");
        ToolRun ok = run("translate", "0x1000", "--scenario", s.toString());
        assertEquals(0, ok.status(), ok.err());
        ToolRun r = run("translate", "0x1000", "--scenario", s.toString(), "--output-bits", "44");
        assertEquals(1, r.status(), r.err());
        assertTrue(r.out().contains("-> address size fault at level 3 (an address beyond the 44-bit output size)"),
                r.out());
        assertTrue(r.out().contains("ESR: read 0x96000003, write 0x96000043"), r.out());
        // IPS 52 is allowed, and with the 4 KiB granule (no FEAT_LPA2) means 48 bits.
        assertEquals(0, run("translate", "0x1000", "--scenario", s.toString(), "--output-bits", "52").status());
        assertUsageError(run("translate", "0x1000", "--scenario", s.toString(), "--output-bits", "53"),
                "pvmfw-paging translate", "output address size must be 32..52 bits");
    }

    /**
     * translate reports the leaf's checks for a load and a store: an Access flag fault for a leaf without AF (HA = 0,
     * or a core without FEAT_HAFDBS), a synchronous external abort for a PA the machine has nothing at, and the
     * core's PARange caps the output size (Arm ARM encodings: DFSC 0b001011 Access flag level 3, 0b010000 external
     * abort, 0b000011 Address size level 3; WnR bit 6).
     */
    @Test
    void translateReportsAccessFlagFaultsExternalAbortsAndTheCoresAddressSize() throws Exception {
        Path s = dir.resolve("noaf.txt");
        Files.writeString(s, "table level=1\nmap 0x1000 0x2000 pa=0x100000000000 flags=VALID\n"
                + "modify 0x1000 0x2000 updater=edit:levels=3,clear=ACCESSED\n");
        ToolRun r = run("translate", "0x1000", "--scenario", s.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("access at EL1: read access flag fault at level 3 (ESR 0x9600000b); write access "
                + "flag fault at level 3 (ESR 0x9600004b)"), r.out());
        r = run("translate", "0x1000", "--scenario", s.toString(), "--hw-access-flag");
        assertTrue(r.out().contains("access at EL1: read ok; write ok"), r.out());
        r = run("translate", "0x1000", "--scenario", s.toString(), "--hw-access-flag", "--machine", "qemu-virt");
        assertTrue(r.out().contains("read synchronous external abort (nothing at the PA) (ESR 0x96000010); write "
                + "synchronous external abort (nothing at the PA) (ESR 0x96000050)"), r.out());
        r = run("translate", "0x1000", "--scenario", s.toString(), "--cpu", "cortex-a57");
        assertEquals(1, r.status(), r.err());
        assertTrue(r.out().contains("-> address size fault at level 3 (an address beyond the 44-bit output size)"),
                r.out());
        Path low = dir.resolve("noaf-low.txt");
        Files.writeString(low, "table level=1\nmap 0x1000 0x2000 pa=0x40000000 flags=VALID\n"
                + "modify 0x1000 0x2000 updater=edit:levels=3,clear=ACCESSED\n");
        r = run("translate", "0x1000", "--scenario", low.toString(), "--hw-access-flag", "--cpu", "cortex-a57");
        assertTrue(r.out().contains("read access flag fault at level 3 (ESR 0x9600000b)"), r.out());
        assertUsageError(run("translate", "0x1000", "--scenario", s.toString(), "--cpu", "a53"),
                "pvmfw-paging translate", "--cpu must be any, qemu-max or cortex-a57");
        assertUsageError(run("translate", "0x1000", "--scenario", s.toString(), "--machine", "qemu-virt:x"),
                "pvmfw-paging translate", "--machine qemu-virt:MIB needs a number of MiB");
    }

    @Test
    void noArgumentsRunsTheMainJob() {
        ToolRun r = run();
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("pvmfw-paging: pvmfw's lazy MMIO guard mapping"), r.out());
    }
}
