package dev.pvmfw.tool;

import dev.pvmfw.oracle.engine.Outcome;

/**
 * A scenario file's {@code expect OUTCOME} line ({@code docs/scenarios.md}, "Expected outcomes"): what the step just
 * before it must end in, for {@code run}. One word ({@code ok}, {@code err}, {@code panic}, {@code tracker-err},
 * {@code invalid}) is the class of the outcome, the first word of its text; more is the whole text, compared exactly.
 *
 * @param step the index of the step it is about (0-based)
 * @param line the 1-based line of the {@code expect}
 * @param expected the expected outcome, as written
 */
record Expectation(int step, int line, String expected) {
    /** The outcome classes, the first words of {@link Outcome#text()}. */
    static final java.util.List<String> CLASSES = java.util.List.of("ok", "err", "panic", "tracker-err", "invalid");

    /** Whether {@code outcome} is what this line expects. */
    boolean holds(Outcome outcome) {
        String text = outcome.text();
        if (CLASSES.contains(expected)) {
            int space = text.indexOf(' ');
            return (space < 0 ? text : text.substring(0, space)).equals(expected);
        }
        return text.equals(expected);
    }
}
