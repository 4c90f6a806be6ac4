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
        try (JsonGenerator g = JsonOut.open(out)) {
            g.writeStartObject();
            JsonOut.head(g, "check", s.profile());
            JsonOut.image(g, s.image());
            g.writeNumberProperty("tables", s.tables().size());
            g.writeNumberProperty("entries", s.entries().size());
            g.writeBooleanProperty("ok", violations.isEmpty());
            JsonOut.violations(g, violations);
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }
}
