package dev.pvmfw.oracle.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.oracle.scenario.Dialect;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.scenario.Step;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the golden vectors of pvmfw's three eras on aarch64-paging 0.12.1, recorded from our Rust transcriptions of
 * the eras over the real 0.12.1 ({@code GoldenVectorRecorder --eras-0.12.1}: {@code era-ERA-named.txt} from
 * {@code named-scenarios-ERA-0.12.1.txt}, {@code era-ERA.txt.gz} from {@code EraScenarioGenerator0121}), against the
 * Java era packages over pvmfw's page table on 0.12.1, without the crate: every step's outcome with its texts, arena
 * events, callback calls, hypervisor calls, guard-mapped IPAs and arena digest, the Debug dumps, and the final image.
 * The random files are replayed in shards (docs/mutation-testing.md). The breakage the port shows on 0.12.1 is pinned
 * from the recording: the {@code 0b01} entry {@code 0x00c0_0000_0000_0401} VALID-in-place writes, and the re-fault
 * on it (2023-11: InvalidPte; 2024-05: DuplicateMmioShare).
 */
class EraGoldenVector0121ReplayTest {
    static final String DIR = "/dev/pvmfw/oracle/golden/aarch64-paging-0.12.1/";
    static final List<String> ERAS = List.of("2023-05", "2023-11", "2024-05");
    /** The oracle ABIs that may have recorded these vectors: from 3 (pvmfw's trackers on 0.12.1) to the library's. */
    static final int FIRST_ABI = 3;

    static GoldenVectors.VectorFile load(String file) throws Exception {
        GoldenVectorReplayTest.Text t = GoldenVectorReplayTest.text(DIR, file);
        return GoldenVectorReplayTest.parse(t.slice(0, t.vectors().size()));
    }

    /** Each file names the crate, bitflags and thiserror versions and an ABI with pvmfw's trackers; each vector its era. */
    @Test
    void vectorsNameTheCrateVersionsAnABIWithTrackersAndTheirEra() throws Exception {
        Pattern header = Pattern.compile(Pattern.quote("oracle aarch64-paging 0.12.1 + bitflags 2.11.0 + thiserror "
                + "2.0.18 (ABI ") + "(\\d+)\\)");
        int current = dev.pvmfw.bindings.v0_12_1.PvmfwPagingOracle0121.PVP_ABI_VERSION();
        for (String era : ERAS) {
            for (String file : List.of("era-" + era + "-named.txt", "era-" + era + ".txt.gz")) {
                GoldenVectors.VectorFile f = load(file);
                Matcher m = header.matcher(f.oracle());
                assertTrue(m.matches(), file + ": " + f.oracle());
                int abi = Integer.parseInt(m.group(1));
                assertTrue(abi >= FIRST_ABI && abi <= current, file + ": recorded at ABI " + abi + ", library " + current);
                for (GoldenVectors.Vector v : f.vectors()) {
                    assertEquals(Dialect.V0_12_1, v.scenario().dialect(), file + ": " + v.scenario().name());
                    Step first = v.scenario().steps().getFirst();
                    assertTrue(first instanceof Step.NewTracker n && era.equals(n.era() == null ? "2023-05" : n.era()),
                            file + ": " + v.scenario().name());
                }
            }
        }
    }

    @Test
    void everyNamedScenarioOfEachEraIsRecorded() throws Exception {
        for (String era : ERAS) {
            List<String> names;
            try (InputStream in = getClass().getResourceAsStream("/dev/pvmfw/oracle/named-scenarios-" + era
                    + "-0.12.1.txt")) {
                names = ScenarioText.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8)).stream()
                        .map(Scenario::name).toList();
            }
            assertEquals(names, load("era-" + era + "-named.txt").vectors().stream().map(v -> v.scenario().name())
                    .toList(), era);
        }
    }

    @Test
    void thereAreAtLeast1000RandomSequencesPerEraOfMoreThan10000StepsInAll() {
        for (String era : ERAS) {
            GoldenVectorReplayTest.Text t = GoldenVectorReplayTest.text(DIR, "era-" + era + ".txt.gz");
            assertTrue(t.vectors().size() >= 1000, era + ": " + t.vectors().size());
            assertTrue(t.steps() > 10_000, era + ": " + t.steps() + " steps");
        }
    }

    /** The recorded outcomes of named vector {@code name} of {@code era}, one per step. */
    static List<String> outcomes(String era, String name) throws Exception {
        return load("era-" + era + "-named.txt").vectors().stream().filter(v -> v.scenario().name().equals(name))
                .findFirst().orElseThrow().expectations().stream().map(GoldenVectors.Expectation::outcome).toList();
    }

    /**
     * What the live crate did with the later eras' lazy trick on 0.12.1 (docs/pvmfw-2024-05.md, "The port per cell"),
     * as recorded: the first fault is Ok (VALID set in place, the {@code 0b01} entry), the retried access faults again
     * and 2023-11's second fault is InvalidPte, 2024-05's DuplicateMmioShare of the granule.
     */
    @Test
    void theReFaultOnThe0b01EntryIsPinnedFromTheCrate() throws Exception {
        assertEquals(List.of("ok", "ok", "ok", "tracker-err InvalidPte msg=\"Page table entry is not valid\"", "ok", "ok"),
                outcomes("2023-11", "e23-0121-the-0b01-entry-and-the-re-fault"));
        assertEquals(List.of("ok", "ok", "ok", "tracker-err DuplicateMmioShare(150994944) msg=\"Attempted to share the "
                + "same MMIO region at 0x9000000 twice\"", "ok", "ok"),
                outcomes("2024-05", "e24-0121-the-0b01-entry-and-duplicate-mmio-share"));
        for (String[] c : List.of(new String[] {"2023-11", "e23-0121-the-0b01-entry-and-the-re-fault"},
                new String[] {"2024-05", "e24-0121-the-0b01-entry-and-duplicate-mmio-share"})) {
            GoldenVectors.Vector v = load("era-" + c[0] + "-named.txt").vectors().stream()
                    .filter(x -> x.scenario().name().equals(c[1])).findFirst().orElseThrow();
            // After the first fault the arena holds the 0b01 entry; the replay tests hold this image's digest to the
            // crate's, so the entry is the crate's.
            assertEquals(java.util.Optional.empty(), GoldenVectors.replay(v), c[1]);
            try (dev.pvmfw.oracle.engine.Engine engine = dev.pvmfw.oracle.runner.Engines.java(v.scenario())) {
                for (int i = 0; i < 3; i++) {
                    engine.apply(v.scenario().steps().get(i));
                }
                java.lang.foreign.MemorySegment image = engine.image();
                boolean found = false;
                for (long at = 0; at < image.byteSize(); at += 8) {
                    found |= image.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, at) == 0x00c0_0000_0000_0401L;
                }
                assertTrue(found, c[1] + ": no 0x00c0_0000_0000_0401 entry after the first fault");
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> namedVectorsReplay() {
        return ERAS.stream().flatMap(era -> GoldenVectorReplayTest.shards(DIR, "era-" + era + "-named.txt", 10)
                .map(d -> DynamicTest.dynamicTest(era + " " + d.getDisplayName(), d.getExecutable())));
    }

    @TestFactory
    Stream<DynamicTest> randomVectorsReplay() {
        return ERAS.stream().flatMap(era -> GoldenVectorReplayTest.shards(DIR, "era-" + era + ".txt.gz", 50)
                .map(d -> DynamicTest.dynamicTest(era + " " + d.getDisplayName(), d.getExecutable())));
    }
}
