package dev.pvmfw.tool;

import java.io.PrintStream;

/** A subcommand of {@code pvmfw-paging}. Exit status: 0 ok, 1 findings or failure, 2 usage. */
interface Command {
    String name();

    /** One line for the command list. */
    String summary();

    /** Full help text. */
    String help();

    int run(String[] argv, PrintStream out, PrintStream err) throws UsageException, Exception;
}
