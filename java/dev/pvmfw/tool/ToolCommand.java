package dev.pvmfw.tool;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand of {@code pvmfw-paging}: picocli fills its options, {@link #execute} does the work and returns the exit
 * status (0 ok, 1 findings or failure). A {@link UsageException} is a usage error (exit 2, one line); anything else
 * thrown is a failure (exit 1, one line) — {@link Main} turns both into their message, never a stack trace.
 */
abstract class ToolCommand implements Callable<Integer> {
    /** Where normal output goes. */
    final PrintStream out;
    /** Where warnings and errors go. */
    final PrintStream err;

    @Spec
    CommandSpec spec;

    ToolCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public final Integer call() throws Exception {
        try {
            return execute();
        } catch (StackOverflowError | OutOfMemoryError e) {
            throw new ToolFailure(e.getClass().getSimpleName() + " (" + e.getMessage() + ")");
        } finally {
            // What the mixins opened (mapped images, a scenario's arena) ends with the command.
            for (CommandSpec mixin : spec.mixins().values()) {
                if (mixin.userObject() instanceof AutoCloseable resource) {
                    resource.close();
                }
            }
        }
    }

    /** The command's work. @return 0 ok, 1 findings or failure */
    abstract int execute() throws Exception;

    /** A JVM error turned into an ordinary failure of the command. */
    static final class ToolFailure extends Exception {
        private static final long serialVersionUID = 1L;

        ToolFailure(String message) {
            super(message, null, false, false);
        }
    }
}
