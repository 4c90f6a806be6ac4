package dev.pvmfw.tool;

import static dev.pvmfw.tool.CommandLineTest.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that are not regular files are refused at once (issue 13, case 6), and the README's commands (case 9). */
class InputBoundsTest {
    @TempDir
    Path dir;

    /**
     * Case 6: {@code dump} of a FIFO used to block forever. Every command that reads a file refuses one at once; the
     * timeout only turns a hang into a failure (it is no speed target: a refusal takes no time at all).
     */
    @Test
    void aFifoIsRefusedByEveryCommandWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no mkfifo here: " + e.getMessage());
            return;
        }
        assumeTrue(mkfifo.waitFor() == 0 && Files.exists(fifo), "mkfifo failed");
        Path zero = dir.resolve("zero.img");
        Files.write(zero, new byte[4096]);
        String f = fifo.toString();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            assertUsageError(ToolRun.of("dump", f), "pvmfw-paging dump", f + ": not a regular file");
            assertUsageError(ToolRun.of("check", f), "pvmfw-paging check", f + ": not a regular file");
            assertUsageError(ToolRun.of("translate", "0", f), "pvmfw-paging translate", f + ": not a regular file");
            assertUsageError(ToolRun.of("diff", zero.toString(), f), "pvmfw-paging diff", f + ": not a regular file");
            assertUsageError(ToolRun.of("run", f), "pvmfw-paging run", f + ": not a regular file");
            assertUsageError(ToolRun.of("dump", "--scenario", f), "pvmfw-paging dump", f + ": not a regular file");
        });
    }

    /**
     * Case 9: through Maven, a usage error (exit 2) became Maven's exit 1 with an ExecuteException stack trace. The
     * README shows the Maven form for the demo alone (which exits 0); every other command goes through the launcher,
     * which keeps the tool's status.
     */
    @Test
    void theReadmeShowsTheMavenFormOnlyForTheDemo() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("-Dpvmfw\\.args=\"([^\"]*)\"").matcher(readme);
        java.util.Set<String> commands = Main.commandLine(System.out, System.err).getSubcommands().keySet();
        while (m.find()) {
            String first = m.group(1).split(" ")[0];
            assertFalse(commands.contains(first) && !first.equals("demo"),
                    "the README runs a tool command through Maven: " + m.group());
        }
        assertTrue(commands.contains("dump"));
    }
}
