package dev.pvmfw.image;

import java.io.OutputStream;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/** {@code check --json} ({@code docs/json.md}, "check"): the image, how much was walked, and every violation. */
public final class CheckJson {
    private CheckJson() {}

    /**
     * Writes the result of checking {@code s} ({@code violations}, from {@link ImageCheck#check}) to {@code out}.
     *
     * @throws tools.jackson.core.JacksonException if {@code out} fails
     */
    public static void write(ImageWalk.Structure s, List<Violation> violations, OutputStream out) {
        write(s, violations.isEmpty(), violations::forEach, out);
    }

    /**
     * Writes the result of checking {@code s} to {@code out}, the violations as the check finds them (one counting
     * pass first, for {@code ok}), never all held.
     *
     * @return how many violations there were
     * @throws tools.jackson.core.JacksonException if {@code out} fails
     */
    public static long write(ImageWalk.Structure s, OutputStream out) {
        return write(s, DeviceRules.NONE, out);
    }

    /**
     * {@link #write(ImageWalk.Structure, OutputStream)} with the device rules {@code rules} asks for.
     *
     * @return how many violations there were
     * @throws tools.jackson.core.JacksonException if {@code out} fails
     */
    public static long write(ImageWalk.Structure s, DeviceRules rules, OutputStream out) {
        long count = ImageCheck.count(s, rules);
        write(s, count == 0, action -> ImageCheck.forEach(s, rules, action), out);
        return count;
    }

    private static void write(ImageWalk.Structure s, boolean ok,
            java.util.function.Consumer<java.util.function.Consumer<Violation>> violations, OutputStream out) {
        try (JsonGenerator g = JsonOut.open(out)) {
            g.writeStartObject();
            JsonOut.head(g, "check", s.profile());
            JsonOut.image(g, s.image());
            g.writeNumberProperty("tables", s.tables().size());
            g.writeNumberProperty("entries", s.entryCount());
            g.writeBooleanProperty("ok", ok);
            JsonOut.violations(g, violations);
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }
}
