package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Raw images of the regimes other than EL1&amp;0, read with {@code --profile 0.12.1 --regime …}: the images are the
 * reference's worked images R3 (Stage2) and R5 (El2), recorded from the real crate
 * ({@code ../shared/reference/aarch64-paging-0.12.md}, section 10). The expected Debug texts follow the crate's
 * {@code descriptor.rs} at tag 0.12.1 (the declaration order of {@code Stage2Attributes} and {@code El23Attributes},
 * bitflags 2.11's rule of naming each flag that adds a bit not yet printed, {@code Descriptor}'s {@code {:#016x}} and
 * {@code PhysicalAddress}'s {@code {:#018x}}; reference section 9, whose Stage 2 example is checked here too); the
 * decoded fields follow the Arm ARM's stage-2 MemAttr/S2AP and stage-1 EL2 encodings.
 */
class RegimeImageTest {
    @TempDir
    Path dir;

    static final ObjectMapper JSON = new ObjectMapper();

    /** One slot per array: entries {@code [index, value, index, value, …]}. */
    Path image(String name, long[]... slots) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4096 * slots.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int s = 0; s < slots.length; s++) {
            for (int i = 0; i < slots[s].length; i += 2) {
                b.putLong(4096 * s + 8 * (int) slots[s][i], slots[s][i + 1]);
            }
        }
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    /** R3 after op 1: a Stage2 level-1 root at PA 0x100000, a 2 MiB block split into pages, page 2 read-only. */
    Path r3() throws Exception {
        long[] pages = new long[2 * 512];
        for (int i = 0; i < 512; i++) {
            pages[2 * i] = i;
            pages[2 * i + 1] = i == 0 ? 0x400007ffL : i == 1 ? 0x400017ffL : i == 2 ? 0x4000277fL
                    : 0x400037ffL + 0x1000L * (i - 3);
        }
        return image("r3.img", new long[] {2, 0x101003}, new long[] {0, 0x102003}, pages);
    }

    /** R5 after op 0: an El2 level-2 root at PA 0x300000, 2 MiB mapped page by page (NO_BLOCK_MAPPINGS), XN. */
    Path r5() throws Exception {
        long[] pages = new long[2 * 512];
        for (int i = 0; i < 512; i++) {
            pages[2 * i] = i;
            pages[2 * i + 1] = 0x40000000200707L + 0x1000L * i;
        }
        return image("r5.img", new long[] {1, 0x301003}, pages);
    }

    static JsonNode json(ToolRun r) {
        return JSON.readTree(r.out());
    }

    static JsonNode entry(JsonNode dump, int slot, int index) {
        for (JsonNode t : dump.get("tables")) {
            if (t.get("slot").asInt() == slot) {
                for (JsonNode e : t.get("entries")) {
                    if (e.get("index").asInt() == index) {
                        return e;
                    }
                }
            }
        }
        throw new AssertionError("no entry " + slot + "[" + index + "]");
    }

    static final String[] R3 = {"--profile", "0.12.1", "--regime", "stage2", "--pa-base", "0x100000"};
    static final String[] R5 = {"--profile", "0.12.1", "--regime", "el2", "--pa-base", "0x300000", "--root-level",
        "2"};

    static String[] args(String[] head, String[] tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Test
    void stage2DumpShowsMemAttrS2apShAfXnAndTheCratesStage2Debug() throws Exception {
        ToolRun r = ToolRun.of(args(new String[] {"dump", r3().toString(), "--format", "json"}, R3));
        assertEquals(0, r.status(), r.err());
        JsonNode doc = json(r);
        assertEquals("stage2", doc.get("profile").get("regime").asString());
        JsonNode ro = entry(doc, 2, 2);
        assertEquals("0x0000004000277f (0x0000000040002000, Stage2Attributes(VALID | TABLE_OR_PAGE | "
                + "MEMATTR_DEVICE_nGnRE | MEMATTR_DEVICE_nGRE | MEMATTR_NORMAL_OUTER_NC | MEMATTR_NORMAL_OUTER_WT | "
                + "S2AP_ACCESS_RO | SH_OUTER | SH_INNER | ACCESS_FLAG))", ro.get("debug").asString());
        JsonNode a = ro.get("attributes");
        assertEquals(0b1111, a.get("memAttr").asInt(), "bits 5:2 of 0x77f");
        assertEquals("MEM/NORMAL-WB", a.get("memoryType").asString(), "MemAttr 11|11: outer and inner write-back");
        assertEquals("RO", a.get("s2ap").asString(), "S2AP 0b01: read-only");
        assertEquals("SHD", a.get("sh").asString(), "SH 0b11: inner shareable");
        assertTrue(a.get("af").asBoolean());
        assertFalse(a.get("xn").asBoolean());
        assertFalse(a.has("attrIndx"), "stage 2 has no AttrIndx: " + a);
        assertEquals("RW", entry(doc, 2, 0).get("attributes").get("s2ap").asString(), "0x7ff: S2AP 0b11");
        // A table descriptor has no leaf attributes.
        assertFalse(entry(doc, 0, 2).has("attributes"));

        ToolRun text = ToolRun.of(args(new String[] {"dump", r3().toString()}, R3));
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().startsWith("---[ root level 1, Stage2 lower (VTTBR_EL2) range, VA size 2^39"),
                text.out());
        assertTrue(text.out().contains("0x0000000080002000-0x0000000080003000       4K PTE       RO x  AF SHD "
                + "MEM/NORMAL-WB\n"), text.out());
        ToolRun tree = ToolRun.of(args(new String[] {"dump", r3().toString(), "--format", "tree"}, R3));
        assertTrue(tree.out().contains("PA:0x40002000 size:0x1000 PAGE RO x AF SHD MEM/NORMAL-WB"), tree.out());
    }

    @Test
    void theSvgMapColoursAStage2LeafByItsMemAttr() throws Exception {
        // A level-2 root with one stage-2 block of Device-nGnRE (MemAttr 0b0001), S2AP RW, AF: 0x4c5; under El1And0
        // the same bit 2 is AttrIndx 1, Normal memory in pvmfw's MAIR.
        Path img = image("s2dev.img", new long[] {0, 0x4000_0000L | 0x4c5});
        ToolRun s2 = ToolRun.of("dump", img.toString(), "--format", "svg", "--profile", "0.12.1", "--regime", "stage2",
                "--root-level", "2");
        assertEquals(0, s2.status(), s2.err());
        assertTrue(s2.out().contains("<g class=\"region\" data-kind=\"valid-device\" data-start=\"0x0\""), s2.out());
        assertTrue(s2.out().contains("RW x AF NSH DEVICE/nGnRE"), s2.out());
        ToolRun el1 = ToolRun.of("dump", img.toString(), "--format", "svg", "--profile", "0.12.1", "--root-level", "2");
        assertTrue(el1.out().contains("<g class=\"region\" data-kind=\"valid-memory\" data-start=\"0x0\""), el1.out());
    }

    @Test
    void theRegimeChangesTheNamesOfTheSameBits() throws Exception {
        // Bit 54 is XN in El23Attributes and UXN in El1Attributes; bit 6 is USER_RES1 and USER.
        ToolRun el2 = ToolRun.of(args(new String[] {"dump", r5().toString(), "--format", "json"}, R5));
        assertEquals(0, el2.status(), el2.err());
        JsonNode page = entry(json(el2), 1, 0);
        assertEquals("0x40000000200707 (0x0000000000200000, El23Attributes(VALID | TABLE_OR_PAGE | ATTRIBUTE_INDEX_1"
                + " | OUTER_SHAREABLE | INNER_SHAREABLE | ACCESSED | XN))", page.get("debug").asString());
        assertTrue(page.get("attributes").get("xn").asBoolean());
        assertFalse(page.get("attributes").has("pxn"), "EL2 has one privilege level: XN, no PXN/UXN");
        String[] asEl1 = R5.clone();
        asEl1[3] = "el1and0";
        JsonNode el1 = entry(json(ToolRun.of(args(new String[] {"dump", r5().toString(), "--format", "json"},
                asEl1))), 1, 0);
        assertEquals("0x40000000200707 (0x0000000000200000, El1Attributes(VALID | TABLE_OR_PAGE | ATTRIBUTE_INDEX_1"
                + " | OUTER_SHAREABLE | INNER_SHAREABLE | ACCESSED | UXN))", el1.get("debug").asString());
        assertTrue(el1.get("attributes").get("uxn").asBoolean());
    }

    @Test
    void checkFindsWriteAndExecuteAtTheRegimesOwnLevel() throws Exception {
        // R3's pages are S2AP RW (or RO) with XN clear: writable and executable at stage 2, except the RO page 2.
        ToolRun s2 = ToolRun.of(args(new String[] {"check", r3().toString()}, R3));
        assertEquals(1, s2.status(), s2.out());
        assertTrue(s2.out().contains("writable and executable at stage 2"), s2.out());
        assertEquals(511, s2.out().lines().filter(l -> l.contains("wx")).count(), "every page but the RO one");
        // R5's pages are XN: none at EL2. The same bits under El1And0 are PXN clear: writable and executable at EL1.
        ToolRun el2 = ToolRun.of(args(new String[] {"check", r5().toString()}, R5));
        assertEquals(0, el2.status(), el2.out());
        String[] asEl1 = R5.clone();
        asEl1[3] = "el1and0";
        ToolRun el1 = ToolRun.of(args(new String[] {"check", r5().toString()}, asEl1));
        assertEquals(1, el1.status(), el1.out());
        assertTrue(el1.out().contains("writable and executable at EL1"), el1.out());
    }

    @Test
    void translateWalksAStage2TableAndGivesTheS2apVerdict() throws Exception {
        // R3's page 2 is 0x4000277f: S2AP (bits 7:6) 0b01 = S2AP_ACCESS_RO (reference, "Descriptor layout and
        // attribute bits"), AF set: reads, no writes.
        ToolRun r = ToolRun.of(args(new String[] {"translate", "0x80002abc", r3().toString()}, R3));
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("translate 0x80002abc (root level 1, lower range, Stage2)"), r.out());
        assertTrue(r.out().contains("-> PA 0x40002abc (4K page at level 3), RO x AF SHD MEM/NORMAL-WB"), r.out());
        assertTrue(r.out().contains("access at stage 2: read ok; write permission fault at level 3 (stage 2, to EL2)"
                + " (S2AP RO, AF set)"), r.out());
        JsonNode doc = json(ToolRun.of(args(new String[] {"translate", "0x80002abc", r3().toString(), "--json"}, R3)));
        assertEquals("0x40002abc", doc.get("translated").get("pa").asString());
        assertTrue(doc.get("access").get("read").get("ok").asBoolean(), doc.toString());
        JsonNode write = doc.get("access").get("write");
        assertFalse(write.get("ok").asBoolean(), doc.toString());
        assertEquals("permission", write.get("kind").asString());
        assertEquals(3, write.get("level").asInt());
        assertFalse(write.has("esr"), "a stage-2 fault is taken to EL2: no ESR_EL1");
        // Page 3 is 0x400037ff: S2AP 0b11 = RW.
        ToolRun rw = ToolRun.of(args(new String[] {"translate", "0x80003000", r3().toString()}, R3));
        assertTrue(rw.out().contains("access at stage 2: read ok; write ok (S2AP RW, AF set)"), rw.out());
        ToolRun el2 = ToolRun.of(args(new String[] {"translate", "0x200000", r5().toString()}, R5));
        assertTrue(el2.out().contains("access at EL2: read ok; write ok"), el2.out());
    }

    @Test
    void translateBatchReadsTheRegimeAsTheSingleTranslateDoes() throws Exception {
        Path list = dir.resolve("stage2.txt");
        java.nio.file.Files.writeString(list, "0x80002abc\n");
        ToolRun r = ToolRun.of(args(new String[] {"translate", "--batch", list.toString(), r3().toString()}, R3));
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals("0x80002abc -> PA 0x40002abc (4K page at level 3), RO x AF SHD MEM/NORMAL-WB; "
                + "access at stage 2: read ok; write permission fault at level 3 (stage 2, to EL2) (S2AP RO, AF set)",
                r.out().strip());
        JsonNode doc = json(ToolRun.of(args(new String[] {"translate", "--batch", list.toString(), r3().toString(),
            "--json"}, R3)));
        assertEquals("stage2", doc.get("profile").get("regime").asString());
        JsonNode t = doc.get("translations").get(0);
        assertEquals("0x40002abc", t.get("translated").get("pa").asString());
        assertFalse(t.get("access").get("write").get("ok").asBoolean(), t.toString());
        Path el2List = dir.resolve("el2.txt");
        java.nio.file.Files.writeString(el2List, "0x200000\n");
        ToolRun el2 = ToolRun.of(args(new String[] {"translate", "--batch", el2List.toString(), r5().toString()}, R5));
        assertTrue(el2.out().contains("; access at EL2: read ok; write ok"), el2.out());
    }

    @Test
    void diffNamesTheBitsInTheRegimesAttributeType() throws Exception {
        Path a = r3();
        Path b = image("b.img", new long[] {2, 0x101003}, new long[] {0, 0x102003}, new long[] {0, 0x400007bfL});
        ToolRun r = ToolRun.of(args(new String[] {"diff", a.toString(), b.toString()}, R3));
        assertEquals(1, r.status(), r.out());
        // 0x7ff vs 0x7bf: bit 6, S2AP's read bit, is Stage2Attributes' S2AP_ACCESS_RO.
        assertTrue(r.out().contains("bits only in a: Stage2Attributes(S2AP_ACCESS_RO)"), r.out());
    }

    @Test
    void decodeShowsBothProfilesVerdictsSideBySide() {
        ToolRun r = ToolRun.of("decode", "0x405", "--level", "2");
        assertEquals(0, r.status(), r.err());
        // 0.4.0 (bitflags 2.0.2): bit 2 is part of NORMAL (0x304) without its other bits, so flags() is None;
        // 0.12.1 (bitflags 2.11): ATTRIBUTE_INDEX_1 is 1 << 2, and flags() is always the bits.
        assertTrue(r.out().contains("  flags():\n"
                + "    aarch64-paging 0.4.0   None — part of NORMAL (bits 2, 8, 9): 0x4\n"
                + "    aarch64-paging 0.12.1  Some(El1Attributes(VALID | ATTRIBUTE_INDEX_1 | ACCESSED))\n"), r.out());
        assertTrue(r.out().contains("  Debug:\n    aarch64-paging 0.4.0   0x00000000000405\n"
                + "    aarch64-paging 0.12.1  0x00000000000405 (0x0000000000000000, El1Attributes(VALID | "
                + "ATTRIBUTE_INDEX_1 | ACCESSED))\n"), r.out());
        ToolRun one = ToolRun.of("decode", "0x405", "--profile", "0.12.1");
        assertFalse(one.out().contains("0.4.0"), one.out());
    }

    @Test
    void decodeOfAStage2DescriptorGivesItsFieldsAndThe012Verdict() {
        // The reference's section 9 example: Stage 2 flags 0x7fd.
        ToolRun r = ToolRun.of("decode", "0x400007fd", "--regime", "stage2", "--level", "2");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("    aarch64-paging 0.12.1  Some(Stage2Attributes(VALID | MEMATTR_DEVICE_nGnRE | "
                + "MEMATTR_DEVICE_nGRE | MEMATTR_NORMAL_OUTER_NC | MEMATTR_NORMAL_OUTER_WT | S2AP_ACCESS_RO | "
                + "S2AP_ACCESS_WO | SH_OUTER | SH_INNER | ACCESS_FLAG))\n"), r.out());
        assertTrue(r.out().contains("    aarch64-paging 0.4.0   (no Stage2 regime"), r.out());
        assertTrue(r.out().contains("MemAttr 0b1111 (MEM/NORMAL-WB), S2AP RW, SH SHD, AF"), r.out());
        JsonNode doc = json(ToolRun.of("decode", "0x400007fd", "--regime", "stage2", "--json"));
        assertTrue(doc.get("profile").isNull(), "every profile shown");
        assertEquals("stage2", doc.get("regime").asString());
        assertEquals("RW", doc.get("attributes").get("s2ap").asString());
        assertFalse(doc.get("crates").get(0).get("knowsRegime").asBoolean(), "0.4.0");
        JsonNode v0121 = doc.get("crates").get(1);
        assertEquals("0.12.1", v0121.get("profile").get("id").asString());
        assertEquals("stage2", v0121.get("profile").get("regime").asString());
        assertTrue(v0121.get("flags").asString().startsWith("Stage2Attributes(VALID | MEMATTR_DEVICE_nGnRE"));
        assertEquals(false, v0121.get("isTableOrPage").asBoolean(), "bit 1 clear");
        // El2: bit 54 is XN.
        ToolRun el2 = ToolRun.of("decode", "0x40000000000403", "--regime", "el2", "--profile", "0.12.1", "--level",
                "3");
        assertTrue(el2.out().contains("El23Attributes(VALID | TABLE_OR_PAGE | ACCESSED | XN)"), el2.out());
        assertTrue(el2.out().contains("AttrIndx 0 (DEVICE/nGnRE), AP[2:1] 0, SH NSH, AF, XN"), el2.out());
    }

    /** R3's two operations as a scenario: its final arena is {@link #r3}'s image. */
    Path r3Scenario() throws Exception {
        Path p = dir.resolve("r3.txt");
        Files.writeString(p, """
                scenario r3
                profile 0.12.1
                arena slots=3 pa-base=0x100000
                table level=1 va-range=lower regime=stage2
                map 0x80000000 0x80200000 pa=0x40000000 flags=0x7fd
                map 0x80002000 0x80003000 pa=0x40002000 flags=0x77d
                """);
        return p;
    }

    @Test
    void aStage2ScenarioIsReadByItsOwnProfileAsItsOwnRegime() throws Exception {
        // Before: read by the default --profile 0.4.0 as El1&0, R3's page 2 came out "RW x USR AF SHD
        // DEVICE/nGnRnE" and translate answered "access at EL1": a silently wrong reading of a stage-2 table.
        for (String[] cmd : new String[][] {{"dump"}, {"dump", "--format", "json"}, {"translate", "0x80002abc"},
            {"check"}}) {
            ToolRun raw = ToolRun.of(args(args(cmd, new String[] {r3().toString()}), R3));
            ToolRun scenario = ToolRun.of(args(cmd, new String[] {"--scenario", r3Scenario().toString()}));
            assertEquals(raw.status(), scenario.status(), String.join(" ", cmd) + ": " + scenario.err());
            assertEquals(raw.out().replace(r3().toString(), "FILE"), scenario.out().replace(r3Scenario().toString(),
                    "FILE"), String.join(" ", cmd));
        }
        ToolRun t = ToolRun.of("translate", "0x80002abc", "--scenario", r3Scenario().toString());
        assertTrue(t.out().contains("access at stage 2: read ok; write permission fault at level 3 (stage 2, to EL2)"
                + " (S2AP RO, AF set)"), t.out());
        // The options that agree with the scenario's own lines are accepted.
        ToolRun agreeing = ToolRun.of(args(new String[] {"dump", "--scenario", r3Scenario().toString()}, R3));
        assertEquals(0, agreeing.status(), agreeing.err());
    }

    @Test
    void aScenarioIsNotReadByAnotherProfileOrLayout() throws Exception {
        String s = r3Scenario().toString();
        ToolRun profile = ToolRun.of("dump", "--scenario", s, "--profile", "0.4.0");
        assertEquals(2, profile.status(), profile.err());
        assertTrue(profile.err().contains("0.12.1") && profile.err().contains("0.4.0"), profile.err());
        ToolRun paBase = ToolRun.of("dump", "--scenario", s, "--pa-base", "0x40000000");
        assertEquals(2, paBase.status(), paBase.err());
        assertTrue(paBase.err().contains("--pa-base: a --scenario table's layout is the scenario's own"),
                paBase.err());
        ToolRun level = ToolRun.of("dump", "--scenario", s, "--root-level", "2");
        assertEquals(2, level.status(), level.err());
        assertTrue(level.err().contains("--root-level: a --scenario table's layout"), level.err());
        ToolRun slot = ToolRun.of("dump", "--scenario", s, "--root-slot", "1");
        assertEquals(2, slot.status(), slot.err());
        assertTrue(slot.err().contains("--root-slot: a --scenario table's layout"), slot.err());
        ToolRun range = ToolRun.of("dump", "--scenario", s, "--va-range", "upper");
        assertEquals(2, range.status(), range.err());
        assertTrue(range.err().contains("--va-range: a --scenario table's layout"), range.err());
    }

    @Test
    void aScenarioIsNotReadAsAnotherRegime() throws Exception {
        Path s = dir.resolve("s.txt");
        Files.writeString(s, "scenario s\narena slots=2\ntable level=1 va-range=lower\n");
        ToolRun r = ToolRun.of("dump", "--scenario", s.toString(), "--profile", "0.12.1", "--regime", "el2");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--regime el2: the scenario's table is of regime el1and0 (its table step)"),
                r.err());
        ToolRun stage2 = ToolRun.of("dump", "--scenario", r3Scenario().toString(), "--regime", "el1and0");
        assertEquals(2, stage2.status(), stage2.err());
        assertTrue(stage2.err().contains("--regime el1and0: the scenario's table is of regime stage2"), stage2.err());
    }
}
