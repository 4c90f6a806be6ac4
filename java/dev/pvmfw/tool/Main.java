package dev.pvmfw.tool;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pvmfw-paging} command line (picocli). Exit status: 0 ok, 1 findings or failure, 2 usage. A usage error
 * or a failure is one line on standard error, never a stack trace.
 */
public final class Main {
    /** Exit status: success. */
    public static final int OK = 0;
    /** Exit status: findings (violations, differences, a divergence) or a failure. */
    public static final int FINDINGS = 1;
    /** Exit status: the command line was not usable. */
    public static final int USAGE = 2;

    private Main() {}

    public static void main(String[] args) {
        Logging.defaults();
        System.exit(run(args, System.out, System.err));
    }

    /** Runs {@code args} (none: the main job, {@code demo}); returns the exit status. Never throws. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return commandLine(out, err).execute(args.length == 0 ? new String[] {"demo"} : args);
        } catch (RuntimeException e) { // picocli itself failing is still one line
            err.println("pvmfw-paging: failed: " + e);
            return FINDINGS;
        }
    }

    /** The root command with every subcommand, writing to {@code out} and {@code err}. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new Root());
        for (Object command : new Object[] {new DemoCommand(out, err), new RunCommand(out, err),
            new DumpCommand(out, err), new TranslateCommand(out, err), new DecodeCommand(out, err),
            new CheckCommand(out, err), new DiffCommand(out, err), new FuzzCommand(out, err)}) {
            cli.addSubcommand(command);
        }
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setCaseInsensitiveEnumValuesAllowed(false);
        cli.setParameterExceptionHandler((e, argv) -> usageError(e.getCommandLine(), e.getMessage(), err));
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof UsageException) {
                return usageError(c, e.getMessage(), err);
            }
            err.println(c.getCommandSpec().qualifiedName() + ": failed: " + (e instanceof ToolCommand.ToolFailure
                    ? "" : e.getClass().getSimpleName() + ": ") + e.getMessage());
            return FINDINGS;
        });
        return cli;
    }

    private static int usageError(CommandLine c, String message, PrintStream err) {
        String name = c.getCommandSpec().qualifiedName();
        err.println(name + ": " + message);
        err.println("(" + name + " --help for usage)");
        return USAGE;
    }

    /** {@code pvmfw-paging} itself: with a subcommand, that; with none, the usage. */
    @Command(name = "pvmfw-paging", mixinStandardHelpOptions = true, versionProvider = Versions.class,
            sortOptions = false, usageHelpAutoWidth = true,
            description = {"pvmfw's lazy MMIO guard mapping on aarch64-paging, in Java, cross-checked byte for byte "
                    + "against the real Rust crate; host tooling over page-table images.",
                "", "Exit status: 0 ok, 1 findings or failure, 2 usage. Without a command: demo."})
    static final class Root implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @picocli.CommandLine.Mixin
        Logging.Options logging = new Logging.Options();

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }
}
