package dev.pvmfw.oracle.scenario;

/** A scenario text that does not parse; the message names the line. */
public final class ScenarioSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;

    public ScenarioSyntaxException(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    /** 1-based line number. */
    public int line() {
        return line;
    }
}
