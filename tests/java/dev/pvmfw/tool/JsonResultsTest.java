package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The commands' {@code --json} results (docs/json.md): one document each, with the format and its version, and the
 * values the text form gives, where the expected values come from the Arm ARM's encodings, not from our text output.
 */
class JsonResultsTest {
    @TempDir
    Path dir;

    static final ObjectMapper JSON = new ObjectMapper();

    record Result(int status, JsonNode doc) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        assertTrue(text.endsWith("}\n"), "one document, ending in a newline: " + text);
        return new Result(status, JSON.readTree(text));
    }

    static void assertHead(JsonNode doc, String command) {
        assertEquals("pvmfw-paging " + command, doc.get("format").asString());
        assertEquals(3, doc.get("formatVersion").asInt());
        assertEquals("0.4.0", doc.get("profile").get("id").asString());
        assertEquals("el1and0", doc.get("profile").get("regime").asString());
    }

    /** Level-1 root at 0x4000_0000: entry 1 a 1 GiB block of Normal memory, AF set; {@code extra} at entry 2. */
    Path image(String name, long extra) throws Exception {
        ByteBuffer t = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        t.putLong(8, 0x4000_0000L | 1L << 10 | 3L << 8 | 1L << 2 | 0b01);
        t.putLong(16, extra);
        Path p = dir.resolve(name);
        Files.write(p, t.array());
        return p;
    }

    @Test
    void translateGivesThePaOrTheFaultWithItsSyndromes() throws Exception {
        Path img = image("a.img", 0);
        Result hit = run("translate", "0x40001234", img.toString(), "--json");
        assertEquals(0, hit.status());
        assertHead(hit.doc(), "translate");
        assertEquals("0x40001234", hit.doc().get("translated").get("pa").asString());
        assertEquals(1, hit.doc().get("translated").get("level").asInt());
        assertEquals("0x40000000", hit.doc().get("translated").get("size").asString());

        Result miss = run("translate", "0x1234", img.toString(), "--json");
        assertEquals(1, miss.status());
        JsonNode fault = miss.doc().get("fault");
        assertEquals("translation", fault.get("kind").asString());
        assertEquals(1, fault.get("level").asInt());
        // ESR_EL1: EC 0x25 (data abort, same EL), IL 1, DFSC 0b000101 (translation fault, level 1); WnR bit 6.
        assertEquals("0x" + Long.toHexString(0x25L << 26 | 1L << 25 | 0b000101), fault.get("esrRead").asString());
        assertEquals("0x" + Long.toHexString(0x25L << 26 | 1L << 25 | 1L << 6 | 0b000101),
                fault.get("esrWrite").asString());
    }

    @Test
    void checkListsEveryViolationWithItsRule() throws Exception {
        Result r = run("check", image("b.img", 0).toString(), "--json");
        assertEquals(1, r.status(), "a writable, executable block is a finding");
        assertHead(r.doc(), "check");
        assertEquals(false, r.doc().get("ok").asBoolean());
        assertEquals(1, r.doc().get("violations").size());
        assertEquals("wx", r.doc().get("violations").get(0).get("rule").asString());
        assertEquals("0x40000000", r.doc().get("violations").get(0).get("va").asString());
    }

    @Test
    void diffNamesEachDifferingEntryAndTheBits() throws Exception {
        Path a = image("c.img", 0);
        Path b = image("d.img", 0x8000_0000L | 1L << 10 | 0b01); // entry 2: a Device block at PA 2 GiB
        Result r = run("diff", a.toString(), b.toString(), "--json");
        assertEquals(1, r.status());
        assertHead(r.doc(), "diff");
        JsonNode d = r.doc().get("differences").get(0);
        assertEquals(0, d.get("slot").asInt());
        assertEquals(2, d.get("index").asInt());
        assertEquals("0x0", d.get("a").get("raw").asString());
        assertEquals("0x80000401", d.get("b").get("raw").asString());
        assertEquals("0x401", d.get("bitsOnlyInB").asString());
        assertEquals(true, d.get("outputAddressDiffers").asBoolean());
        assertEquals(true, run("diff", a.toString(), a.toString(), "--json").doc().get("identical").asBoolean());
    }

    @Test
    void decodeGivesEveryFieldAndTheCratesVerdict() {
        // bit 2 alone: AttrIndx 1's low bit without NORMAL's shareability bits, a partial bitflags flag in 0.4.0
        Result r = run("decode", "0x405", "--level", "3", "--json", "--profile", "0.4.0");
        assertEquals(0, r.status());
        assertHead(r.doc(), "decode");
        assertEquals("reserved", r.doc().get("kinds").get(0).get("kind").asString(), "0b01 at level 3");
        assertEquals(1, r.doc().get("attributes").get("attrIndx").asInt());
        assertEquals(true, r.doc().get("attributes").get("af").asBoolean(), "bit 10");
        JsonNode crate = r.doc().get("crates").get(0);
        assertEquals(1, r.doc().get("crates").size(), "--profile: that one only");
        assertTrue(crate.get("flags").isNull(), "from_bits refuses part of NORMAL");
        assertEquals("part of NORMAL (bits 2, 8, 9): 0x4", crate.get("flagsProblems").get(0).asString());
    }
}
