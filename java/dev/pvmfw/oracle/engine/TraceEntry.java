package dev.pvmfw.oracle.engine;

import dev.pvmfw.oracle.scenario.Step;

/**
 * One updater invocation during {@code modify_range}.
 *
 * @param start the range passed (the entry's whole range)
 * @param end its end
 * @param level the entry's level
 * @param before the descriptor before the call
 * @param after the descriptor after it
 */
public record TraceEntry(long start, long end, int level, long before, long after) {
    @Override
    public String toString() {
        return "L" + level + " " + Step.hex(start) + ".." + Step.hex(end) + " " + Step.hex(before) + "->"
                + Step.hex(after);
    }
}
