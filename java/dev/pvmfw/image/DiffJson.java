package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.port.CrateProfile;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;

/** {@code diff --json} ({@code docs/json.md}, "diff"): every entry that differs, both values decoded. */
public final class DiffJson {
    private DiffJson() {}

    /**
     * Writes {@code differences} (from {@link ImageDiff#diff}) read with {@code profile} to {@code out}.
     *
     * @throws tools.jackson.core.JacksonException if {@code out} fails
     */
    public static void write(List<ImageDiff.Difference> differences, CrateProfile profile, OutputStream out) {
        write(action -> differences.forEach(action), profile, out);
    }

    /**
     * Writes the differences of {@code a} and {@code b} ({@link ImageDiff#forEach}) to {@code out} as they are found,
     * never holding them all.
     *
     * @return how many differences there were
     * @throws tools.jackson.core.JacksonException if {@code out} fails
     */
    public static long write(TableImage a, TableImage b, CrateProfile profile, OutputStream out) {
        long[] count = new long[1];
        write(action -> count[0] = ImageDiff.forEach(a, b, profile, action), profile, out);
        return count[0];
    }

    private static void write(Consumer<Consumer<ImageDiff.Difference>> differences, CrateProfile profile,
            OutputStream out) {
        try (JsonGenerator g = JsonOut.open(out)) {
            g.writeStartObject();
            JsonOut.head(g, "diff", profile);
            long[] count = new long[1];
            g.writeName("differences");
            g.writeStartArray();
            differences.accept(d -> {
                count[0]++;
                g.writeStartObject();
                g.writeNumberProperty("slot", d.slot());
                g.writeNumberProperty("index", d.index());
                g.writeStringProperty("where", d.where().trim());
                value(g, "a", d.a(), profile);
                value(g, "b", d.b(), profile);
                long fa = d.a() & ~Geometry.OUTPUT_ADDRESS_MASK;
                long fb = d.b() & ~Geometry.OUTPUT_ADDRESS_MASK;
                g.writeBooleanProperty("outputAddressDiffers",
                        DescriptorKind.outputAddress(d.a()) != DescriptorKind.outputAddress(d.b()));
                JsonOut.hex(g, "bitsOnlyInA", fa & ~fb);
                JsonOut.hex(g, "bitsOnlyInB", fb & ~fa);
                g.writeEndObject();
            });
            g.writeEndArray();
            // After the array, so the differences stream out as they are found.
            g.writeBooleanProperty("identical", count[0] == 0);
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private static void value(JsonGenerator g, String name, long d, CrateProfile profile) {
        g.writeName(name);
        g.writeStartObject();
        JsonOut.hex(g, "raw", d);
        g.writeStringProperty("debug", profile.descriptorDebug(d));
        g.writeEndObject();
    }
}
