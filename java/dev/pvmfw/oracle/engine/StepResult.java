package dev.pvmfw.oracle.engine;

import java.util.List;

/**
 * The observable result of one step on one engine.
 *
 * @param outcome what the call returned
 * @param trace every updater invocation, in order (empty unless the step is a modify)
 * @param events the arena events of this step (slot {@code i} allocated = {@code i}, freed = {@code ~i})
 * @param hypCalls the hypervisor calls of this step, in order (tracker scenarios)
 */
public record StepResult(Outcome outcome, List<TraceEntry> trace, int[] events,
        List<dev.pvmfw.hyp.HypCall> hypCalls) {
    /** A step's result; the lists and the events are copied. */
    public StepResult {
        trace = List.copyOf(trace);
        events = events.clone();
        hypCalls = List.copyOf(hypCalls);
    }

    /** A step's result without hypervisor calls (a page-table scenario). */
    public StepResult(Outcome outcome, List<TraceEntry> trace, int[] events) {
        this(outcome, trace, events, List.of());
    }

    /** {@code fid:arg:x0} per call, comma-separated, hex; {@code -} for none. */
    public String hypText() {
        StringBuilder b = new StringBuilder();
        for (dev.pvmfw.hyp.HypCall c : hypCalls) {
            b.append(b.isEmpty() ? "" : ",").append(Long.toHexString(c.functionId() & 0xFFFF_FFFFL)).append(':')
                    .append(Long.toHexString(c.argument())).append(':').append(Long.toHexString(c.x0()));
        }
        return b.isEmpty() ? "-" : b.toString();
    }

    /** The arena events of this step, a copy (slot {@code i} allocated = {@code i}, freed = {@code ~i}). */
    @Override
    public int[] events() {
        return events.clone();
    }

    /** Whether {@code other} has the same arena events, in the same order. */
    public boolean eventsEqual(StepResult other) {
        return java.util.Arrays.equals(events, other.events);
    }

    /** {@code 0,1,~2}: allocations as slot numbers, frees as {@code ~slot}. */
    public String eventsText() {
        StringBuilder b = new StringBuilder();
        for (int e : events) {
            b.append(b.isEmpty() ? "" : ",").append(e >= 0 ? Integer.toString(e) : "~" + ~e);
        }
        return b.isEmpty() ? "-" : b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepResult r && r.outcome.equals(outcome) && r.trace.equals(trace)
                && java.util.Arrays.equals(r.events, events) && r.hypCalls.equals(hypCalls);
    }

    @Override
    public int hashCode() {
        return outcome.hashCode() * 31 + java.util.Arrays.hashCode(events);
    }

    @Override
    public String toString() {
        return outcome.text() + " events=" + eventsText() + " calls=" + trace.size() + " hyp=" + hypText();
    }
}
