package dev.pvmfw.tool;

import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.paging.NumberText;
import java.util.List;

/**
 * A scenario read from a file, with its {@code expect} lines: those are the tool's, not the oracle's (the
 * differential harness has the crate to compare with), so they are taken out before the text is parsed, and blank
 * lines left in their place keep every line number.
 *
 * @param scenario the scenario
 * @param expectations its {@code expect} lines, in order
 */
record ScenarioFile(Scenario scenario, List<Expectation> expectations) {
    /**
     * The text without its {@code expect} lines, which go to {@code into}, each about the step before it; the steps
     * are counted on the way, so that a file of more than {@code maxSteps} is refused before it is parsed.
     *
     * @throws UsageException an {@code expect} before any step or with an unknown outcome class, or more steps than
     *     {@code maxSteps}
     */
    static String takeExpectations(String text, String file, long maxSteps, List<Expectation> into)
            throws UsageException {
        StringBuilder rest = new StringBuilder(text.length());
        int steps = 0;
        long allSteps = 0;
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
            if (line.equals("expect") || line.startsWith("expect ")) {
                String expected = line.substring("expect".length()).trim();
                if (steps == 0) {
                    throw new UsageException(file + ": line " + lineNo + ": 'expect' comes after the step it is about");
                }
                if (expected.isEmpty() || !expected.contains(" ") && !Expectation.CLASSES.contains(expected)) {
                    throw new UsageException(file + ": line " + lineNo + ": expect " + NumberText.echo(expected)
                            + ": not an outcome (" + String.join(", ", Expectation.CLASSES) + ", or an outcome's "
                            + "whole text)");
                }
                into.add(new Expectation(steps - 1, lineNo, expected));
                rest.append('\n');
                continue;
            }
            if (line.startsWith("scenario")) {
                steps = 0;
            } else if (!line.isEmpty() && !line.startsWith("arena") && !line.startsWith("profile")) {
                steps++;
                if (++allSteps > maxSteps) {
                    throw new UsageException(file + ": line " + lineNo + ": more than " + maxSteps
                            + " steps (raise the limit with --max-scenario-steps)");
                }
            }
            rest.append(raw).append('\n');
        }
        return rest.toString();
    }
}
