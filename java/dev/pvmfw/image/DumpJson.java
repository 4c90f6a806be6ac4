package dev.pvmfw.image;

import java.io.OutputStream;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;

/**
 * {@code dump --format json} ({@code docs/json.md}, "dump"): the image's layout, every table reached with its
 * non-zero entries decoded, and the violations {@code check} reports, streamed.
 */
public final class DumpJson {
    private DumpJson() {}

    /**
     * Writes the document for {@code s}, with {@code violations} (those of {@link ImageCheck#check}), to {@code out}.
     *
     * @throws JacksonException if {@code out} fails (Jackson's unchecked wrapper of the I/O error)
     */
    public static void write(ImageWalk.Structure s, List<Violation> violations, OutputStream out) {
        write(s, violations::forEach, out);
    }

    /**
     * Writes the document for {@code s}, with the violations of {@link ImageCheck#check}, to {@code out} as it goes:
     * each table's entries read from its slot as its object is written, the violations as the check finds them
     * ({@link ImageCheck#forEach}), so nothing is held per entry.
     *
     * @throws JacksonException if {@code out} fails (Jackson's unchecked wrapper of the I/O error)
     */
    public static void write(ImageWalk.Structure s, OutputStream out) {
        write(s, action -> ImageCheck.forEach(s, action), out);
    }

    private static void write(ImageWalk.Structure s, Consumer<Consumer<Violation>> violations, OutputStream out) {
        TableImage image = s.image();
        try (JsonGenerator g = JsonOut.open(out)) {
            g.writeStartObject();
            JsonOut.head(g, "dump", s.profile());
            JsonOut.image(g, image);
            g.writeName("tables");
            g.writeStartArray();
            for (ImageWalk.Table t : s.tables()) {
                g.writeStartObject();
                g.writeNumberProperty("slot", t.slot());
                JsonOut.hex(g, "pa", image.paOfSlot(t.slot()));
                g.writeNumberProperty("level", t.level());
                JsonOut.hex(g, "va", t.baseVa());
                if (t.parentSlot() < 0) {
                    g.writeNullProperty("parent");
                } else {
                    g.writeName("parent");
                    g.writeStartObject();
                    g.writeNumberProperty("slot", t.parentSlot());
                    g.writeNumberProperty("index", t.parentIndex());
                    g.writeEndObject();
                }
                g.writeName("entries");
                g.writeStartArray();
                s.forEachEntryOf(t, e -> entry(g, s, e));
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            JsonOut.violations(g, violations);
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private static void entry(JsonGenerator g, ImageWalk.Structure s, ImageWalk.Entry e) {
        g.writeStartObject();
        g.writeNumberProperty("index", e.index());
        JsonOut.hex(g, "va", e.va());
        JsonOut.hex(g, "size", e.size());
        JsonOut.hex(g, "raw", e.descriptor());
        g.writeStringProperty("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT));
        JsonOut.hex(g, "outputAddress", e.outputAddress());
        if (s.profile().flagsKnown(e.descriptor())) {
            g.writeStringProperty("flags", s.profile().attributesDebug(e.flagBits()));
        } else {
            g.writeNullProperty("flags");
        }
        g.writeStringProperty("debug", s.profile().descriptorDebug(e.descriptor()));
        if (e.kind() != dev.pvmfw.mmu.DescriptorKind.TABLE) {
            JsonOut.attributes(g, e.descriptor(), s.profile().tableRegime(), s.config());
        }
        g.writeEndObject();
    }
}
