package dev.pvmfw.oracle.scenario;

/** A scenario text that does not parse; the message names the line. */
public final class ScenarioSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The 1-based number of the line that does not parse. */
    private final int line;

    /** A syntax error at 1-based {@code line}; the message is {@code line N: message}. */
    public ScenarioSyntaxException(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    /** 1-based line number. */
    public int line() {
        return line;
    }
}
