package dev.pvmfw.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged distribution, end to end (after {@code package}, by {@code ./mvnw verify}): the launcher finds a JDK 25,
 * runs the tool on the module path, keeps its exit status, and says what it needs when there is no JDK 25; the
 * completion scripts complete; the README is there.
 */
class LauncherIT {
    static Path dist;
    static Path launcher;
    /** The JDK running this test: 25 or later, which the build required. */
    static final Path JDK = Path.of(System.getProperty("java.home"));

    @TempDir
    static Path tmp;

    @BeforeAll
    static void theDistributionIsBuilt() {
        dist = Path.of(System.getProperty("pvmfw.dist", "target/pvmfw-paging-unknown"));
        launcher = dist.resolve("bin/pvmfw-paging");
        assertTrue(Files.isExecutable(launcher), launcher + " is not an executable file: run ./mvnw verify");
    }

    record Result(int status, String out, String err) {}

    /** Runs the launcher with {@code env} on top of a JAVA_HOME of the test's own JDK 25. */
    static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("JAVA_HOME", JDK.toString());
        pb.environment().remove("PVMFW_PAGING_JAVA_OPTS");
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish: " + command);
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Runs the launcher without its start-up cache (no training in the background of other tests). */
    static Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of("PVMFW_PAGING_AOT", "off"), args);
    }

    /**
     * The start-up cache: the first run finds none and trains one in the background, in the cache folder it is
     * given; later runs start from it; the output is the same with and without it, nothing of the JVM's is printed,
     * and a cache the JVM cannot use (here: not a cache at all) is ignored silently.
     */
    @Test
    void theStartUpCacheIsTrainedOnceAndChangesNoOutput() throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString());
        Path image = oneBlockImage();
        Result without = run("check", "--json", image.toString());
        Result first = run(env, "check", "--json", image.toString());
        assertEquals(without, first);
        Path dir = cache.resolve("pvmfw-paging");
        List<Path> made = List.of();
        for (int i = 0; i < 600 && made.isEmpty(); i++) { // the training takes seconds, more on a loaded machine
            Thread.sleep(500);
            try (var files = Files.list(dir)) {
                made = files.filter(f -> f.toString().endsWith(".aot")).toList();
            }
        }
        assertEquals(1, made.size(), "no cache was trained in " + dir);
        Result cached = run(env, "check", "--json", image.toString());
        assertEquals(without, cached);
        Files.writeString(made.getFirst(), "not a cache");
        Result broken = run(env, "check", "--json", image.toString());
        assertEquals(without, broken);
    }

    /** A fake {@code java} that reports {@code version}, in a directory of its own (with a release file). */
    static Path fakeJdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(tmp.resolve(name));
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"" + version + "\" 2022-01-01' >&2\nexit 0\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    /** A 4 KiB level-1 root whose entry 1 is a 1 GiB block: VA 0x4000_0000 → PA 0x4000_0000, Normal memory, AF. */
    static Path oneBlockImage() throws IOException {
        ByteBuffer table = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        table.putLong(8, 0x4000_0000L | 1L << 10 | 3L << 8 | 1L << 2 | 0b01);
        Path image = tmp.resolve("one-block.img");
        Files.write(image, table.array());
        return image;
    }

    static void assertNoStackTrace(Result r) {
        assertFalse(r.err().contains("\tat ") || r.out().contains("\tat "), r.err());
        assertFalse(r.err().contains("Exception in thread"), r.err());
    }

    @Test
    void helpListsEveryCommand() throws Exception {
        Result r = run("--help");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("Usage: pvmfw-paging"), r.out());
        for (String command : List.of("demo", "run", "dump", "translate", "decode", "check", "diff", "fuzz")) {
            assertTrue(r.out().contains("  " + command + " "), command + " missing from\n" + r.out());
        }
    }

    @Test
    void versionNamesTheBuiltVersion() throws Exception {
        Result r = run("--version");
        assertEquals(0, r.status(), r.err());
        assertEquals("pvmfw-paging " + System.getProperty("pvmfw.version"), r.out().lines().findFirst().orElseThrow());
    }

    @Test
    void dumpAndTranslateReadAnImage() throws Exception {
        Path image = oneBlockImage();
        Result dump = run("dump", image.toString());
        assertEquals(0, dump.status(), dump.err());
        assertTrue(dump.out().contains("0x0000000040000000-0x0000000080000000"), dump.out());
        Result hit = run("translate", "0x40001234", image.toString());
        assertEquals(0, hit.status(), hit.err());
        assertTrue(hit.out().contains("-> PA 0x40001234 (1G block at level 1)"), hit.out());
    }

    @Test
    void theToolsExitStatusIsTheLaunchers() throws Exception {
        Result miss = run("translate", "0x1234", oneBlockImage().toString());
        assertEquals(1, miss.status(), "a translation fault is a finding: " + miss.out());
        assertTrue(miss.out().contains("translation fault at level 1"), miss.out());
        assertNoStackTrace(miss);
    }

    @Test
    void aUsageErrorIsOneLineAndExitTwo() throws Exception {
        Result r = run("dump", "--no-such-option");
        assertEquals(2, r.status());
        assertEquals(List.of("pvmfw-paging dump: Unknown option: '--no-such-option'",
                "(pvmfw-paging dump --help for usage)"), r.err().lines().toList());
        assertEquals("", r.out());
    }

    @Test
    void logLinesAreCompactAndOnlyOnRequest() throws Exception {
        Result quiet = run("demo");
        assertEquals(0, quiet.status(), quiet.err());
        assertFalse(quiet.out().contains("[main]") || quiet.err().contains("[main]"), "the binding's default format");
        assertFalse(quiet.err().contains("Expecting a bug"), quiet.err());
        Result verbose = run("demo", "--verbose");
        assertEquals(0, verbose.status(), verbose.err());
        assertTrue(verbose.err().lines().anyMatch(l -> l.equals(
                "INFO MainWrapper - Expecting a bug making MMIO_GUARD_UNMAP return NOT_SUPPORTED on success")),
                verbose.err());
        assertFalse(verbose.out().contains("Expecting a bug"), "logs go to standard error");
    }

    @Test
    void withoutAJdk25TheLauncherSaysWhereItLookedAndExitsTwo() throws Exception {
        Path old = fakeJdk("jdk-17", "17.0.2");
        Path jvms = Files.createDirectories(tmp.resolve("jvms-old"));
        Path oldInJvms = fakeJdk("jvms-old/jdk-21", "21.0.1");
        Result r = run(Map.of("JAVA_HOME", old.toString(), "PVMFW_PAGING_JVM_DIRS", jvms.toString(),
                "PATH", old.resolve("bin") + ":/usr/bin:/bin"), "--version");
        assertEquals(2, r.status(), r.out());
        assertEquals(List.of("pvmfw-paging: needs a JDK 25 or later (set JAVA_HOME to one); looked at:",
                "  JAVA_HOME=" + old + ": JDK 17",
                "  " + oldInJvms + ": JDK 21",
                "  PATH: " + old.resolve("bin/java") + " is JDK 17"), r.err().lines().toList());
    }

    @Test
    void aJdk25InTheJvmFolderIsFoundWhenJavaHomeIsOld() throws Exception {
        Path old = fakeJdk("jdk-17b", "17.0.2");
        Path jvms = Files.createDirectories(tmp.resolve("jvms"));
        Files.createSymbolicLink(jvms.resolve("the-jdk"), JDK);
        fakeJdk("jvms/jdk-11", "11.0.20");
        Result r = run(Map.of("JAVA_HOME", old.toString(), "PVMFW_PAGING_JVM_DIRS", jvms.toString(),
                "PATH", old.resolve("bin") + ":/usr/bin:/bin"), "--version");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("pvmfw-paging "), r.out());
    }

    @Test
    void theLauncherWorksThroughASymbolicLink() throws Exception {
        Path link = tmp.resolve("bin-elsewhere");
        Files.createDirectories(link);
        Files.createSymbolicLink(link.resolve("pvmfw-paging"), launcher.toAbsolutePath());
        ProcessBuilder pb = new ProcessBuilder(link.resolve("pvmfw-paging").toString(), "--version");
        pb.environment().put("JAVA_HOME", JDK.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("pvmfw-paging "), out);
    }

    @Test
    void bashCompletesCommandsAndOptionValues() throws Exception {
        Path script = dist.resolve("completion/pvmfw-paging.bash");
        assertTrue(Files.isRegularFile(script), script.toString());
        assertTrue(Files.isRegularFile(dist.resolve("completion/pvmfw-paging.zsh")));
        String probe = "source '" + script + "' 2>/dev/null\n"
                + "COMP_WORDS=(pvmfw-paging tr); COMP_CWORD=1; _complete_pvmfw-paging 2>/dev/null;"
                + " echo \"commands: ${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(pvmfw-paging dump --va-range ''); COMP_CWORD=3; _complete_pvmfw-paging 2>/dev/null;"
                + " echo \"ranges: ${COMPREPLY[*]}\"\n";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", probe);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(out.contains("commands: translate"), out);
        assertTrue(out.contains("ranges: lower upper"), out);
    }

    @Test
    void theReadmeNamesTheVersionAndTheLayout() throws Exception {
        String readme = Files.readString(dist.resolve("README.txt"));
        assertTrue(readme.startsWith("pvmfw-paging " + System.getProperty("pvmfw.version") + "\n"), readme);
        for (String jar : List.of("pvmfw-paging-" + System.getProperty("pvmfw.version") + ".jar", "picocli-",
                "slf4j-api-", "slf4j-simple-")) {
            try (var files = Files.list(dist.resolve("lib"))) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith(jar)), jar + " in lib/");
            }
        }
    }
}
