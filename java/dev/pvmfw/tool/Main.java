package dev.pvmfw.tool;

import java.io.PrintStream;

/** The {@code pvmfw-paging} command line. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static final java.util.List<Command> COMMANDS = java.util.List.of(new DemoCommand(), new RunCommand(),
            new DumpCommand(), new TranslateCommand(), new DecodeCommand(), new CheckCommand(), new DiffCommand(), new FuzzCommand());

    /** Runs a command; returns the exit status (0 ok, 1 findings or failure, 2 usage). Never throws. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            args = new String[] {"demo"};
        }
        if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(usage());
            return 0;
        }
        for (Command c : COMMANDS) {
            if (c.name().equals(args[0])) {
                if (java.util.Arrays.asList(args).subList(1, args.length).stream()
                        .anyMatch(s -> s.equals("--help") || s.equals("-h"))) {
                    out.print(c.help());
                    return 0;
                }
                try {
                    return c.run(args, out, err);
                } catch (UsageException e) {
                    err.println("pvmfw-paging " + c.name() + ": " + e.getMessage());
                    err.println("(pvmfw-paging " + c.name() + " --help for usage)");
                    return 2;
                } catch (Exception | StackOverflowError | OutOfMemoryError e) {
                    err.println("pvmfw-paging " + c.name() + ": failed: " + e.getClass().getSimpleName() + ": "
                            + e.getMessage());
                    return 1;
                }
            }
        }
        err.println("pvmfw-paging: unknown command '" + args[0] + "'");
        err.print(usage());
        return 2;
    }

    static String usage() {
        StringBuilder b = new StringBuilder("usage: pvmfw-paging COMMAND [ARGS]  (COMMAND --help for details)\n\n");
        for (Command c : COMMANDS) {
            b.append(String.format("  %-10s %s%n", c.name(), c.summary()));
        }
        return b.toString();
    }

}
