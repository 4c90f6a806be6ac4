package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.oracle.engine.Engine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.runner.Engines;
import dev.pvmfw.oracle.scenario.FlagSet;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.v0_12_1.profile.Profile0121;
import dev.pvmfw.testing.LiveOracle;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The image tooling reads each regime's descriptors as the real aarch64-paging 0.12.1 prints them (issue 11): for
 * every translation regime, a table built by the crate itself (through the 0.12.1 oracle library) holds one page per
 * attribute pattern — each named bit alone, bits no flag names, several flags, invalid (flags-only) leaves; the
 * crate's own {@code Debug} of the mapping is the expected text. Each descriptor it prints must be printed the same way
 * by the tool reading the crate's image as a raw file with {@code --regime}: {@code dump --format json} (each entry's
 * {@code debug}) and {@code decode --json} (the descriptor's {@code debug}, and for a valid one {@code flags}, the
 * attribute Debug inside the crate's text). Live: needs the 0.12.1 oracle ({@code -Poracle}).
 */
class LiveRegimeDebugTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long PA_BASE = 0x8000_0000L;
    /** A crate {@code Debug} line of one entry or a run: {@code <indent><i>[-<j>]: <Descriptor Debug>}. */
    static final Pattern LINE = Pattern.compile("^\\s*\\d+\\s*(?:-\\s*\\d+)?\\s*: (0x([0-9a-f]+).*)$");

    @TempDir
    Path dir;

    /** The leaf flag patterns mapped, one page each (never TABLE_OR_PAGE, which map_range refuses). */
    static List<Long> patterns() {
        List<Long> out = new ArrayList<>();
        for (int b = 2; b < 64; b++) {
            if (b == 12) {
                b = 48; // bits 12..47 are the output address
            }
            out.add(1L | 1L << b);
        }
        out.add(1L);
        out.add(0x7fdL); // Stage 2's worked block R3 (reference, "Debug formats (observed)")
        out.add(0x0300L | 1);
        out.add(0x1cL | 1);
        out.add(0xf05L); // pvmfw's MEMORY
        out.add(0x0040_0000_0000_0f05L);
        out.add(0xffff_0000_0000_0ffdL); // every bit outside the address, but TABLE_OR_PAGE
        out.add(0x00c0_0000_0000_0400L); // pvmfw's DEVICE_LAZY: invalid, flags only
        out.add(0x0400_0000_0000_0404L); // invalid with unknown and named bits
        return out;
    }

    @ParameterizedTest
    @EnumSource(TranslationRegime.class)
    void toolDecodesEveryDescriptorAsTheCratesDebugPrintsIt(TranslationRegime regime) throws Exception {
        LiveOracle.require0121();
        List<Long> patterns = patterns();
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.NewTable(1, VaRange.LOWER, regime, 0));
        for (int k = 0; k < patterns.size(); k++) {
            long va = (long) k << 21 | (long) k << 12; // one level-3 table each, at its own index
            steps.add(new Step.MapRange(va, va + 4096, 0x1_0000_0000L + va, new FlagSet(patterns.get(k),
                    Profile0121.INSTANCE, regime)));
        }
        Scenario scenario = new Scenario("regime-debug-" + regime.id(), Profile0121.INSTANCE, 2 + patterns.size(),
                PA_BASE, steps);
        Map<Long, String> crate = new LinkedHashMap<>();
        Path image = dir.resolve(regime.id() + ".img");
        try (Engine rust = Engines.rust(scenario)) {
            for (Step s : steps) {
                assertEquals(new Outcome.Ok(), rust.apply(s).outcome(), s.text());
            }
            String debug = rust.debugDump().orElseThrow();
            for (String line : debug.split("\n")) {
                Matcher m = LINE.matcher(line);
                if (m.matches()) {
                    crate.put(Long.parseUnsignedLong(m.group(2), 16), m.group(1));
                }
            }
            Files.write(image, rust.image().toArray(ValueLayout.JAVA_BYTE));
        }
        for (long p : patterns) {
            long leaf = (p & 1) != 0 ? p | 2 : p; // a valid page gets TABLE_OR_PAGE; an invalid one is its flags
            assertTrue(crate.keySet().stream().anyMatch(d -> (d & ~0x0000_ffff_ffff_f000L) == leaf),
                    () -> "the crate's Debug lists the page of 0x" + Long.toHexString(p) + ": " + crate.keySet());
        }

        String[] options = {"--profile", "0.12.1", "--regime", regime.id(), "--pa-base", "0x" + Long.toHexString(
                PA_BASE), "--root-level", "1"};
        ToolRun dump = ToolRun.of(concat(new String[] {"dump", image.toString(), "--format", "json"}, options));
        assertEquals(0, dump.status() & ~1, dump.err());
        Map<Long, String> tool = new LinkedHashMap<>();
        for (JsonNode t : JSON.readTree(dump.out()).get("tables")) {
            for (JsonNode e : t.get("entries")) {
                tool.put(Long.parseUnsignedLong(e.get("raw").asString().substring(2), 16), e.get("debug").asString());
            }
        }
        for (Map.Entry<Long, String> c : crate.entrySet()) {
            long d = c.getKey();
            String hex = "0x" + Long.toHexString(d);
            assertEquals(c.getValue(), tool.get(d), () -> regime.id() + " dump: " + hex);
            ToolRun decode = ToolRun.of("decode", hex, "--profile", "0.12.1", "--regime", regime.id(), "--json");
            assertEquals(0, decode.status(), decode.err());
            JsonNode verdict = JSON.readTree(decode.out()).get("crates").get(0);
            assertEquals(c.getValue(), verdict.get("debug").asString(), () -> regime.id() + " decode: " + hex);
            int open = c.getValue().indexOf(", ");
            if ((d & 1) != 0 && open > 0) {
                String flags = c.getValue().substring(open + 2, c.getValue().length() - 1);
                assertEquals(flags, verdict.get("flags").asString(), () -> regime.id() + " decode flags: " + hex);
            }
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
