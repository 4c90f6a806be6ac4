package dev.pvmfw.planted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The planted-bug catalogue stays runnable as the code changes: every bug of {@code tests/planted-bugs/catalogue.tsv}
 * has a patch that touches only the main sources and still applies to them (each hunk's old lines are in the file, in
 * order), names one of the runner's oracles with its budget, and is listed in the catalogue's README. (Whether each
 * bug is caught is the runner's job, {@code tests/planted-bugs/run}; it needs minutes, and the crate for half of them.)
 */
class PlantedBugCatalogueTest {
    static final Path DIR = Path.of("tests/planted-bugs");
    static final Set<String> ORACLES = Set.of("live", "pvmfw-rust", "golden", "reference", "live-0.12.1",
            "golden-0.12.1", "pvmfw-rust-eras", "golden-eras");

    record Bug(String id, String name, String where, String rule, String oracle, String budget) {}

    static List<Bug> catalogue() throws IOException {
        List<Bug> out = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve("catalogue.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            assertEquals(6, f.length, line);
            out.add(new Bug(f[0], f[1], f[2], f[3], f[4], f[5]));
        }
        return out;
    }

    @Test
    void atLeastTwentyBugsEachWithOneOracleAndItsBudget() throws IOException {
        List<Bug> bugs = catalogue();
        assertTrue(bugs.size() >= 20, bugs.size() + " bugs");
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Bug b : bugs) {
            assertTrue(b.id().matches("\\d\\d") && ids.add(b.id()), "id " + b.id());
            assertTrue(b.name().matches("[a-z0-9-]+") && names.add(b.name()), "name " + b.name());
            assertTrue(ORACLES.contains(b.oracle()), b.id() + ": oracle " + b.oracle());
            String budget = switch (b.oracle()) {
                case "live", "pvmfw-rust", "live-0.12.1", "pvmfw-rust-eras" -> "50000";
                case "golden", "golden-0.12.1", "golden-eras" -> "full";
                default -> "classes";
            };
            assertEquals(budget, b.budget(), b.id() + ": the budget fixed for " + b.oracle());
            assertFalse(b.rule().isBlank(), b.id());
        }
    }

    /**
     * Issue 10, "Order and scope": the catalogue applies to every profile and era as it lands: at least 12 bugs of
     * the 0.12.1 engine (caught by the live 0.12.1 crate or its golden vectors) and 6 of the later eras (caught by
     * our Rust transcriptions of them or their golden vectors), each patching that profile's or era's sources.
     */
    @Test
    void theZeroTwelveProfileAndTheLaterErasHaveTheirBugs() throws IOException {
        long profile0121 = 0;
        long eras = 0;
        for (Bug b : catalogue()) {
            if (b.oracle().endsWith("-0.12.1")) {
                assertTrue(b.where().startsWith("paging/v0_12_1/"), b.id() + ": " + b.where());
                profile0121++;
            } else if (b.oracle().endsWith("-eras")) {
                assertTrue(b.where().matches("era(2023_11|2024_05)?/.*"), b.id() + ": " + b.where());
                eras++;
            }
        }
        assertTrue(profile0121 >= 12, profile0121 + " bugs of profile 0.12.1");
        assertTrue(eras >= 6, eras + " bugs of the later eras");
    }

    @Test
    void everyBugIsAPatchOfTheMainSourcesThatStillApplies() throws IOException {
        for (Bug b : catalogue()) {
            Path patch = DIR.resolve(b.id() + "-" + b.name() + ".patch");
            assertTrue(Files.isRegularFile(patch), "missing " + patch);
            checkApplies(patch, Files.readAllLines(patch));
        }
    }

    @Test
    void theReadmeListsEveryBugWithItsOracle() throws IOException {
        String readme = Files.readString(DIR.resolve("README.md"));
        for (Bug b : catalogue()) {
            assertTrue(readme.contains("| " + b.id() + " | " + b.name() + " |"), b.id() + " not in the README");
        }
    }

    /** Each file the patch changes is under java/ and each hunk's old side is in that file, in order. */
    static void checkApplies(Path patch, List<String> lines) throws IOException {
        List<String> file = null;
        String path = null;
        int changes = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("+++ ")) {
                path = line.substring(4).replaceFirst("^b/", "");
                if (!path.startsWith("java/")) {
                    fail(patch + " changes " + path + ", not a main source");
                }
                file = Files.readAllLines(Path.of(path));
            } else if (line.startsWith("@@")) {
                if (file == null) {
                    fail(patch + ": a hunk before any file");
                }
                List<String> old = new ArrayList<>();
                int j = i + 1;
                for (; j < lines.size() && !lines.get(j).startsWith("@@") && !lines.get(j).startsWith("diff "); j++) {
                    String l = lines.get(j);
                    if (l.startsWith(" ") || l.startsWith("-") || l.isEmpty()) {
                        old.add(l.isEmpty() ? "" : l.substring(1));
                    }
                    if (l.startsWith("-") || l.startsWith("+")) {
                        changes++;
                    }
                }
                assertTrue(java.util.Collections.indexOfSubList(file, old) >= 0,
                        patch + " no longer applies to " + path + " at " + line);
                i = j - 1;
            }
        }
        assertTrue(path != null && changes > 0, patch + " changes nothing");
    }
}
