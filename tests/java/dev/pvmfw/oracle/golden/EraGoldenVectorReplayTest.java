package dev.pvmfw.oracle.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.oracle.scenario.Step;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the golden vectors of the later eras' trackers (2023-11, 2024-05), recorded from the Rust oracle's
 * transcriptions of the eras over the real crate ({@code GoldenVectorRecorder}: {@code era-ERA-named.txt} from
 * {@code named-scenarios-ERA.txt}, {@code era-ERA.txt.gz} from {@code EraScenarioGenerator}), against the Java era
 * packages: every step's outcome with its texts, arena events, callback calls, hypervisor calls, guard-mapped IPAs and
 * arena digest, and the final image. Needs no Rust.
 */
class EraGoldenVectorReplayTest {
    static final List<String> ERAS = List.of("2023-11", "2024-05");

    /**
     * Each file names this profile's crate versions and an ABI with the later eras' trackers (6, which made them, or a
     * later one that only added functions: 7, pvmfw's entry and console unmap, with which the named files were
     * recorded again for their new scenarios; the random files were kept), at most this library's; each vector its era.
     */
    @Test
    void vectorsWereRecordedWithThisProfileAndEachNamesItsEra() throws Exception {
        java.util.regex.Pattern header = java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote("oracle aarch64-paging 0.4.0 + bitflags 2.0.2 (ABI ") + "(\\d+)\\)");
        int current = dev.pvmfw.bindings.v0_4_0.PvmfwPagingOracle040.PVP_ABI_VERSION();
        for (String era : ERAS) {
            for (String file : List.of("era-" + era + "-named.txt", "era-" + era + ".txt.gz")) {
                GoldenVectorReplayTest.Text t = GoldenVectorReplayTest.text(file);
                String oracle = GoldenVectorReplayTest.parse(t.header()).oracle();
                java.util.regex.Matcher m = header.matcher(oracle);
                assertTrue(m.matches(), file + ": " + oracle);
                int abi = Integer.parseInt(m.group(1));
                assertTrue(abi >= 6 && abi <= current, file + ": recorded at ABI " + abi + ", library ABI " + current);
                for (GoldenVectors.Vector v : GoldenVectorReplayTest.load(file).vectors()) {
                    assertTrue(v.scenario().steps().getFirst() instanceof Step.NewTracker n && era.equals(n.era()),
                            file + ": " + v.scenario().name());
                }
            }
        }
    }

    @Test
    void thereAreAtLeast1000RandomSequencesPerEraOfMoreThan10000StepsInAll() {
        for (String era : ERAS) {
            GoldenVectorReplayTest.Text t = GoldenVectorReplayTest.text("era-" + era + ".txt.gz");
            assertTrue(t.vectors().size() >= 1000, era + ": " + t.vectors().size());
            assertTrue(t.steps() > 10_000, era + ": " + t.steps() + " steps");
        }
    }

    @TestFactory
    Stream<DynamicTest> namedVectorsReplay() {
        return ERAS.stream().flatMap(era -> GoldenVectorReplayTest.shards("era-" + era + "-named.txt", 10)
                .map(d -> DynamicTest.dynamicTest(era + " " + d.getDisplayName(), d.getExecutable())));
    }

    @TestFactory
    Stream<DynamicTest> randomVectorsReplay() {
        return ERAS.stream().flatMap(era -> GoldenVectorReplayTest.shards("era-" + era + ".txt.gz", 50)
                .map(d -> DynamicTest.dynamicTest(era + " " + d.getDisplayName(), d.getExecutable())));
    }
}
