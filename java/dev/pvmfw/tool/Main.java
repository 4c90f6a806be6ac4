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
        String[] argv = args.length == 0 ? new String[] {"demo"} : args;
        // Only the command named builds its model (picocli's reflection is most of a short call's time).
        return execute(commandLine(out, err, SUBCOMMANDS.containsKey(argv[0]) ? argv[0] : null), argv, err);
    }

    /**
     * Runs {@code argv} on {@code cli}, which may be reused for many calls (picocli resets every option before it
     * parses); returns the exit status. Never throws.
     */
    static int execute(CommandLine cli, String[] argv, PrintStream err) {
        try {
            return cli.execute(argv);
        } catch (RuntimeException e) { // picocli itself failing is still one line
            err.println("pvmfw-paging: failed: " + e);
            return FINDINGS;
        }
    }

    /** The subcommands by name (their {@code @Command} names), in the order the usage lists them. */
    private static final java.util.Map<String, java.util.function.BiFunction<PrintStream, PrintStream, Object>>
            SUBCOMMANDS = new java.util.LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("demo", DemoCommand::new);
        SUBCOMMANDS.put("run", RunCommand::new);
        SUBCOMMANDS.put("dump", DumpCommand::new);
        SUBCOMMANDS.put("translate", TranslateCommand::new);
        SUBCOMMANDS.put("decode", DecodeCommand::new);
        SUBCOMMANDS.put("check", CheckCommand::new);
        SUBCOMMANDS.put("diff", DiffCommand::new);
        SUBCOMMANDS.put("fuzz", FuzzCommand::new);
        SUBCOMMANDS.put("matrix", MatrixCommand::new);
        SUBCOMMANDS.put("upgrade", UpgradeCommand::new);
    }

    /** The root command with every subcommand, writing to {@code out} and {@code err}. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        return commandLine(out, err, null);
    }

    /** The root command with the subcommand {@code only}, or with every one if null. */
    static CommandLine commandLine(PrintStream out, PrintStream err, String only) {
        CommandLine cli = new CommandLine(new Root());
        SUBCOMMANDS.forEach((name, command) -> {
            if (only == null || only.equals(name)) {
                cli.addSubcommand(name, command.apply(out, err));
            }
        });
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
