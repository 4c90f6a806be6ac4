package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.testing.Property;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every subcommand end to end, in process: outputs, exit codes, and bad input that must never escape as a trace. */
class ToolTest {
    @TempDir
    Path dir;

    /** The command line, in process. */
    static ToolRun run(String... args) {
        return ToolRun.of(args);
    }

    /** S3 (lazy device block, then one page DEVICE; {@code docs/aarch64-paging-0.4.0.md}, "Worked images"), saved. */
    Path s3Image() throws Exception {
        Path scenario = dir.resolve("s3.txt");
        Files.writeString(scenario, """
                scenario s3
                arena slots=4
                table level=1 va-range=lower
                map 0x9000000 0x9200000 pa=0x9000000 flags=SWFLAG_0|EXECUTE_NEVER
                map 0x9001000 0x9002000 pa=0x9001000 flags=VALID|SWFLAG_0|EXECUTE_NEVER
                """);
        Path image = dir.resolve("s3.img");
        ToolRun r = run("run", scenario.toString(), "--save", image.toString());
        assertEquals(0, r.status(), r.err());
        return image;
    }

    @Test
    void runPrintsEveryStepAndSaves() throws Exception {
        Path image = s3Image();
        assertEquals(4 * 4096, Files.size(image));
        ToolRun r = run("run", dir.resolve("s3.txt").toString());
        assertTrue(r.out().contains("  2  map 0x9001000 0x9002000 pa=0x9001000 flags=VALID|EXECUTE_NEVER|SWFLAG_0"),
                r.out());
        assertTrue(r.out().contains("-> ok  events +2"), r.out());
        assertTrue(r.out().contains("final arena: 4 slots, sha256 "), r.out());
    }

    /** The ranges dump of S3: one valid device page between two lazy runs; the L2 garbage counted, not listed. */
    @Test
    void dumpRangesOfS3() throws Exception {
        ToolRun r = run("dump", s3Image().toString());
        assertEquals(0, r.status());
        assertEquals("""
                ---[ root level 1, lower (TTBR0) range, VA size 2^39, 3 tables used of 4 (spare 1) ]---
                0x0000000009000000-0x0000000009001000       4K PTE lazy  RW NX UXN     AF            NSH DEVICE/nGnRE SW0
                0x0000000009001000-0x0000000009002000       4K PTE       RW NX UXN     AF            NSH DEVICE/nGnRE SW0
                0x0000000009002000-0x0000000009200000    2040K PTE lazy  RW NX UXN     AF            NSH DEVICE/nGnRE SW0
                (511 invalid non-zero descriptors not shown: 0.4.0 split garbage or unmapped leaves)
                """, r.out());
    }

    @Test
    void dumpTreeOfS3() throws Exception {
        ToolRun r = run("dump", s3Image().toString(), "--format", "tree");
        assertEquals("""
                Translation tables: root level 1, lower (TTBR0) range, VA size 2^39, 3 tables used of 4 (spare 1)
                  PA base 0x40000000, root slot 0 at PA 0x40000000
                [LV1] VA:0x0 size:0x40000000 TABLE PA:0x40001000 slot 1
                  (72 invalid descriptors omitted)
                  [LV2] VA:0x9000000 size:0x200000 TABLE PA:0x40002000 slot 2
                    [LV3] VA:0x9000000 PA:0x9000000 size:0x1000 LAZY RW NX UXN AF NSH DEVICE/nGnRE SW0
                    [LV3] VA:0x9001000 PA:0x9001000 size:0x1000 PAGE RW NX UXN AF NSH DEVICE/nGnRE SW0
                    [LV3] VA:0x9002000 PA:0x9002000 size:0x1fe000 LAZY x510 RW NX UXN AF NSH DEVICE/nGnRE SW0
                  (439 invalid descriptors omitted)
                """, r.out());
    }

    @Test
    void dumpJsonOfS3() throws Exception {
        ToolRun r = run("dump", s3Image().toString(), "--format", "json");
        assertEquals(0, r.status());
        tools.jackson.databind.JsonNode doc = new tools.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals("pvmfw-paging dump", doc.get("format").asString());
        assertEquals(3, doc.get("formatVersion").asInt());
        assertEquals("aarch64-paging 0.4.0 + bitflags 2.0.2", doc.get("profile").get("crates").asString());
        assertEquals(1, doc.get("image").get("rootLevel").asInt());
        // S3 (docs/aarch64-paging-0.4.0.md, "Worked images"): root -> L2 -> L3, the lazy 2 MiB block split there.
        tools.jackson.databind.JsonNode tables = doc.get("tables");
        assertEquals(3, tables.size());
        assertEquals(java.util.List.of(1, 2, 3), java.util.stream.StreamSupport.stream(tables.spliterator(), false)
                .map(t -> t.get("level").asInt()).toList());
        assertEquals(1 + 512 + 512, java.util.stream.StreamSupport.stream(tables.spliterator(), false)
                .mapToInt(t -> t.get("entries").size()).sum(), "root[0], every L2 and L3 entry");
        tools.jackson.databind.JsonNode page = java.util.stream.StreamSupport.stream(tables.get(2).get("entries")
                .spliterator(), false).filter(e -> e.get("index").asInt() == 1).findFirst().orElseThrow();
        assertEquals("0xe0000009001403", page.get("raw").asString());
        assertEquals("page", page.get("kind").asString());
        assertEquals("0x9001000", page.get("va").asString());
        assertEquals("Attributes(VALID | TABLE_OR_PAGE | DEVICE_NGNRE | ACCESSED | EXECUTE_NEVER | SWFLAG_0)",
                page.get("flags").asString());
        assertEquals(0, doc.get("violations").size());
    }

    @Test
    void translateShowsTheWalkThenThePaOrTheFaultAndItsEsr() throws Exception {
        Path image = s3Image();
        ToolRun valid = run("translate", "0x9001234", image.toString());
        assertEquals(0, valid.status(), valid.err());
        assertTrue(valid.out().contains("  L3[1  ] 0xe0000009001403 (0x0000000009001000, Attributes(VALID"), valid.out());
        assertTrue(valid.out().contains("-> PA 0x9001234 (4K page at level 3), RW NX UXN AF NSH DEVICE/nGnRE SW0"),
                valid.out());
        ToolRun lazy = run("translate", "0x9005000", image.toString());
        assertEquals(1, lazy.status());
        assertTrue(lazy.out().contains("-> translation fault at level 3 (lazy MMIO: invalid, SWFLAG_0; pvmfw maps it "
                + "on this fault)"), lazy.out());
        assertTrue(lazy.out().contains("ESR: read 0x96000007, write 0x96000047; pvmfw decodes it as Translation fault"),
                lazy.out());
        ToolRun outside = run("translate", "0x8000000000", image.toString());
        assertTrue(outside.out().contains("-> translation fault at level 0 (VA outside the table's range)"),
                outside.out());
        assertEquals(2, run("translate", "nope", image.toString()).status());
    }

    @Test
    void runAgainstRustComparesEveryStepOrSaysWhyNot() throws Exception {
        Path scenario = dir.resolve("lazy.txt");
        Files.writeString(scenario, """
                scenario lazy
                tracker
                mmio-map 0x9000000 0x9200000
                fault 0x9001000
                fault 0x9001000
                mmio-unmap-all
                """);
        ToolRun r = run("run", scenario.toString(), "--against-rust");
        if (dev.pvmfw.oracle.rust.OracleLibrary.availability().available()) {
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("[identical in Rust]"), r.out());
            // the scenario's 5 steps and the drop the runner appends (docs/scenarios.md, "What is compared")
            assertTrue(r.out().contains("[identical in Rust]  (appended: every comparison ends with a drop)"), r.out());
            assertTrue(r.out().contains("cross-check: all 6 steps identical in Java and Rust"), r.out());
        } else {
            assertEquals(1, r.status());
            assertTrue(r.err().contains("cannot cross-check"), r.err());
        }
        ToolRun java = run("run", scenario.toString());
        assertTrue(java.out().contains("fault 0x9001000") && java.out().contains("hyp [MMIO_GUARD_MAP(0x9001000) -> 0x0]"),
                java.out());
        assertTrue(java.out().contains("tracker-err InvalidPte"), java.out());
    }

    /**
     * run prints each step's arena digest and, under a tracker step, each call of pvmfw's own callbacks: the fault's
     * verify_lazy_mapped_block on the L1 table and the L2 lazy block (docs/pvmfw-2023-05.md, "The fault handler").
     */
    @Test
    void runPrintsEachStepsArenaDigestAndTheCallbacksOfTrackerSteps() throws Exception {
        Path scenario = dir.resolve("callbacks.txt");
        Files.writeString(scenario, "scenario callbacks\ntracker\nmmio-map 0x9000000 0x9200000\nfault 0x9001000\n");
        ToolRun r = run("run", scenario.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(java.util.regex.Pattern.compile(
                "(?m)^  1  mmio-map 0x9000000 0x9200000 +-> ok  events \\+1  arena [0-9a-f]{16}$")
                .matcher(r.out()).find(), r.out());
        assertTrue(r.out().contains("       callback L1 0x0..0x40000000 0x40001003->0x40001003\n"
                + "       callback L2 0x9000000..0x9200000 0xe0000009000400->0xe0000009000400\n"), r.out());
    }

    @Test
    void decodeExplainsTheCratesView() {
        ToolRun r = run("decode", "0x405", "--level", "2");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("kind at level 2: block of 2M"), r.out());
        assertTrue(r.out().contains("flags():\n    aarch64-paging 0.4.0   None — part of NORMAL (bits 2, 8, 9): 0x4"),
                r.out());
        assertEquals(2, run("decode", "zzz").status());
        assertEquals(2, run("decode", "1", "--level", "4").status());
    }

    @Test
    void checkPassesS3AndFindsViolationsInCraftedImages() throws Exception {
        assertEquals(0, run("check", s3Image().toString()).status());
        // root[0] -> itself (a cycle), root[1] -> outside the image, root[2] a W+X 1 GiB block, root[3] lazy NORMAL
        byte[] img = new byte[2 * 4096];
        MemorySegment s = MemorySegment.ofArray(img);
        TableLayout.write(s, 0, 0x4000_0003L);
        TableLayout.write(s, 1, 0x9000_0003L);
        TableLayout.write(s, 2, 0x8000_0000L | 0x705);
        TableLayout.write(s, 3, (1L << 55) | 0x8000_0000L | 0x304 | 0x400);
        Path bad = dir.resolve("bad.img");
        Files.write(bad, img);
        ToolRun r = run("check", bad.toString());
        assertEquals(1, r.status());
        for (String rule : new String[] {"cycle:", "pointer-outside-image:", "wx:", "lazy-not-device:"}) {
            assertTrue(r.out().contains(rule), rule + " in\n" + r.out());
        }
        assertEquals(0, run("dump", bad.toString(), "--format", "tree").status());
    }

    @Test
    void diffShowsDecodedEntryDifferences() throws Exception {
        Path a = s3Image();
        byte[] bytes = Files.readAllBytes(a);
        MemorySegment.ofArray(bytes).set(TableLayout.DESCRIPTOR, 2 * 4096 + 2 * 8, 0x00E0_0000_0900_2403L);
        Path b = dir.resolve("b.img");
        Files.write(b, bytes);
        ToolRun r = run("diff", a.toString(), b.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().startsWith("slot 2 index 2 (level 3, VA 0x9002000)\n  a 0xe0000009002402\n  b "
                + "0xe0000009002403 (0x0000000009002000, Attributes(VALID | TABLE_OR_PAGE"), r.out());
        assertTrue(r.out().contains("bits only in b: Attributes(VALID)"), r.out());
        assertEquals(0, run("diff", a.toString(), a.toString()).status());
    }

    @Test
    void malformedInputIsAOneLineUsageError() throws Exception {
        Path truncated = dir.resolve("t.img");
        Files.write(truncated, new byte[4095]);
        Path empty = dir.resolve("e.img");
        Files.write(empty, new byte[0]);
        Path badScenario = dir.resolve("bad.txt");
        Files.writeString(badScenario, "table level=1\nmap 0 0x1000 pa=0 flags=VALID|NOPE\n");
        String[][] cases = {
            {"dump", truncated.toString()},
            {"dump", empty.toString()},
            {"dump", dir.resolve("missing.img").toString()},
            {"check", truncated.toString(), "--pa-base", "0x123"},
            {"dump", truncated.toString(), "--root-level", "7"},
            {"run", badScenario.toString()},
            {"run", dir.resolve("missing.txt").toString()},
            {"dump", "--format", "xml", "x"},
            {"check", "--frobnicate"},
            {"nonsense"},
        };
        for (String[] c : cases) {
            ToolRun r = run(c);
            assertEquals(2, r.status(), String.join(" ", c) + " -> " + r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            assertFalse(r.err().isBlank());
        }
        assertTrue(run("run", badScenario.toString()).err().contains("line 2: unknown flag 'NOPE'"));
    }

    @TestFactory
    Stream<DynamicTest> randomGarbageImagesNeverEscapeAsExceptions() {
        return Property.shards("ToolTest#randomGarbageImagesNeverEscapeAsExceptions", 200, 20,
                r -> new long[] {r.nextLong(), r.nextInt(4)}, in -> {
                    java.util.SplittableRandom r = new java.util.SplittableRandom(in[0]);
                    byte[] img = new byte[(int) (1 + (in[1] & 3)) * 4096];
                    MemorySegment s = MemorySegment.ofArray(img);
                    for (int i = 0; i < img.length / 8; i++) {
                        long v = switch (r.nextInt(4)) {
                            case 0 -> 0;
                            case 1 -> r.nextLong();
                            case 2 -> 0x4000_0000L + r.nextInt(4) * 4096L + 3;
                            default -> r.nextLong() | 1;
                        };
                        TableLayout.write(s, i, v);
                    }
                    Path p = dir.resolve("g" + Long.toHexString(in[0]) + ".img");
                    Files.write(p, img);
                    for (String format : new String[] {"ranges", "tree", "json"}) {
                        ToolRun res = run("dump", p.toString(), "--format", format, "--root-level", "0");
                        assertEquals(0, res.status(), res.err());
                    }
                    int status = run("check", p.toString()).status();
                    assertTrue(status == 0 || status == 1);
                });
    }

    static final java.util.List<String> COMMANDS = java.util.List.of("demo", "run", "dump", "translate", "decode",
            "check", "diff", "fuzz");

    @Test
    void everyCommandHasHelp() {
        for (String c : COMMANDS) {
            ToolRun r = run(c, "--help");
            assertEquals(0, r.status(), c);
            assertTrue(r.out().startsWith("Usage: pvmfw-paging " + c), c + ": " + r.out());
        }
        ToolRun root = run("--help");
        assertEquals(0, root.status());
        for (String c : COMMANDS) {
            assertTrue(root.out().contains("  " + c + " "), c + " listed: " + root.out());
        }
    }

    @Test
    void fuzzWithoutTheOracleSaysWhy() {
        if (dev.pvmfw.oracle.rust.OracleLibrary.availability().available()) {
            ToolRun r = run("fuzz", "--seed", "7", "--steps", "300");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("no divergence"), r.out());
        } else {
            ToolRun r = run("fuzz", "--seed", "7", "--steps", "300");
            assertEquals(1, r.status());
            assertTrue(r.err().contains("fuzz: needs the Rust oracle"), r.err());
        }
    }
}
