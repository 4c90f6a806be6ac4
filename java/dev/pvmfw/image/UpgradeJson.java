package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.paging.port.CrateProfile;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import tools.jackson.core.JsonGenerator;

/**
 * {@code upgrade --json} ({@code docs/json.md}, "upgrade"): the two runs of one scenario, step by step, as the text
 * report has them: each side's outcome, tables allocated and freed, hypervisor calls, the entries it changed (old and
 * new, raw and decoded) and the rules it broke, then each run's verdict.
 */
public final class UpgradeJson {
    private UpgradeJson() {}

    /**
     * One run: its era, crate version and verdict.
     *
     * @param era the era's id ({@code 2023-05}, …)
     * @param profile the crate version
     * @param verdict {@code works}, or {@code breaks: …} with the first broken rule
     * @param broken whether it broke a rule
     */
    public record Run(String era, CrateProfile profile, String verdict, boolean broken) {
        /** A run; nothing may be null. */
        public Run {
            Objects.requireNonNull(era);
            Objects.requireNonNull(profile);
            Objects.requireNonNull(verdict);
        }
    }

    /**
     * One hypervisor call: w0, x1 and the x0 returned.
     *
     * @param functionId w0
     * @param name the function's name ({@code MMIO_GUARD_MAP}, …)
     * @param argument x1
     * @param x0 the x0 returned
     */
    public record Call(int functionId, String name, long argument, long x0) {}

    /**
     * One entry a step changed: by level and VA (so two crate versions compare), its value before and after (0 for
     * none) with what the MMU reads there.
     *
     * @param level the entry's level
     * @param va the first VA of the entry's range
     * @param before the descriptor before the step (0 if there was none)
     * @param after the descriptor after it (0 if there is none)
     * @param beforeText {@code before} decoded as the text report does
     * @param afterText {@code after} decoded
     */
    public record Change(int level, long va, long before, long after, String beforeText, String afterText) {}

    /**
     * One side of one step.
     *
     * @param outcome the step's outcome text
     * @param allocated the slots allocated
     * @param freed the slots freed
     * @param calls the hypervisor calls, in order
     * @param changes the entries changed, by level and VA
     * @param broken the rules the step broke
     */
    public record Side(String outcome, List<Integer> allocated, List<Integer> freed, List<Call> calls,
            List<Change> changes, List<String> broken) {
        /** A side; the lists are copied. */
        public Side {
            Objects.requireNonNull(outcome);
            allocated = List.copyOf(allocated);
            freed = List.copyOf(freed);
            calls = List.copyOf(calls);
            changes = List.copyOf(changes);
            broken = List.copyOf(broken);
        }
    }

    /**
     * One step of the scenario: its name and each run's side (null where that run has no such step).
     *
     * @param name the step's name
     * @param a run A's side, or null
     * @param b run B's side, or null
     */
    public record Step(String name, Side a, Side b) {}

    /**
     * Writes the upgrade of {@code scenario} from {@code a} to {@code b}, its {@code steps}, to {@code out}.
     *
     * @throws tools.jackson.core.JacksonException if {@code out} fails
     */
    public static void write(String scenario, Run a, Run b, List<Step> steps, OutputStream out) {
        try (JsonGenerator g = JsonOut.open(out)) {
            g.writeStartObject();
            g.writeStringProperty("format", "pvmfw-paging upgrade");
            g.writeNumberProperty("formatVersion", JsonOut.FORMAT_VERSION);
            g.writeStringProperty("scenario", scenario);
            run(g, "a", a);
            run(g, "b", b);
            g.writeName("steps");
            g.writeStartArray();
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                g.writeStartObject();
                g.writeNumberProperty("step", i + 1);
                g.writeStringProperty("name", s.name());
                side(g, "a", s.a());
                side(g, "b", s.b());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeBooleanProperty("ok", !b.broken());
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private static void run(JsonGenerator g, String name, Run r) {
        g.writeName(name);
        g.writeStartObject();
        g.writeStringProperty("era", r.era());
        JsonOut.profile(g, r.profile());
        g.writeStringProperty("verdict", r.verdict());
        g.writeEndObject();
    }

    private static void side(JsonGenerator g, String name, Side s) {
        g.writeName(name);
        if (s == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringProperty("outcome", s.outcome());
        ints(g, "allocated", s.allocated());
        ints(g, "freed", s.freed());
        g.writeName("hypervisor");
        g.writeStartArray();
        for (Call c : s.calls()) {
            g.writeStartObject();
            g.writeStringProperty("function", c.name());
            JsonOut.hex(g, "functionId", c.functionId() & 0xFFFF_FFFFL);
            JsonOut.hex(g, "argument", c.argument());
            JsonOut.hex(g, "x0", c.x0());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeName("changes");
        g.writeStartArray();
        for (Change c : s.changes()) {
            g.writeStartObject();
            g.writeNumberProperty("level", c.level());
            JsonOut.hex(g, "va", c.va());
            entry(g, "before", c.before(), c.level(), c.beforeText());
            entry(g, "after", c.after(), c.level(), c.afterText());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeName("broken");
        g.writeStartArray();
        for (String rule : s.broken()) {
            g.writeString(rule);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void entry(JsonGenerator g, String name, long d, int level, String text) {
        g.writeName(name);
        g.writeStartObject();
        JsonOut.hex(g, "raw", d);
        g.writeStringProperty("kind", DescriptorKind.of(d, level).name().toLowerCase(Locale.ROOT));
        g.writeStringProperty("text", text);
        g.writeEndObject();
    }

    private static void ints(JsonGenerator g, String name, List<Integer> values) {
        g.writeName(name);
        g.writeStartArray();
        for (int v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }
}
