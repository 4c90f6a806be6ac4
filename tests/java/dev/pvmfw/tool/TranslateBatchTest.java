package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code translate --batch FILE} (issue 13): one line per address, each the single translate's result; the addresses
 * pinned against an identity map, where the scenario says PA = VA, so the expected output addresses do not come from
 * the tool.
 */
class TranslateBatchTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** An identity map: 4 KiB pages at 0x1000..0x3000 and a 2 MiB block at 0x200000..0x400000, PA = VA. */
    Path identity() throws Exception {
        Path s = dir.resolve("identity.txt");
        Files.writeString(s, "table level=1\nmap 0x1000 0x3000 pa=0x1000 flags=VALID\n"
                + "map 0x200000 0x400000 pa=0x200000 flags=VALID\n");
        return s;
    }

    /** Mapped by {@link #identity}: each translates to itself. */
    static final long[] MAPPED = {0x1000, 0x1234, 0x2fff, 0x200000, 0x3ff008};
    /** Not mapped: a zero entry at level 3, at level 2, at level 1, and beyond the 39-bit VA range. */
    static final long[] UNMAPPED = {0x3000, 0x600000, 0x40000000, 0x80_0000_0000L};

    Path lines(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    /** The single translate's two result lines, without indent, joined as the batch joins them. */
    static String singleResult(String out) {
        List<String> lines = out.lines().toList();
        int arrow = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("  -> ")) {
                arrow = i;
            }
        }
        assertTrue(arrow > 0 && arrow + 1 < lines.size(), out);
        return lines.get(arrow).strip() + "; " + lines.get(arrow + 1).strip();
    }

    @Test
    void batchLinesAreTheSingleTranslatesResultsAndTheIdentityMapsAddresses() throws Exception {
        Path s = identity();
        StringBuilder text = new StringBuilder("# identity map\n\n");
        List<Long> all = new ArrayList<>();
        for (long va : MAPPED) {
            all.add(va);
        }
        for (long va : UNMAPPED) {
            all.add(va);
        }
        for (long va : all) {
            text.append(all.indexOf(va) % 2 == 0 ? "0x" + Long.toHexString(va) : "  " + va + "  # decimal")
                    .append('\n');
        }
        ToolRun batch = ToolRun.of("translate", "--batch", lines("a.txt", text.toString()).toString(), "--scenario",
                s.toString());
        assertEquals(1, batch.status(), batch.err()); // some fault
        List<String> out = batch.out().lines().toList();
        assertEquals(all.size(), out.size(), batch.out());
        for (int i = 0; i < all.size(); i++) {
            long va = all.get(i);
            ToolRun single = ToolRun.of("translate", "0x" + Long.toHexString(va), "--scenario", s.toString());
            assertEquals("0x" + Long.toHexString(va) + " " + singleResult(single.out()), out.get(i));
            if (i < MAPPED.length) {
                assertEquals(0, single.status());
                assertTrue(out.get(i).startsWith("0x" + Long.toHexString(va) + " -> PA 0x" + Long.toHexString(va)
                        + " ("), out.get(i));
            } else {
                assertEquals(1, single.status());
                assertTrue(out.get(i).contains("-> translation fault at level "), out.get(i));
            }
        }
        StringBuilder mappedOnly = new StringBuilder();
        for (long va : MAPPED) {
            mappedOnly.append("0x").append(Long.toHexString(va)).append('\n');
        }
        ToolRun ok = ToolRun.of("translate", "--batch", lines("m.txt", mappedOnly.toString()).toString(),
                "--scenario", s.toString());
        assertEquals(0, ok.status(), ok.err());
    }

    @Test
    void batchJsonIsOneDocumentWhoseTranslationsAreTheSingleDocuments() throws Exception {
        Path s = identity();
        StringBuilder text = new StringBuilder();
        for (long va : MAPPED) {
            text.append("0x").append(Long.toHexString(va)).append('\n');
        }
        text.append("0x").append(Long.toHexString(UNMAPPED[0])).append('\n');
        ToolRun batch = ToolRun.of("translate", "--batch", lines("j.txt", text.toString()).toString(), "--json",
                "--scenario", s.toString());
        assertEquals(1, batch.status(), batch.err());
        JsonNode doc = JSON.readTree(batch.out());
        assertEquals("pvmfw-paging translate --batch", doc.get("format").asString());
        assertEquals(MAPPED.length, doc.get("translated").asInt());
        assertEquals(1, doc.get("faults").asInt());
        JsonNode translations = doc.get("translations");
        assertEquals(MAPPED.length + 1, translations.size());
        for (int i = 0; i < translations.size(); i++) {
            long va = i < MAPPED.length ? MAPPED[i] : UNMAPPED[0];
            JsonNode single = JSON.readTree(ToolRun.of("translate", "0x" + Long.toHexString(va), "--json",
                    "--scenario", s.toString()).out());
            ObjectNode expected = ((ObjectNode) single).deepCopy();
            for (String head : List.of("format", "formatVersion", "profile", "image", "outputBits")) {
                expected.remove(head);
            }
            assertEquals(expected, translations.get(i));
            if (i < MAPPED.length) {
                assertEquals("0x" + Long.toHexString(va), translations.get(i).get("translated").get("pa").asString());
            } else {
                assertEquals("translation", translations.get(i).get("fault").get("kind").asString());
            }
        }
    }

    @Test
    void aBadLineStopsTheBatchThereNamingItsNumber() throws Exception {
        Path s = identity();
        Path f = lines("bad.txt", "0x1000\n# fine\n0x12zz\n0x2000\n");
        ToolRun r = ToolRun.of("translate", "--batch", f.toString(), "--scenario", s.toString());
        assertEquals(2, r.status());
        assertEquals(1, r.out().lines().count(), r.out()); // the line before it was translated, none after
        assertTrue(r.err().contains(f + " line 3: not a number: '0x12zz'"), r.err());
        assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), r.err());
        ToolRun j = ToolRun.of("translate", "--batch", f.toString(), "--json", "--scenario", s.toString());
        assertEquals(2, j.status());
        JsonNode doc = JSON.readTree(j.out()); // still one valid document
        assertEquals(3, doc.get("error").get("line").asInt());
        assertEquals(1, doc.get("translations").size());
        ToolRun negative = ToolRun.of("translate", "--batch", lines("neg.txt", "-0x1000\n").toString(),
                "--scenario", s.toString());
        assertEquals(2, negative.status());
        assertTrue(negative.err().contains("line 1: not a number: '-0x1000'"), negative.err());
        ToolRun big = ToolRun.of("translate", "--batch", lines("big.txt", "0x1000\n0x1" + "0".repeat(16) + "\n")
                .toString(), "--scenario", s.toString());
        assertEquals(2, big.status());
        assertTrue(big.err().contains("line 2: '0x10000000000000000' does not fit in 64 bits"), big.err());
        Files.write(dir.resolve("latin1.txt"), new byte[] {'0', 'x', '1', (byte) 0xe9, '\n'});
        ToolRun latin1 = ToolRun.of("translate", "--batch", dir.resolve("latin1.txt").toString(), "--scenario",
                s.toString());
        assertEquals(2, latin1.status());
        assertTrue(latin1.err().contains("line 1: not UTF-8 text"), latin1.err());
        ToolRun longLine = ToolRun.of("translate", "--batch", lines("long.txt", "0x1000 #" + "x".repeat(5000))
                .toString(), "--scenario", s.toString());
        assertEquals(2, longLine.status());
        assertTrue(longLine.err().contains("line 1: longer than 4096 bytes"), longLine.err());
    }

    @Test
    void anEmptyFileTranslatesNothing() throws Exception {
        Path s = identity();
        for (String text : List.of("", "\n\n", "# only a comment\n   \n")) {
            Path f = lines("empty.txt", text);
            ToolRun r = ToolRun.of("translate", "--batch", f.toString(), "--scenario", s.toString());
            assertEquals(0, r.status(), r.err());
            assertEquals("", r.out());
            JsonNode doc = JSON.readTree(ToolRun.of("translate", "--batch", f.toString(), "--json", "--scenario",
                    s.toString()).out());
            assertEquals(0, doc.get("translations").size());
            assertEquals(0, doc.get("translated").asInt());
        }
    }

    @Test
    void aFifoIsRefusedAtOnce() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException e) {
            p = null;
        }
        assumeTrue(p != null && p.waitFor() == 0, "mkfifo is not available");
        Path s = identity();
        // Opening a FIFO for reading blocks until a writer comes: the refusal must come before any open.
        ToolRun r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ToolRun.of("translate", "--batch",
                fifo.toString(), "--scenario", s.toString()));
        assertEquals(2, r.status());
        assertTrue(r.err().contains(fifo + ": not a regular file"), r.err());
        ToolRun missing = ToolRun.of("translate", "--batch", dir.resolve("none").toString(), "--scenario",
                s.toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void aDashReadsStandardInput() throws Exception {
        Path s = identity();
        InputStream saved = System.in;
        ToolRun r;
        try {
            System.setIn(new ByteArrayInputStream("0x1000\r\n0x200000\n".getBytes(StandardCharsets.UTF_8)));
            r = ToolRun.of("translate", "--batch", "-", "--scenario", s.toString());
        } finally {
            System.setIn(saved);
        }
        assertEquals(0, r.status(), r.err());
        List<String> out = r.out().lines().toList();
        assertEquals(2, out.size(), r.out());
        assertTrue(out.get(0).startsWith("0x1000 -> PA 0x1000 (4K page at level 3)"), out.get(0));
        assertTrue(out.get(1).startsWith("0x200000 -> PA 0x200000 (2M block at level 2)"), out.get(1));
    }

    @Test
    void aVaAndBatchTogetherOrNeitherIsAUsageError() throws Exception {
        Path s = identity();
        Path f = lines("one.txt", "0x1000\n");
        Path image = dir.resolve("x.img");
        Files.write(image, new byte[4096]);
        ToolRun both = ToolRun.of("translate", "0x1000", image.toString(), "--batch", f.toString());
        assertEquals(2, both.status());
        assertTrue(both.err().contains("give no VA argument"), both.err());
        ToolRun neither = ToolRun.of("translate", "--scenario", s.toString());
        assertEquals(2, neither.status());
        assertTrue(neither.err().contains("Missing required parameter: 'VA'"), neither.err());
        ToolRun badVa = ToolRun.of("translate", "0xg", "--scenario", s.toString());
        assertEquals(2, badVa.status());
        assertTrue(badVa.err().contains("(VA): not a number: '0xg'"), badVa.err());
        // With --batch, the one positional is the image.
        ToolRun onImage = ToolRun.of("translate", "--batch", f.toString(), image.toString());
        assertEquals(1, onImage.status(), onImage.err()); // a zero root: a translation fault
        assertTrue(onImage.out().startsWith("0x1000 -> translation fault at level 1"), onImage.out());
    }
}
