package dev.pvmfw.image;

import dev.pvmfw.paging.port.CrateProfile;
import java.io.OutputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;

/**
 * The JSON the image tooling writes ({@code docs/json.md}): one document per command, streamed through Jackson's
 * generator (nothing is built in memory first), two-space indented, UTF-8. Every document starts with {@code format}
 * (the command: {@code pvmfw-paging dump}, …) and {@code formatVersion} ({@link #FORMAT_VERSION}); 64-bit quantities
 * (addresses, descriptors, sizes) are strings {@code "0x…"}, since JSON numbers lose them above 2<sup>53</sup>.
 */
public final class JsonOut {
    /** The schema's version: raised on any change a reader could notice. */
    public static final int FORMAT_VERSION = 3;

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonOut() {}

    /** A generator writing UTF-8 to {@code out}, indented; closing it flushes but does not close {@code out}. */
    static JsonGenerator open(OutputStream out) {
        ObjectWriteContext pretty = new ObjectWriteContext.Base() {
            @Override
            public PrettyPrinter getPrettyPrinter() {
                DefaultIndenter indent = new DefaultIndenter("  ", "\n");
                return new DefaultPrettyPrinter(Separators.createDefaultInstance()
                        .withObjectNameValueSpacing(Separators.Spacing.AFTER).withArrayEmptySeparator("")
                        .withObjectEmptySeparator("")).withObjectIndenter(indent).withArrayIndenter(indent);
            }

            @Override
            public boolean hasPrettyPrinter() {
                return true;
            }
        };
        return FACTORY.createGenerator(pretty, new NonClosing(out), JsonEncoding.UTF8);
    }

    /** {@code "format"}, {@code "formatVersion"} and {@code "profile"}: the head of every document. */
    static void head(JsonGenerator g, String command, CrateProfile profile) throws JacksonException {
        g.writeStringProperty("format", "pvmfw-paging " + command);
        g.writeNumberProperty("formatVersion", FORMAT_VERSION);
        profile(g, profile);
    }

    /** {@code "profile": {"id", "crates", "regime"}}: the crate version and the regime it reads the tables of. */
    static void profile(JsonGenerator g, CrateProfile profile) throws JacksonException {
        g.writeName("profile");
        g.writeStartObject();
        g.writeStringProperty("id", profile.id());
        g.writeStringProperty("crates", profile.describe());
        g.writeStringProperty("regime", profile.tableRegime().id());
        g.writeEndObject();
    }

    /**
     * {@code "attributes": {…}}: the fields of a leaf descriptor in {@code regime} ({@link RegimeAttributes#fields}),
     * numbers, booleans and strings as they are.
     */
    static void attributes(JsonGenerator g, long d, dev.pvmfw.paging.TranslationRegime regime,
            dev.pvmfw.mmu.MmuConfig config) throws JacksonException {
        g.writeName("attributes");
        g.writeStartObject();
        for (RegimeAttributes.Field f : RegimeAttributes.fields(d, regime, config)) {
            switch (f.value()) {
                case Boolean b -> g.writeBooleanProperty(f.name(), b);
                case Integer i -> g.writeNumberProperty(f.name(), i);
                default -> g.writeStringProperty(f.name(), f.value().toString());
            }
        }
        g.writeEndObject();
    }

    /** {@code "name": "0x…"}. */
    static void hex(JsonGenerator g, String name, long value) throws JacksonException {
        g.writeStringProperty(name, "0x" + Long.toHexString(value));
    }

    /** The image's layout, as {@code "image": {…}}. */
    static void image(JsonGenerator g, TableImage image) throws JacksonException {
        g.writeName("image");
        g.writeStartObject();
        hex(g, "paBase", image.paBase());
        g.writeNumberProperty("slots", image.slots());
        g.writeNumberProperty("rootSlot", image.rootSlot());
        g.writeNumberProperty("rootLevel", image.rootLevel());
        g.writeStringProperty("vaRange", image.vaRange().rustName().toLowerCase(java.util.Locale.ROOT));
        hex(g, "vaSize", image.vaSize());
        g.writeEndObject();
    }

    /** {@code "violations": […]}. */
    static void violations(JsonGenerator g, java.util.List<Violation> violations) throws JacksonException {
        violations(g, violations::forEach);
    }

    /** {@code "violations": […]} of what {@code violations} reports, written as it reports them. */
    static void violations(JsonGenerator g, java.util.function.Consumer<java.util.function.Consumer<Violation>>
            violations) throws JacksonException {
        g.writeName("violations");
        g.writeStartArray();
        violations.accept(v -> {
            g.writeStartObject();
            g.writeStringProperty("rule", v.rule());
            g.writeNumberProperty("slot", v.slot());
            g.writeNumberProperty("index", v.index());
            g.writeNumberProperty("level", v.level());
            hex(g, "va", v.va());
            hex(g, "raw", v.descriptor());
            g.writeStringProperty("message", v.message());
            g.writeStringProperty("debug", v.debug());
            g.writeEndObject();
        });
        g.writeEndArray();
    }

    /** The stream the generator writes: its close only flushes, so standard output stays open. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws java.io.IOException {
            flush();
        }
    }
}
