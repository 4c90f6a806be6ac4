package dev.pvmfw.paging.v0_12_1.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The 0.12.1 golden vectors ({@value #RESOURCE}): recorded from the live crate by {@link GoldenVector0121Recorder},
 * replayed on the Java engine by {@link GoldenVector0121ReplayTest}. The file is gzip text: {@code #} header lines
 * (crate versions, recorder command, generator and seeds), then each scenario's {@link Transcript0121} lines.
 */
final class Golden0121 {
    static final String RESOURCE = "/dev/pvmfw/oracle/golden/aarch64-paging-0.12.1/live.txt.gz";
    /** The seeds recorded: the first {@value #SCENARIOS} of the live campaign's. */
    static final long FIRST_SEED = 0x0121_0000L;
    static final int SCENARIOS = 1000;
    static final String RECORD_COMMAND = "./mvnw -o -Poracle test -Dtest=GoldenVector0121Recorder"
            + " -Dpvmfw.golden0121.record=tests/resources" + RESOURCE;

    private Golden0121() {}

    /** The header lines a recording starts with, naming {@code versions} (the oracle's, as it reports them). */
    static List<String> header(String versions, int abi) {
        return List.of("# pvmfw-paging golden vectors: recorded from the live 0.12.1 oracle; replayed by every ./mvnw test.",
                "# Do not edit; re-record (README, \"Golden vectors\").",
                "# oracle " + versions + " (ABI " + abi + ")",
                "# recorded by " + RECORD_COMMAND,
                "# format 1",
                "# generator LiveDifferential0121Test seeds " + FIRST_SEED + ".." + (FIRST_SEED + SCENARIOS - 1));
    }

    /** A recording: its header lines and each scenario's lines by seed, in file order. */
    record Recording(List<String> header, Map<Long, List<String>> scenarios) {}

    /** The committed recording. @throws UncheckedIOException if it is missing or unreadable */
    static Recording load() {
        try (InputStream in = Golden0121.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("no resource " + RESOURCE));
            }
            return parse(new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))
                    .lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException if a line precedes the first scenario or a seed repeats */
    static Recording parse(List<String> lines) {
        List<String> header = new ArrayList<>();
        Map<Long, List<String>> scenarios = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines) {
            if (line.startsWith("#") && current == null) {
                header.add(line);
            } else if (line.startsWith("scenario ")) {
                long seed = Long.parseLong(line.split(" ", 3)[1]);
                current = new ArrayList<>();
                if (scenarios.put(seed, current) != null) {
                    throw new IllegalArgumentException("scenario " + seed + " recorded twice");
                }
                current.add(line);
            } else if (current == null) {
                throw new IllegalArgumentException("line before the first scenario: " + line);
            } else {
                current.add(line);
            }
        }
        return new Recording(header, scenarios);
    }

    /**
     * Every difference between the recorded lines of scenario {@code seed} and the Java engine's: empty when the engine
     * reproduces the crate; otherwise the first differing line (a divergence changes all that follows).
     */
    static List<String> compare(long seed, List<String> recorded) {
        List<String> java = Transcript0121.java(seed);
        for (int i = 0; i < Math.max(java.size(), recorded.size()); i++) {
            String r = i < recorded.size() ? recorded.get(i) : "<end>";
            String j = i < java.size() ? java.get(i) : "<end>";
            if (!r.equals(j)) {
                return List.of("scenario " + seed + " line " + (i + 1) + " (reproduce: -Dpvmfw.live0121.seed=" + seed
                        + ")\n    crate " + r + "\n    java  " + j);
            }
        }
        return List.of();
    }
}
