package dev.pvmfw.tool;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * The command line in process, as {@link ToolRun} runs it, but with each command's picocli model built once and
 * reused ({@link Main#execute}): for the many short calls of a fuzz test. One per thread.
 */
final class ReusedTool {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private final Map<String, CommandLine> commands = new HashMap<>();

    /** {@code pvmfw-paging ARGS} ({@code args[0]} a command): its exit status and what it printed. */
    ToolRun run(String... args) {
        outBytes.reset();
        errBytes.reset();
        CommandLine cli = commands.computeIfAbsent(args[0], name -> Main.commandLine(out, err, name));
        int status = Main.execute(cli, args, err);
        out.flush();
        err.flush();
        return new ToolRun(status, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
    }
}
