package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.testing.Property;
import java.io.InputStreamReader;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;

/**
 * A seeded fuzz test of every image command, in process (issue 13): images built from the named scenarios' final
 * arenas, then mutated (bits flipped, pointers aimed inside, outside and back at the root, slots zeroed, copied,
 * dropped or added, the size cut off a table boundary) and read with mutated options (PA base, root level and slot,
 * VA range). Every image goes through {@code check}, and through one more command in turn: {@code dump} in each
 * format, {@code check --json}, {@code translate} and {@code translate --batch} (text and JSON) and {@code diff}
 * (text and JSON) against the image it
 * came from. Each call must:
 *
 * <ul>
 *   <li>exit in its class: 2 exactly when the image cannot be read with those options (the test decides that from
 *       the bytes and options itself), else 0 or 1 ({@code dump}: 0);</li>
 *   <li>print no stack trace and no "failed:" (an exception the tool did not expect);</li>
 *   <li>change no file;</li>
 *   <li>print valid JSON where JSON was asked for, and an SVG document for {@code --format svg};</li>
 *   <li>for {@code check}: never say ok when a table descriptor on the walk points outside the image (the test walks
 *       the image itself, depth first in index order as the MMU-model walk does, each table once).</li>
 * </ul>
 *
 * <p>The first failure is shrunk (slots dropped from the end, slots zeroed, entries zeroed while it still fails), the
 * minimal image written under {@code target/image-fuzz/}, and the assertion names the seed, the case and a one-line
 * command that reproduces it. Seed: {@code -Dpvmfw.seed=…} ({@link Property#baseSeed}); count:
 * {@code -Dpvmfw.imagefuzz.images=N} (default 10,000). A million:
 * {@code ./mvnw -o test -Dtest=ImageFuzzTest -Dpvmfw.imagefuzz.images=1000000 -Dpvmfw.seed=random}.
 */
class ImageFuzzTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long PA_LIMIT = 1L << 48;

    @TempDir
    Path dir;

    /** A known image: a named scenario's final arena (before its drop), trimmed to its used slots. */
    record Base(String name, byte[] bytes, long paBase, int rootLevel, VaRange vaRange) {}

    /** One fuzz case: the image, the options it is read with, and the command besides check. */
    record Case(byte[] image, byte[] origin, long paBase, int rootLevel, VaRange vaRange, int rootSlot, int command,
            long va) {
        List<String> options() {
            return List.of("--pa-base", "0x" + Long.toHexString(paBase), "--root-level", String.valueOf(rootLevel),
                    "--va-range", vaRange == VaRange.LOWER ? "lower" : "upper", "--root-slot",
                    String.valueOf(rootSlot));
        }

        Case with(byte[] other) {
            return new Case(other, origin, paBase, rootLevel, vaRange, rootSlot, command, va);
        }
    }

    static final String[][] COMMANDS = {{"dump", "--format", "ranges"}, {"dump", "--format", "tree"},
        {"dump", "--format", "json"}, {"dump", "--format", "svg"}, {"check", "--json"}, {"translate"},
        {"translate", "--json"}, {"translate", "--batch"}, {"translate", "--batch", "--json"}, {"diff"},
        {"diff", "--json"}};

    static List<Base> bases() throws Exception {
        List<Scenario> scenarios;
        try (var in = Objects.requireNonNull(ImageFuzzTest.class.getResourceAsStream(
                "/dev/pvmfw/oracle/named-scenarios.txt"))) {
            scenarios = ScenarioText.parseAll(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        List<Base> out = new ArrayList<>();
        for (Scenario s : scenarios) {
            try (JavaEngine engine = new JavaEngine(s)) {
                for (Step step : s.steps()) {
                    if (!(step instanceof Step.DropTable)) {
                        engine.apply(step);
                    }
                }
                byte[] arena = engine.image().toArray(ValueLayout.JAVA_BYTE);
                int used = 1;
                for (int slot = 0; slot < arena.length / 4096; slot++) {
                    if (!isZero(arena, slot)) {
                        used = slot + 1;
                    }
                }
                out.add(new Base(s.name(), Arrays.copyOf(arena, used * 4096), s.paBase(), s.rootLevel(),
                        s.vaRange()));
            }
        }
        return out;
    }

    static boolean isZero(byte[] image, int slot) {
        for (int i = slot * 4096; i < slot * 4096 + 4096; i++) {
            if (image[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static long read(byte[] image, int slot, int index) {
        return ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getLong(slot * 4096 + index * 8);
    }

    static void write(byte[] image, int slot, int index, long value) {
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putLong(slot * 4096 + index * 8, value);
    }

    /** Case {@code k} of the campaign of {@code seed}: depends on those two alone. */
    static Case generate(List<Base> bases, long seed, long k) {
        SplittableRandom r = new SplittableRandom(seed ^ (k * 0x9E37_79B9_7F4A_7C15L));
        Base base = bases.get(r.nextInt(bases.size()));
        byte[] image = base.bytes().clone();
        long paBase = base.paBase();
        int rootLevel = base.rootLevel();
        VaRange range = base.vaRange();
        int rootSlot = 0;
        for (int m = 1 + r.nextInt(4); m > 0; m--) {
            int slots = image.length / 4096;
            if (slots == 0) {
                break;
            }
            int slot = r.nextInt(slots);
            int index = r.nextInt(512);
            switch (r.nextInt(12)) {
                case 0, 1 -> { // flip a bit of a non-zero entry, if there is one
                    int[] at = nonZeroEntry(image, r);
                    if (at != null) {
                        write(image, at[0], at[1], read(image, at[0], at[1]) ^ (1L << r.nextInt(64)));
                    }
                }
                case 2 -> write(image, slot, index, paBase + 4096L * r.nextInt(slots) | 0b11); // a table in the image
                case 3 -> { // a table outside it: just past, just below, PA 0, the top of the PA space, anywhere
                    long[] targets = {paBase + 4096L * slots, paBase - 4096, 0, PA_LIMIT - 4096,
                        r.nextLong() & 0x0000_ffff_ffff_f000L};
                    write(image, slot, index, targets[r.nextInt(targets.length)] | 0b11 | (r.nextLong() & 0x3fcL));
                }
                case 4 -> write(image, slot, index, paBase + 4096L * rootSlot | 0b11); // back at the root
                case 5 -> write(image, slot, index, r.nextLong());
                case 6 -> Arrays.fill(image, slot * 4096, slot * 4096 + 4096, (byte) 0);
                case 7 -> System.arraycopy(image, r.nextInt(slots) * 4096, image, slot * 4096, 4096);
                case 8 -> image = slots > 1 ? Arrays.copyOf(image, (slots - 1) * 4096) : image;
                case 9 -> {
                    image = Arrays.copyOf(image, image.length + 4096);
                    if (r.nextBoolean()) {
                        for (int i = 0; i < 512; i++) {
                            write(image, slots, i, r.nextInt(4) == 0 ? r.nextLong() : 0);
                        }
                    }
                }
                case 10 -> {
                    switch (r.nextInt(4)) {
                        case 0 -> rootLevel = r.nextInt(4);
                        case 1 -> rootSlot = r.nextInt(slots + 1); // sometimes one past the end
                        case 2 -> range = range == VaRange.LOWER ? VaRange.UPPER : VaRange.LOWER;
                        default -> {
                            long[] bases2 = {0, 0x1000, PA_LIMIT - 4096L * slots, PA_LIMIT - 4096L * (slots - 1),
                                -0x1000L, paBase + 0x800, r.nextLong() & 0x0000_ffff_ffff_f000L};
                            paBase = bases2[r.nextInt(bases2.length)];
                        }
                    }
                }
                default -> { // rarely, a size that is not whole tables
                    if (r.nextInt(8) == 0) {
                        image = Arrays.copyOf(image, image.length + 1 + r.nextInt(4095));
                    }
                }
            }
            if (image.length % 4096 != 0) {
                break; // unreadable anyway
            }
        }
        int command = (int) Math.floorMod(k, (long) COMMANDS.length);
        long va = r.nextBoolean() ? r.nextLong() : r.nextLong(1L << 39) & ~0xfffL;
        return new Case(image, base.bytes(), paBase, rootLevel, range, rootSlot, command, va);
    }

    static int[] nonZeroEntry(byte[] image, SplittableRandom r) {
        List<int[]> found = new ArrayList<>();
        for (int s = 0; s < image.length / 4096; s++) {
            for (int i = 0; i < 512; i++) {
                if (read(image, s, i) != 0) {
                    found.add(new int[] {s, i});
                }
            }
        }
        return found.isEmpty() ? null : found.get(r.nextInt(found.size()));
    }

    /** Whether the image can be read with these options, decided from the bytes and options alone. */
    static boolean readable(byte[] image, long paBase, int rootLevel, int rootSlot) {
        long slots = image.length / 4096;
        return rootLevel >= 0 && rootLevel <= 3 && image.length > 0 && image.length % 4096 == 0 && (paBase & 0xfff) == 0
                && Long.compareUnsigned(paBase, PA_LIMIT) < 0 && slots <= (PA_LIMIT - paBase) / 4096
                && rootSlot >= 0 && rootSlot < slots;
    }

    /**
     * Whether a table descriptor on the walk points outside the image: depth first from the root in index order, each
     * table once (at the level it is first reached), a table being 0b11 below level 3.
     */
    static boolean pointerLeaves(Case c) {
        return leaves(c, c.rootSlot(), c.rootLevel(), new HashSet<>());
    }

    private static boolean leaves(Case c, int slot, int level, Set<Integer> seen) {
        seen.add(slot);
        boolean out = false;
        for (int i = 0; i < 512; i++) {
            long d = read(c.image(), slot, i);
            if (level < 3 && (d & 0b11) == 0b11) {
                long offset = (d & 0x0000_ffff_ffff_f000L) - c.paBase();
                if (Long.compareUnsigned(offset, c.image().length) >= 0) {
                    out = true;
                } else if (!seen.contains((int) (offset / 4096))) {
                    out |= leaves(c, (int) (offset / 4096), level + 1, seen);
                }
            }
        }
        return out;
    }

    /** What went wrong with case {@code c}, or null: runs check and the case's command and judges them. */
    static String failure(Case c, Path work) throws Exception {
        return failure(c, work, ToolRun::of);
    }

    /** {@link #failure(Case, Path)}, running the tool through {@code tool}. */
    static String failure(Case c, Path work, java.util.function.Function<String[], ToolRun> tool) throws Exception {
        Path image = work.resolve("case.img");
        Path base = work.resolve("base.img");
        Files.write(image, c.image());
        byte[] baseBytes = c.origin(); // the image it came from
        Files.write(base, baseBytes);
        boolean readable = readable(c.image(), c.paBase(), c.rootLevel(), c.rootSlot());
        List<String> calls = new ArrayList<>();
        List<String> check = new ArrayList<>(List.of("check", image.toString()));
        check.addAll(c.options());
        String[] command = COMMANDS[c.command()];
        List<String> other = new ArrayList<>(Arrays.asList(command));
        if (command[0].equals("translate") && other.contains("--batch")) {
            // The case's VA, its neighbours and the ends of both ranges, one a line, with a comment and a blank line.
            Path batch = work.resolve("batch.txt");
            Files.writeString(batch, "# addresses\n0x" + Long.toHexString(c.va()) + "\n\n"
                    + Long.toUnsignedString(c.va() ^ 0x1000) + "\n0\n0xffff_ffff_ffff_f000 # top\n0x"
                    + Long.toHexString(c.va() & ~0xfffL) + "\n");
            other.add(2, batch.toString());
        } else if (command[0].equals("translate")) {
            other.add(1, "0x" + Long.toHexString(c.va()));
        }
        other.add(command[0].equals("diff") ? 1 : other.size(), image.toString());
        if (command[0].equals("diff")) {
            other.add(2, base.toString());
        }
        other.addAll(c.options());
        for (List<String> args : List.of(check, other)) {
            ToolRun r = tool.apply(args.toArray(String[]::new));
            String call = "pvmfw-paging " + String.join(" ", args);
            calls.add(call);
            if (r.err().contains("\tat ") || r.err().contains("Exception in thread") || r.err().contains("failed:")) {
                return call + ": an unexpected error: " + r.err().lines().findFirst().orElse("");
            }
            boolean diffReadable = !args.getFirst().equals("diff") || readable(baseBytes, c.paBase(), c.rootLevel(), c.rootSlot());
            if (!readable || !diffReadable) {
                if (r.status() != 2) {
                    return call + ": exit " + r.status() + " for an unreadable image, not 2";
                }
                continue;
            }
            boolean dump = args.getFirst().equals("dump");
            if (dump ? r.status() != 0 : r.status() != 0 && r.status() != 1) {
                return call + ": exit " + r.status() + " (" + r.err().lines().findFirst().orElse("") + ")";
            }
            if (args.contains("--json") || args.contains("json")) {
                try {
                    JSON.readTree(r.out());
                } catch (RuntimeException e) {
                    return call + ": not JSON: " + e.getMessage();
                }
            }
            if (args.contains("svg") && !(r.out().startsWith("<svg") || r.out().startsWith("<?xml"))) {
                return call + ": not an SVG document";
            }
            if (args == check && pointerLeaves(c) && (r.status() != 1 || !r.out().contains("pointer-outside-image"))) {
                return call + ": a table descriptor points outside the image, but check says: "
                        + r.out().lines().reduce((a, b) -> b).orElse("");
            }
        }
        if (!Arrays.equals(Files.readAllBytes(image), c.image()) || !Arrays.equals(Files.readAllBytes(base),
                baseBytes)) {
            return String.join(" ; ", calls) + ": changed an input file";
        }
        return null;
    }

    /** Greedy shrinking: drop trailing slots, zero slots, zero entries, while {@link #failure} still fails. */
    static Case shrink(Case c, Path work) throws Exception {
        Case best = c;
        boolean progress = true;
        while (progress) {
            progress = false;
            int slots = best.image().length / 4096;
            if (slots > 1 && best.image().length % 4096 == 0) {
                Case fewer = best.with(Arrays.copyOf(best.image(), (slots - 1) * 4096));
                if (failure(fewer, work) != null) {
                    best = fewer;
                    progress = true;
                    continue;
                }
            }
            for (int s = 0; s < slots && !progress; s++) {
                if (!isZero(best.image(), s)) {
                    byte[] zeroed = best.image().clone();
                    Arrays.fill(zeroed, s * 4096, s * 4096 + 4096, (byte) 0);
                    if (failure(best.with(zeroed), work) != null) {
                        best = best.with(zeroed);
                        progress = true;
                    }
                }
            }
            for (int s = 0; s < slots && !progress; s++) {
                for (int i = 0; i < 512 && !progress; i++) {
                    if (read(best.image(), s, i) != 0) {
                        byte[] zeroed = best.image().clone();
                        write(zeroed, s, i, 0);
                        if (failure(best.with(zeroed), work) != null) {
                            best = best.with(zeroed);
                            progress = true;
                        }
                    }
                }
            }
        }
        return best;
    }

    @Test
    void everyImageCommandAnswersEveryMutatedImageInItsClass() throws Exception {
        long seed = Property.baseSeed("ImageFuzzTest");
        // The module-path run of the suite checks the module descriptor: a tenth of the images is enough there.
        long images = Long.getLong("pvmfw.imagefuzz.images", Boolean.getBoolean("pvmfw.test.modulePath") ? 1_000
                : 10_000);
        List<Base> bases = bases();
        assertFalse(bases.isEmpty());
        int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        System.out.printf("ImageFuzzTest: seed 0x%x, %d images from %d named scenarios, %d threads%n", seed, images,
                bases.size(), workers);
        AtomicLong leaving = new AtomicLong();
        AtomicLong firstFailing = new AtomicLong(Long.MAX_VALUE);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                Path work = Files.createDirectories(dir.resolve("worker-" + w));
                int first = w;
                done.add(pool.submit(() -> {
                    ReusedTool tool = new ReusedTool();
                    for (long k = first; k < images && k < firstFailing.get(); k += workers) {
                        Case c = generate(bases, seed, k);
                        if (readable(c.image(), c.paBase(), c.rootLevel(), c.rootSlot()) && pointerLeaves(c)) {
                            leaving.incrementAndGet();
                        }
                        // Every tenth through a fresh command line, as the launcher runs it; the rest reuse it.
                        if (failure(c, work, k % 10 == 0 ? ToolRun::of : tool::run) != null) {
                            firstFailing.accumulateAndGet(k, Math::min);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long k = firstFailing.get();
        if (k != Long.MAX_VALUE) {
            Path work = Files.createDirectories(dir.resolve("shrink"));
            Case c = generate(bases, seed, k);
            String failure = failure(c, work);
            Case small = shrink(c, work);
            Path keep = Path.of("target", "image-fuzz");
            Files.createDirectories(keep);
            Path min = keep.resolve(String.format("min-%x-%d.img", seed, k));
            Files.write(min, small.image());
            String again = failure(small, work);
            throw new AssertionError(String.format("image fuzz failed at case %d, seed 0x%x: %s%n"
                    + "shrunk to %d bytes (%s): %s%nreproduce: %s%nor the campaign: ./mvnw test -Dtest=ImageFuzzTest "
                    + "-Dpvmfw.seed=0x%x -Dpvmfw.imagefuzz.images=%d", k, seed, failure, small.image().length, min,
                    again, again == null ? "(shrinking lost it)" : again.split(": ")[0].replace(
                            work.resolve("case.img").toString(), min.toString()), seed, k + 1));
        }
        System.out.printf("ImageFuzzTest: %d images, %d with a pointer leaving the image, all answered in class%n",
                images, leaving.get());
        assertTrue(leaving.get() > images / 50, "the mutations reach the check oracle: " + leaving + " of " + images);
    }
}
