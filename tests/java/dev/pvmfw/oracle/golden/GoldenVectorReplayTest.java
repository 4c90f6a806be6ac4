package dev.pvmfw.oracle.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the golden vectors recorded from the real crate against the Java engine: every step's outcome (with the
 * crate's Display text), arena events, updater calls, arena digest and Debug dump, and the final image entry by
 * entry. Needs no Rust: this is how a machine without crates.io checks every byte.
 */
class GoldenVectorReplayTest {

    static GoldenVectors.VectorFile load(String name) throws Exception {
        try (InputStream raw = GoldenVectorReplayTest.class.getResourceAsStream("/dev/pvmfw/oracle/golden/aarch64-paging-0.4.0/" + name);
                InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return GoldenVectors.read(in);
        }
    }

    @Test
    void vectorsWereRecordedWithThisProfile() throws Exception {
        for (String file : List.of("named.txt", "random.txt.gz", "tracker.txt.gz")) {
            assertEquals(GoldenVectors.oracleHeader(), load(file).oracle(), file);
        }
    }

    @Test
    void thereAreAtLeast2000RandomSequences() throws Exception {
        assertTrue(load("random.txt.gz").vectors().size() >= 2000);
    }

    @TestFactory
    Stream<DynamicTest> namedVectorsReplay() throws Exception {
        return load("named.txt").vectors().stream().map(v -> DynamicTest.dynamicTest(v.scenario().name(), () ->
                GoldenVectors.replay(v).ifPresent(d -> {
                    throw new AssertionError(d);
                })));
    }

    @Test
    void randomVectorsReplay() throws Exception {
        replayAll("random.txt.gz");
    }

    @Test
    void trackerVectorsReplay() throws Exception {
        assertTrue(load("tracker.txt.gz").vectors().size() >= 1000);
        replayAll("tracker.txt.gz");
    }

    static void replayAll(String file) throws Exception {
        List<String> failures = new ArrayList<>();
        int steps = 0;
        for (GoldenVectors.Vector v : load(file).vectors()) {
            Optional<String> d = GoldenVectors.replay(v);
            d.ifPresent(failures::add);
            steps += v.expectations().size();
        }
        assertTrue(failures.isEmpty(), failures.size() + " of the random vectors differ; first:\n"
                + (failures.isEmpty() ? "" : failures.getFirst()));
        assertTrue(steps > 10_000, "only " + steps + " steps");
    }
}
