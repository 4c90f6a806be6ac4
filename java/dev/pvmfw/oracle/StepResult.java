package dev.pvmfw.oracle;

import java.util.List;

/**
 * The observable result of one step on one engine.
 *
 * @param outcome what the call returned
 * @param trace every updater invocation, in order (empty unless the step is a modify)
 * @param events the arena events of this step (slot {@code i} allocated = {@code i}, freed = {@code ~i})
 */
public record StepResult(Outcome outcome, List<TraceEntry> trace, int[] events) {
    public StepResult {
        trace = List.copyOf(trace);
        events = events.clone();
    }

    @Override
    public int[] events() {
        return events.clone();
    }

    boolean eventsEqual(StepResult other) {
        return java.util.Arrays.equals(events, other.events);
    }

    /** {@code 0,1,~2}: allocations as slot numbers, frees as {@code ~slot}. */
    String eventsText() {
        StringBuilder b = new StringBuilder();
        for (int e : events) {
            b.append(b.isEmpty() ? "" : ",").append(e >= 0 ? Integer.toString(e) : "~" + ~e);
        }
        return b.isEmpty() ? "-" : b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepResult r && r.outcome.equals(outcome) && r.trace.equals(trace)
                && java.util.Arrays.equals(r.events, events);
    }

    @Override
    public int hashCode() {
        return outcome.hashCode() * 31 + java.util.Arrays.hashCode(events);
    }

    @Override
    public String toString() {
        return outcome.text() + " events=" + eventsText() + " calls=" + trace.size();
    }
}
