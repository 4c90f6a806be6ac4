package dev.pvmfw.oracle.golden;

import dev.pvmfw.oracle.engine.Engine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.engine.TraceEntry;
import dev.pvmfw.oracle.runner.Differential;
import dev.pvmfw.oracle.runner.Divergence;
import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioSyntaxException;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.scenario.Step;

import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import dev.pvmfw.paging.internal.TableLayout;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Golden vectors: scenarios with what the real crate did at every step, recorded from the live oracle and replayed
 * against the Java engine on machines that cannot build the crate. The file is the scenario text form with
 * expectation lines:
 *
 * <pre>
 * # oracle aarch64-paging 0.4.0 + bitflags 2.0.2 (ABI 5)
 * # format 2
 * scenario s1-garbage-fill
 * arena slots=16 pa-base=0x40000000
 * table level=1 va-range=lower
 * =&gt; events=0 calls=0 trace=- image=… dump=- hyp=- guard=- outcome=ok
 * map 0x0 0x1000 pa=0x80000000 flags=VALID|NORMAL
 * =&gt; events=1,2 calls=0 trace=- image=… dump=… hyp=- guard=- outcome=ok
 * drop
 * =&gt; events=~2,~1,~0 calls=0 trace=- image=… dump=- hyp=- guard=- outcome=ok
 * image 0 0:0x40001003
 * image 1 0:0x40002003 1+511:0x200400/0x200000
 * end
 * </pre>
 *
 * {@code image=} is {@link ImageCodec#digest} of the whole arena; {@code trace=} a SHA-256 of the updater calls;
 * {@code dump=} a SHA-256 of the crate's Debug dump ({@code panic} if it panicked, {@code -} if not recorded);
 * {@code hyp=} the hypervisor calls of the step; {@code guard=} the hypervisor's guard-mapped IPAs after it; the
 * outcome is {@link Outcome#text()} (with the crate's Debug and Display texts). Every vector ends with a
 * {@code drop} (the recorder appends one to a scenario without), so the free order is recorded. The {@code image}
 * lines are the final arena ({@link ImageCodec}), so a mismatch can be shown entry by entry. Files ending in
 * {@code .gz} are gzipped. {@code # format N} names the version of this form ({@link #FORMAT}); a file of another
 * version is refused.
 */
public final class GoldenVectors {
    private GoldenVectors() {}

    /**
     * The version of the file form: 1 (no {@code # format} line) had no {@code guard=} field and vectors without a
     * final drop; 2 has both.
     */
    public static final int FORMAT = 2;

    /**
     * What one step did on the oracle.
     *
     * @param events arena events ({@code -} for none)
     * @param calls updater calls
     * @param trace digest of the calls, {@code -} for none
     * @param image arena digest after the step
     * @param dump digest of the Debug dump after the step, {@code panic}, or {@code -} (not recorded)
     * @param hyp the hypervisor calls, {@code function:argument:x0} in hex, comma-separated, or {@code -}
     * @param guard the guard-mapped IPAs after the step, ascending, in hex, comma-separated, or {@code -}
     * @param outcome outcome text
     */
    public record Expectation(String events, int calls, String trace, String image, String dump, String hyp,
            String guard, String outcome) {
        String line() {
            return "=> events=" + events + " calls=" + calls + " trace=" + trace + " image=" + image + " dump=" + dump
                    + " hyp=" + hyp + " guard=" + guard + " outcome=" + outcome;
        }

        static Expectation parse(String line, int lineNo) throws ScenarioSyntaxException {
            String rest = line.substring(2).trim();
            int o = rest.indexOf(" outcome=");
            if (o < 0) {
                throw new ScenarioSyntaxException(lineNo, "expectation without outcome=");
            }
            String outcome = rest.substring(o + " outcome=".length());
            String[] parts = rest.substring(0, o).split(" ");
            String[] keys = {"events=", "calls=", "trace=", "image=", "dump=", "hyp=", "guard="};
            String[] values = new String[keys.length];
            if (parts.length != keys.length) {
                throw new ScenarioSyntaxException(lineNo, "expectation fields: events calls trace image dump hyp "
                        + "guard outcome");
            }
            for (int i = 0; i < keys.length; i++) {
                if (!parts[i].startsWith(keys[i])) {
                    throw new ScenarioSyntaxException(lineNo, "expected " + keys[i]);
                }
                values[i] = parts[i].substring(keys[i].length());
            }
            int calls;
            try {
                calls = Integer.parseInt(values[1]);
            } catch (NumberFormatException e) {
                throw new ScenarioSyntaxException(lineNo, "calls= is not a number: " + values[1]);
            }
            return new Expectation(values[0], calls, values[2], values[3], values[4], values[5], values[6], outcome);
        }
    }

    /**
     * One recorded scenario.
     *
     * @param scenario the steps
     * @param expectations one per step actually applied (fewer than the steps if the table could not be created)
     * @param finalImage the arena after the last step, as {@link ImageCodec} lines
     */
    public record Vector(Scenario scenario, List<Expectation> expectations, List<String> finalImage) {}

    /**
     * A file of vectors.
     *
     * @param oracle the {@code # oracle …} header: crate versions and ABI
     * @param comments other header comment lines
     * @param vectors the vectors
     */
    public record VectorFile(String oracle, List<String> comments, List<Vector> vectors) {}

    /** The text of a list of guard-mapped IPAs: {@code -} for none, else hex, comma-separated. */
    static String guardText(List<Long> ipas) {
        if (ipas.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (long ipa : ipas) {
            b.append(b.isEmpty() ? "" : ",").append(Long.toHexString(ipa));
        }
        return b.toString();
    }

    /** The header naming what 0.4.0 vectors were recorded with. */
    public static String oracleHeader() {
        return "oracle " + Profile040.INSTANCE.describe() + " (ABI " + dev.pvmfw.bindings.v0_4_0.PvmfwPagingOracle040.PVP_ABI_VERSION()
                + ")";
    }

    /**
     * The header naming what vectors of {@code dialect} were recorded with: the crate and the versions of the crates
     * it links ({@code aarch64-paging 0.12.1 + bitflags 2.11.0 + thiserror 2.0.18}) and the library's ABI.
     */
    public static String oracleHeader(dev.pvmfw.oracle.scenario.Dialect dialect) {
        return switch (dialect) {
            case V0_4_0 -> oracleHeader();
            case V0_12_1 -> "oracle " + dev.pvmfw.oracle.rust.v0_12_1.OracleLibrary0121.describe();
        };
    }

    /**
     * Runs {@code scenario} on the Rust oracle and records every step; a scenario that does not end with a
     * {@code drop} is recorded with one appended ({@link Differential#withFinalDrop}).
     */
    public static Vector record(Scenario scenario, Differential.DumpCheck dumps) throws OracleUnavailableException {
        Scenario recorded = Differential.withFinalDrop(scenario);
        try (Engine rust = dev.pvmfw.oracle.runner.Engines.rust(recorded)) {
            return observe(recorded, rust, dumps);
        }
    }

    private static Vector observe(Scenario scenario, Engine engine, Differential.DumpCheck dumps) {
        List<Expectation> out = new ArrayList<>();
        List<Step> steps = scenario.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            StepResult r = engine.apply(step);
            boolean last = i + 1 == steps.size() || steps.get(i + 1) instanceof Step.DropTable;
            boolean dump = !(step instanceof Step.DropTable) && (dumps == Differential.DumpCheck.EVERY_STEP
                    || (dumps == Differential.DumpCheck.AT_END && last));
            String dumpDigest = "-";
            if (dump) {
                dumpDigest = engine.debugDump().map(GoldenVectors::sha256).orElse("panic");
            }
            out.add(new Expectation(r.eventsText(), r.trace().size(), traceDigest(r.trace()),
                    ImageCodec.digest(engine.image()), dumpDigest, r.hypText(), guardText(engine.guardMapped()),
                    r.outcome().text()));
            if (i == 0 && !(r.outcome() instanceof Outcome.Ok)) {
                break;
            }
        }
        return new Vector(scenario, out, ImageCodec.encode(engine.image()));
    }

    /**
     * Replays a vector on the Java engine.
     *
     * @return a report of the first difference, or empty if every step matches and the final image is identical
     */
    public static Optional<String> replay(Vector vector) {
        Scenario scenario = vector.scenario();
        Differential.DumpCheck dumps = vector.expectations().stream().anyMatch(e -> !e.dump().equals("-"))
                ? Differential.DumpCheck.EVERY_STEP : Differential.DumpCheck.NEVER;
        try (Engine java = dev.pvmfw.oracle.runner.Engines.java(scenario)) {
            List<Step> steps = scenario.steps();
            for (int i = 0; i < vector.expectations().size(); i++) {
                Expectation want = vector.expectations().get(i);
                StepResult r = java.apply(steps.get(i));
                String where = "scenario " + scenario.name() + ", step " + i + ": " + steps.get(i).text() + "\n";
                if (!want.outcome().equals(r.outcome().text())) {
                    return Optional.of(where + "  outcome\n    java   " + r.outcome().text() + "\n    golden "
                            + want.outcome());
                }
                if (!want.hyp().equals(r.hypText())) {
                    return Optional.of(where + "  hypervisor calls\n    java   " + r.hypText() + "\n    golden "
                            + want.hyp());
                }
                String guard = guardText(java.guardMapped());
                if (!want.guard().equals(guard)) {
                    return Optional.of(where + "  guard-mapped IPAs\n    java   " + guard + "\n    golden "
                            + want.guard());
                }
                if (!want.events().equals(r.eventsText())) {
                    return Optional.of(where + "  arena events\n    java   " + r.eventsText() + "\n    golden "
                            + want.events());
                }
                if (want.calls() != r.trace().size() || !want.trace().equals(traceDigest(r.trace()))) {
                    return Optional.of(where + "  updater calls differ: java made " + r.trace().size()
                            + ", golden " + want.calls() + (want.calls() == r.trace().size() ? " (same count)" : ""));
                }
                if (!want.image().equals(ImageCodec.digest(java.image()))) {
                    if (i + 1 == vector.expectations().size()) {
                        break; // the final image comparison below says which entry
                    }
                    return Optional.of(where + "  arena bytes differ (digest); the live suite shows the entry");
                }
                if (!want.dump().equals("-") && !(steps.get(i) instanceof Step.DropTable)) {
                    String dump = java.debugDump().map(GoldenVectors::sha256).orElse("panic");
                    if (!want.dump().equals(dump)) {
                        return Optional.of(where + "  Debug dump differs" + (dump.equals("panic") ? " (java panicked)"
                                : want.dump().equals("panic") ? " (the crate panicked)" : ""));
                    }
                }
            }
            try (Arena scratch = Arena.ofConfined()) {
                MemorySegment expected = scratch.allocate(java.image().byteSize(), TableLayout.TABLE_ALIGNMENT);
                for (String line : vector.finalImage()) {
                    ImageCodec.decodeInto(line, expected);
                }
                long mismatch = java.image().mismatch(expected);
                if (mismatch >= 0) {
                    return Optional.of("scenario " + scenario.name() + ", final image (\"rust\" = golden)\n"
                            + Divergence.imageReport(java.image(), expected, mismatch, scenario.paBase(),
                                    scenario.rootLevel(), scenario.vaRange()));
                }
            }
        }
        return Optional.empty();
    }

    static String traceDigest(List<TraceEntry> trace) {
        if (trace.isEmpty()) {
            return "-";
        }
        // 40 bytes an entry, 48 with a 0.12 status (0.4.0's entries have none, so their digests are format 2's).
        ByteBuffer buf = ByteBuffer.allocate(trace.size() * 48).order(ByteOrder.LITTLE_ENDIAN);
        for (TraceEntry e : trace) {
            buf.putLong(e.start()).putLong(e.end()).putLong(e.level()).putLong(e.before()).putLong(e.after());
            if (e.status() != 0) {
                buf.putLong(e.status());
            }
        }
        return sha256(java.util.Arrays.copyOf(buf.array(), buf.position()));
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- files ------------------------------------------------------------------------------------------------------

    /**
     * Writes {@code file} to {@code path} in the form above, gzipped if the name ends in {@code .gz}.
     *
     * @throws IOException if the file cannot be written
     */
    public static void write(VectorFile file, Path path) throws IOException {
        try (OutputStream raw = Files.newOutputStream(path);
                OutputStream out = path.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
                Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            write(file, w);
        }
    }

    /**
     * Writes {@code file} to {@code w} in the form above: the header comments, then each vector's scenario with an
     * expectation line after each step, its final image lines and {@code end}.
     *
     * @throws IOException if the writer fails
     */
    public static void write(VectorFile file, Writer w) throws IOException {
        w.write("# pvmfw-paging golden vectors: recorded from the Rust oracle; replayed by every ./mvnw test.\n");
        w.write("# Do not edit; re-record (README, \"Golden vectors\").\n");
        w.write("# " + file.oracle() + "\n");
        w.write("# format " + FORMAT + "\n");
        for (String c : file.comments()) {
            w.write("# " + c + "\n");
        }
        for (Vector v : file.vectors()) {
            Scenario s = v.scenario();
            w.write("scenario " + s.name() + "\n" + (s.dialect() == dev.pvmfw.oracle.scenario.Dialect.V0_4_0 ? ""
                    : "profile " + s.profile().id() + "\n") + ScenarioText.arenaLine(s) + "\n");
            for (int i = 0; i < s.steps().size(); i++) {
                w.write(s.steps().get(i).text() + "\n");
                if (i < v.expectations().size()) {
                    w.write(v.expectations().get(i).line() + "\n");
                }
            }
            for (String line : v.finalImage()) {
                w.write(line + "\n");
            }
            w.write("end\n");
        }
    }

    /**
     * Reads the vector file at {@code path}, gunzipping it if the name ends in {@code .gz}; otherwise as
     * {@link #read(InputStream)}.
     *
     * @throws IOException if the file cannot be read
     * @throws ScenarioSyntaxException as {@link #read(InputStream)}
     */
    public static VectorFile read(Path path) throws IOException, ScenarioSyntaxException {
        try (InputStream raw = Files.newInputStream(path);
                InputStream in = path.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return read(in);
        }
    }

    /**
     * Reads a vector file in the form above from {@code in} (UTF-8).
     *
     * @throws IOException if the stream cannot be read
     * @throws ScenarioSyntaxException a line before the first {@code scenario}, a step, expectation or scenario that
     *     does not parse, or no {@code # oracle …} header
     */
    public static VectorFile read(InputStream in) throws IOException, ScenarioSyntaxException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String oracle = null;
        String format = "1";
        List<String> comments = new ArrayList<>();
        List<Vector> vectors = new ArrayList<>();
        String name = null;
        String arena = null;
        String profile = null;
        int firstLine = 0;
        List<String> steps = new ArrayList<>();
        List<Expectation> expectations = new ArrayList<>();
        List<String> image = new ArrayList<>();
        int lineNo = 0;
        for (String line; (line = r.readLine()) != null; ) {
            lineNo++;
            if (line.startsWith("# ")) {
                String c = line.substring(2);
                if (c.startsWith("oracle ")) {
                    oracle = c;
                } else if (c.startsWith("format ") && name == null) {
                    format = c.substring("format ".length()).trim();
                } else if (name == null) {
                    comments.add(c);
                }
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("scenario ")) {
                name = line.substring("scenario ".length()).trim();
                arena = null;
                profile = null;
                firstLine = lineNo;
                steps = new ArrayList<>();
                expectations = new ArrayList<>();
                image = new ArrayList<>();
            } else if (name == null) {
                throw new ScenarioSyntaxException(lineNo, "expected 'scenario'");
            } else if (line.startsWith("arena ")) {
                arena = line;
            } else if (line.startsWith("profile ")) {
                profile = line;
            } else if (line.startsWith("=> ")) {
                expectations.add(Expectation.parse(line, lineNo));
            } else if (line.startsWith("image ")) {
                image.add(line);
            } else if (line.equals("end")) {
                Scenario s;
                try {
                    s = ScenarioText.parse("scenario " + name + "\n" + (profile == null ? "" : profile + "\n")
                            + (arena == null ? "" : arena + "\n") + String.join("\n", steps));
                } catch (ScenarioSyntaxException e) {
                    throw new ScenarioSyntaxException(firstLine, "vector " + name + " (from line " + firstLine + "): "
                            + e.getMessage());
                }
                vectors.add(new Vector(s, expectations, image));
                name = null;
            } else {
                steps.add(line);
            }
        }
        if (oracle == null) {
            throw new ScenarioSyntaxException(lineNo, "no '# oracle …' header");
        }
        if (!format.equals(Integer.toString(FORMAT))) {
            throw new ScenarioSyntaxException(1, "golden-vector format " + format + ", this reader reads format "
                    + FORMAT + ": re-record the vectors (README, \"Golden vectors\")");
        }
        return new VectorFile(oracle, comments, vectors);
    }
}
