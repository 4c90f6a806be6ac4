package dev.pvmfw.oracle.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.oracle.scenario.Dialect;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the golden vectors of profile 0.12.1 — the named 0.12.1 scenarios and at least 2,000 generated ones, in
 * the scenario language, recorded from the live aarch64-paging 0.12.1 by {@code GoldenVectorRecorder} — against the
 * Java 0.12.1 engine, without the crate: every step's outcome (with the crate's Display and Debug texts), arena events
 * (allocations and frees, in order), callback trace (with what became of each action), arena digest and Debug dump,
 * and the final arena entry by entry. The crate's panics are pinned here from the recording: the root-level panic,
 * the active-count underflow, the drop of an active mapping (its frees) and exhaustion part way through a split (the
 * partial writes and leaked tables, in the final image).
 */
class GoldenVector0121ScenarioReplayTest {
    static final String DIR = "/dev/pvmfw/oracle/golden/aarch64-paging-0.12.1/";

    static String text(String name) {
        try (InputStream raw = GoldenVector0121ScenarioReplayTest.class.getResourceAsStream(DIR + name);
                InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GoldenVectors.VectorFile load(String name) throws Exception {
        return GoldenVectors.read(new ByteArrayInputStream(text(name).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void headersNameTheCrateBitflagsAndThiserrorVersions() throws Exception {
        for (String file : List.of("named.txt", "random.txt.gz")) {
            GoldenVectors.VectorFile f = load(file);
            // Recorded at ABI 1; ABI 2 only added whole-list entry points for the benchmarks and ABI 3 pvmfw's
            // trackers, so they are not re-recorded for them: the header names the ABI that recorded them, at least 1
            // and never a later one than the library's.
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(
                    "oracle aarch64-paging 0.12.1 + bitflags 2.11.0 + thiserror 2.0.18 (ABI ") + "(\\d+)\\)")
                    .matcher(f.oracle());
            assertTrue(m.matches(), file + ": " + f.oracle());
            int abi = Integer.parseInt(m.group(1));
            assertTrue(abi >= 1 && abi <= dev.pvmfw.bindings.v0_12_1.PvmfwPagingOracle0121.PVP_ABI_VERSION(),
                    file + ": recorded at ABI " + abi);
            assertTrue(text(file).contains("\n# format 2\n"), file);
            assertTrue(f.vectors().stream().allMatch(v -> v.scenario().dialect() == Dialect.V0_12_1), file);
        }
    }

    @Test
    void everyNamedScenarioIsRecorded() throws Exception {
        List<String> names;
        try (InputStream in = getClass().getResourceAsStream("/dev/pvmfw/oracle/named-scenarios-0.12.1.txt")) {
            names = ScenarioText.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8)).stream()
                    .map(Scenario::name).toList();
        }
        assertEquals(names, load("named.txt").vectors().stream().map(v -> v.scenario().name()).toList());
    }

    @Test
    void thereAreAtLeast2000RandomScenariosOfMoreThan50000StepsInAll() throws Exception {
        GoldenVectors.VectorFile f = load("random.txt.gz");
        long steps = f.vectors().stream().mapToLong(v -> v.expectations().size()).sum();
        assertTrue(f.vectors().size() >= 2000, f.vectors().size() + " random vectors");
        assertTrue(steps > 50_000, steps + " steps");
    }

    /** The recording reaches what the live campaign reaches, or replaying it would prove little. */
    @Test
    void theRecordingCoversEveryErrorThePanicsCallbacksAndFrees() throws Exception {
        List<String> outcomes = new ArrayList<>();
        boolean frees = false;
        for (String file : List.of("named.txt", "random.txt.gz")) {
            for (GoldenVectors.Vector v : load(file).vectors()) {
                for (GoldenVectors.Expectation e : v.expectations()) {
                    outcomes.add(e.outcome());
                    frees |= e.events().contains("~");
                }
            }
        }
        for (String needed : List.of("err AddressRange", "err RegionBackwards", "err PteUpdateFault",
                "err InvalidFlags", "err BreakBeforeMakeViolation", "panic exhausted",
                "panic none msg=\"Invalid root table level 4.\"", "panic none msg=\"Underflow in active count.\"",
                "panic none msg=\"Dropping active page table mapping!\"",
                "panic none msg=\"assertion failed: self.active()\"", "ok 0xffffffffffffffff")) {
            assertTrue(outcomes.stream().anyMatch(o -> o.startsWith(needed)), () -> "no recorded outcome " + needed);
        }
        assertTrue(frees, "no recorded free");
        assertTrue(text("random.txt.gz").contains("updater=edit:pa="), "no set action");
    }

    /** The recorded expectations of named vector {@code name}, as "events | outcome" per step. */
    static List<String> recorded(String name) throws Exception {
        GoldenVectors.Vector v = load("named.txt").vectors().stream().filter(x -> x.scenario().name().equals(name))
                .findFirst().orElseThrow();
        return v.expectations().stream().map(e -> e.events() + " | " + e.outcome()).toList();
    }

    /**
     * The end states of the crate's panics, as the live crate recorded them (these lines are the crate's; the replay
     * tests hold the Java engine to them): a root level above 3 panics before allocating; the underflow leaves the
     * count wrapped, so the mapping is live (a remap is a break-before-make violation) and its drop panics too after
     * freeing; the drop of an active mapping frees every table post-order
     * (root last) before its panic; exhaustion part way through a split keeps the old entry and leaks the tables
     * allocated for it (the drop frees the root alone, the final image still holds them).
     */
    @Test
    void thePanicsEndStatesArePinnedFromTheCrate() throws Exception {
        assertEquals(List.of("- | panic none msg=\"Invalid root table level 4.\""), recorded("panic-root-level-4"));
        assertEquals(List.of("0 | ok", "1,2 | ok", "- | panic none msg=\"Underflow in active count.\"",
                "- | err BreakBeforeMakeViolation(0x0000000000000000..0x0000000000001000) msg=\"Cannot remap region "
                        + "0x0000000000000000..0x0000000000001000 while translation is live.\"",
                "~2,~1,~0 | panic none msg=\"Dropping active page table mapping!\""),
                recorded("panic-mark-inactive-underflow"));
        assertEquals("~3,~2,~1,~5,~4,~0 | panic none msg=\"Dropping active page table mapping!\"",
                recorded("panic-drop-of-an-active-mapping").getLast());
        List<String> split = recorded("panic-exhaustion-part-way-through-a-split");
        assertEquals("1,2,3 | panic exhausted msg=\"arena exhausted: all 4 slots in use\"", split.get(3));
        assertEquals("~0 | ok", split.get(4));
        GoldenVectors.Vector v = load("named.txt").vectors().stream()
                .filter(x -> x.scenario().name().equals("panic-exhaustion-part-way-through-a-split")).findFirst()
                .orElseThrow();
        assertEquals(List.of("image 1 0:0x40002003 1:0x40003003", "image 2 0+512:0x80001f07/0x1000",
                "image 3 0+512:0x80201f07/0x1000"), v.finalImage());
    }

    @TestFactory
    Stream<DynamicTest> namedVectorsReplay() throws Exception {
        return load("named.txt").vectors().stream().map(v -> DynamicTest.dynamicTest(v.scenario().name(), () ->
                GoldenVectors.replay(v).ifPresent(d -> {
                    throw new AssertionError(d);
                })));
    }

    @TestFactory
    Stream<DynamicTest> randomVectorsReplay() throws Exception {
        List<GoldenVectors.Vector> all = load("random.txt.gz").vectors();
        int size = 100;
        return IntStream.range(0, (all.size() + size - 1) / size).mapToObj(k -> DynamicTest.dynamicTest(
                "vectors " + k * size + ".." + Math.min(all.size(), (k + 1) * size), () -> {
                    for (GoldenVectors.Vector v : all.subList(k * size, Math.min(all.size(), (k + 1) * size))) {
                        GoldenVectors.replay(v).ifPresent(d -> {
                            throw new AssertionError(d);
                        });
                    }
                }));
    }
}
