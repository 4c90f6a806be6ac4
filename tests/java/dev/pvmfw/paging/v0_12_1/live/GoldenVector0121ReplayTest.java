package dev.pvmfw.paging.v0_12_1.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The 0.12.1 golden vectors, recorded from the live crate ({@link GoldenVector0121Recorder}), replayed on the Java
 * engine on every run, without the crate: each scenario's every line (outcome and texts, callback trace, every changed
 * arena entry, allocations and frees, the drop, the final arena's digest) must be the crate's.
 */
class GoldenVector0121ReplayTest {
    static final Golden0121.Recording RECORDING = Golden0121.load();

    @Test
    void theRecordingNamesTheCrateVersionsAndTheRecorder() {
        List<String> h = RECORDING.header();
        // Recorded with ABI 1; ABI 2 only added the benchmarks' whole-list entry points, ABI 3 pvmfw's trackers: any
        // ABI from 1 to the bindings' may have recorded it.
        assertTrue(h.stream().anyMatch(l -> l.matches(java.util.regex.Pattern.quote("# oracle " + Oracle0121.VERSIONS
                + " (ABI ") + "\\d+\\)") && Integer.parseInt(l.replaceAll(".*\\(ABI (\\d+)\\)$", "$1"))
                <= dev.pvmfw.bindings.v0_12_1.PvmfwPagingOracle0121.PVP_ABI_VERSION()), () -> "header " + h);
        assertTrue(h.contains("# recorded by " + Golden0121.RECORD_COMMAND), () -> "header " + h);
        assertTrue(h.contains("# format 1"), () -> "header " + h);
    }

    @Test
    void everySeedOfTheFixedSetIsRecordedOnce() {
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < Golden0121.SCENARIOS; i++) {
            expected.add(Golden0121.FIRST_SEED + i);
        }
        assertEquals(expected, List.copyOf(RECORDING.scenarios().keySet()));
    }

    @Test
    void theJavaEngineReproducesEveryRecordedLine() {
        List<String> differences = new ArrayList<>();
        long steps = 0;
        for (Map.Entry<Long, List<String>> e : RECORDING.scenarios().entrySet()) {
            differences.addAll(Golden0121.compare(e.getKey(), e.getValue()));
            steps += e.getValue().stream().filter(l -> l.startsWith("step ")).count();
        }
        assertEquals(List.of(), differences.subList(0, Math.min(10, differences.size())),
                differences.size() + " of " + RECORDING.scenarios().size() + " scenarios differ");
        System.out.println("GoldenVector0121ReplayTest: " + RECORDING.scenarios().size() + " scenarios, " + steps
                + " steps, 0 differences");
    }

    /** The recording reaches what the live campaign must reach, or replaying it would prove little. */
    @Test
    void theRecordingCoversErrorsPanicsCallbacksAndFrees() {
        List<String> all = RECORDING.scenarios().values().stream().flatMap(List::stream).toList();
        for (String needed : List.of("=> err 1 ", "=> err 3 ", "=> err 4 ", "=> err 5 ", "=> err 6 ", "=> panic 0 ",
                "=> panic 1 ", "=> panic 10 ", "trace ")) {
            assertTrue(all.stream().anyMatch(l -> l.startsWith(needed)), () -> "no recorded line starts with " + needed);
        }
        assertTrue(all.stream().anyMatch(l -> l.startsWith("events ") && l.contains("-") && !l.equals("events -")),
                "no recorded free");
        assertTrue(all.stream().anyMatch(l -> l.startsWith("changed ") && !l.equals("changed -")),
                "no recorded arena change");
    }

    @Test
    void aFlippedArenaEntryIsReported() {
        assertFlipReported(l -> l.startsWith("changed ") && !l.equals("changed -"));
    }

    @Test
    void aFlippedOutcomeTextIsReported() {
        assertFlipReported(l -> l.startsWith("=> err "));
    }

    @Test
    void aFlippedCallbackTraceIsReported() {
        assertFlipReported(l -> l.startsWith("trace "));
    }

    @Test
    void aMissingLastLineIsReported() {
        Map.Entry<Long, List<String>> first = RECORDING.scenarios().entrySet().iterator().next();
        List<String> cut = first.getValue().subList(0, first.getValue().size() - 1);
        List<String> d = Golden0121.compare(first.getKey(), cut);
        assertEquals(1, d.size());
        assertTrue(d.get(0).contains("crate <end>"), d.get(0));
    }

    /** Flips one bit of the last character of the first line matching {@code which}; the replay must name it. */
    static void assertFlipReported(java.util.function.Predicate<String> which) {
        for (Map.Entry<Long, List<String>> e : RECORDING.scenarios().entrySet()) {
            List<String> lines = new ArrayList<>(e.getValue());
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                if (which.test(l)) {
                    char c = l.charAt(l.length() - 1);
                    String flipped = l.substring(0, l.length() - 1) + (char) (c ^ 1);
                    lines.set(i, flipped);
                    assertEquals(List.of(), Golden0121.compare(e.getKey(), e.getValue()), "the unflipped scenario");
                    List<String> d = Golden0121.compare(e.getKey(), lines);
                    assertEquals(1, d.size(), "the flipped scenario");
                    assertTrue(d.get(0).contains("line " + (i + 1) + " ") && d.get(0).contains("crate " + flipped),
                            d.get(0));
                    return;
                }
            }
        }
        throw new AssertionError("no recorded line to flip");
    }
}
