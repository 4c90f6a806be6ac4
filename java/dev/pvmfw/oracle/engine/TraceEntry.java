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
 * @param status from aarch64-paging 0.12 on: {@link #status(int, boolean, boolean) what became of the action and
 *     what the callback answered}; 0 for 0.4.0, whose trace has neither
 */
public record TraceEntry(long start, long end, int level, long before, long after, int status) {
    /** A 0.4.0 entry (status 0). */
    public TraceEntry(long start, long end, int level, long before, long after) {
        this(start, end, level, before, after, 0);
    }

    /**
     * The status of a 0.12 callback call: {@code applied} (the oracle's {@code PVP_APPLIED_*}: 0 no action, 1 done,
     * 2 refused), {@code | 4} if {@code UpdatableDescriptor::updated()} after it, {@code | 8} if the callback answered
     * Err.
     */
    public static int status(int applied, boolean updated, boolean err) {
        return applied | (updated ? 4 : 0) | (err ? 8 : 0);
    }

    @Override
    public String toString() {
        return "L" + level + " " + Step.hex(start) + ".." + Step.hex(end) + " " + Step.hex(before) + "->"
                + Step.hex(after) + (status == 0 ? "" : switch (status & 3) {
                    case 1 -> " applied";
                    case 2 -> " refused";
                    default -> "";
                } + ((status & 4) != 0 ? " updated" : "") + ((status & 8) != 0 ? " err" : ""));
    }
}
