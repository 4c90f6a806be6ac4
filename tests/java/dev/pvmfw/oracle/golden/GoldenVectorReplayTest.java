package dev.pvmfw.oracle.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the golden vectors recorded from the real crate against the Java engine: every step's outcome (with the
 * crate's Display text), arena events, updater calls, arena digest and Debug dump, and the final image entry by
 * entry. Needs no Rust: this is how a machine without crates.io checks every byte.
 *
 * <p>The random and tracker files are replayed in shards of consecutive vectors, one dynamic test each, so that a tool
 * that runs single tests (PIT, docs/mutation-testing.md) replays a shard, not the file. Each shard parses its own
 * vectors; only the decompressed text, which no code of ours touches, is kept between tests.
 */
class GoldenVectorReplayTest {

    static final String DIR = "/dev/pvmfw/oracle/golden/aarch64-paging-0.4.0/";

    /** A vector file's text: the lines before the first vector, then one block ("scenario …" to "end") per vector. */
    record Text(String header, List<String> vectors) {
        /** The header followed by vectors {@code from} (inclusive) to {@code to} (exclusive), as a vector file. */
        String slice(int from, int to) {
            return header + String.join("", vectors.subList(from, to));
        }

        /** The expectations ("=> " lines) of all the vectors, one per step. */
        long steps() {
            return vectors.stream().mapToLong(v -> v.lines().filter(l -> l.startsWith("=> ")).count()).sum();
        }
    }

    private static final Map<String, Text> TEXTS = new ConcurrentHashMap<>();

    static Text text(String name) {
        return text(DIR, name);
    }

    /** The text of vector file {@code name} in the resource directory {@code dir} (of another profile). */
    static Text text(String dir, String name) {
        return TEXTS.computeIfAbsent(dir + name, n -> {
            try (InputStream raw = GoldenVectorReplayTest.class.getResourceAsStream(n);
                    InputStream in = n.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
                StringBuilder header = new StringBuilder();
                List<String> vectors = new ArrayList<>();
                StringBuilder block = null;
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                    if (line.startsWith("scenario ")) {
                        block = new StringBuilder();
                    }
                    (block == null ? header : block).append(line).append('\n');
                    if (block != null && line.equals("end")) {
                        vectors.add(block.toString());
                        block = null;
                    }
                }
                return new Text(header.toString(), List.copyOf(vectors));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static GoldenVectors.VectorFile parse(String fileText) throws Exception {
        return GoldenVectors.read(new ByteArrayInputStream(fileText.getBytes(StandardCharsets.UTF_8)));
    }

    static GoldenVectors.VectorFile load(String name) throws Exception {
        Text t = text(name);
        return parse(t.slice(0, t.vectors().size()));
    }

    /**
     * The vectors name this profile's crate versions. They were recorded once, at ABI 5 (6dab5d8, before the planted
     * bugs were written, so they are not tuned to the catalogue); a later ABI that only adds functions (6: the later
     * eras' trackers) keeps their format and meaning, so they are not re-recorded for it, and the header says which ABI
     * recorded them: at least 5 (golden format 2) and at most this library's.
     */
    @Test
    void vectorsWereRecordedWithThisProfile() throws Exception {
        java.util.regex.Pattern header = java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote("oracle aarch64-paging 0.4.0 + bitflags 2.0.2 (ABI ") + "(\\d+)\\)");
        int current = dev.pvmfw.bindings.v0_4_0.PvmfwPagingOracle040.PVP_ABI_VERSION();
        for (String file : List.of("named.txt", "random.txt.gz", "tracker.txt.gz")) {
            String oracle = parse(text(file).header()).oracle();
            java.util.regex.Matcher m = header.matcher(oracle);
            assertTrue(m.matches(), file + ": " + oracle);
            int abi = Integer.parseInt(m.group(1));
            assertTrue(abi >= 5 && abi <= current, file + ": recorded at ABI " + abi + ", library ABI " + current);
        }
    }

    @Test
    void thereAreAtLeast2000RandomSequencesOfMoreThan10000StepsInAll() {
        assertTrue(text("random.txt.gz").vectors().size() >= 2000);
        assertTrue(text("random.txt.gz").steps() > 10_000, text("random.txt.gz").steps() + " steps");
    }

    @Test
    void thereAreAtLeast1000TrackerSequencesOfMoreThan10000StepsInAll() {
        assertTrue(text("tracker.txt.gz").vectors().size() >= 1000);
        assertTrue(text("tracker.txt.gz").steps() > 10_000, text("tracker.txt.gz").steps() + " steps");
    }

    @Test
    void theShardsTogetherAreTheWholeFile() throws Exception {
        Text t = text("named.txt");
        assertTrue(t.vectors().size() > 10, t.vectors().size() + " named vectors");
        assertEquals(load("named.txt").vectors().size(), t.vectors().size());
        int parsed = 0;
        for (int from = 0; from < t.vectors().size(); from += 10) {
            parsed += parse(t.slice(from, Math.min(from + 10, t.vectors().size()))).vectors().size();
        }
        assertEquals(t.vectors().size(), parsed);
    }

    @TestFactory
    Stream<DynamicTest> namedVectorsReplay() throws Exception {
        return load("named.txt").vectors().stream().map(v -> DynamicTest.dynamicTest(v.scenario().name(), () ->
                GoldenVectors.replay(v).ifPresent(d -> {
                    throw new AssertionError(d);
                })));
    }

    @TestFactory
    Stream<DynamicTest> randomVectorsReplay() {
        return shards("random.txt.gz", 100);
    }

    @TestFactory
    Stream<DynamicTest> trackerVectorsReplay() {
        return shards("tracker.txt.gz", 50);
    }

    /** One dynamic test per {@code size} consecutive vectors of {@code file}: parses and replays them. */
    static Stream<DynamicTest> shards(String file, int size) {
        return shards(DIR, file, size);
    }

    /** As {@link #shards(String, int)}, for a vector file of the resource directory {@code dir}. */
    static Stream<DynamicTest> shards(String dir, String file, int size) {
        Text t = text(dir, file);
        int n = t.vectors().size();
        return IntStream.range(0, (n + size - 1) / size).mapToObj(k -> {
            int from = k * size;
            int to = Math.min(n, from + size);
            return DynamicTest.dynamicTest("vectors " + from + ".." + (to - 1), () -> {
                List<String> failures = new ArrayList<>();
                GoldenVectors.VectorFile f = parse(t.slice(from, to));
                assertEquals(to - from, f.vectors().size());
                for (GoldenVectors.Vector v : f.vectors()) {
                    GoldenVectors.replay(v).ifPresent(failures::add);
                }
                assertTrue(failures.isEmpty(), failures.size() + " of " + file + "'s vectors " + from + ".." + (to - 1)
                        + " differ; first:\n" + (failures.isEmpty() ? "" : failures.getFirst()));
            });
        });
    }
}
