package dev.pvmfw.image;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.paging.port.CrateProfile;
import java.io.OutputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;

/**
 * {@code translate --batch FILE --json} ({@code docs/json.md}, "translate --batch"): one document, written as the
 * addresses are translated: the head and the image once, then {@code "translations": [...]}, one object per address
 * in input order with the fields of {@code translate --json} after {@code "va"} (or {@code "error"} where the walk
 * reads memory the map does not know), then the counts; a bad input line ends the array early and the document says
 * so in {@code "error": {"line", "message"}}. Nothing is held per address.
 */
public final class TranslateBatchJson implements AutoCloseable {
    private final JsonGenerator g;
    private final MmuConfig config;
    private final CrateProfile profile;
    private long translated;
    private long faults;
    private long errors;
    private boolean ended;

    /**
     * Starts the document for the addresses of {@code image} walked under {@code config}, read with
     * {@code profile}, on {@code out}.
     *
     * @throws JacksonException if {@code out} fails
     */
    public TranslateBatchJson(TableImage image, MmuConfig config, CrateProfile profile, OutputStream out) {
        this.config = config;
        this.profile = profile;
        g = JsonOut.open(out);
        g.writeStartObject();
        JsonOut.head(g, "translate --batch", profile);
        JsonOut.image(g, image);
        g.writeNumberProperty("outputBits", config.effectiveOutputBits());
        g.writeName("translations");
        g.writeStartArray();
    }

    /**
     * One address's walk, as {@link TranslateJson#write} writes it after {@code "va"}.
     *
     * @throws JacksonException if the output fails
     */
    public void add(long va, WalkResult walk, TranslateJson.FaultText text, WalkResult load, WalkResult store) {
        g.writeStartObject();
        JsonOut.hex(g, "va", va);
        TranslateJson.walk(g, config, walk, profile, text, load, store);
        g.writeEndObject();
        if (walk instanceof WalkResult.Translated) {
            translated++;
        } else {
            faults++;
        }
    }

    /**
     * An address whose walk could not be modelled: {@code {"va", "error"}}.
     *
     * @throws JacksonException if the output fails
     */
    public void error(long va, String message) {
        g.writeStartObject();
        JsonOut.hex(g, "va", va);
        g.writeStringProperty("error", message);
        g.writeEndObject();
        errors++;
    }

    /**
     * Ends the document early: input line {@code line} was not an address ({@code message} says why).
     *
     * @throws JacksonException if the output fails
     */
    public void badLine(long line, String message) {
        end(line, message);
    }

    /**
     * Ends the document (the counts), unless {@link #badLine} did.
     *
     * @throws JacksonException if the output fails
     */
    @Override
    public void close() {
        end(-1, null);
        g.close();
    }

    private void end(long line, String message) {
        if (ended) {
            return;
        }
        ended = true;
        g.writeEndArray();
        g.writeNumberProperty("translated", translated);
        g.writeNumberProperty("faults", faults);
        g.writeNumberProperty("errors", errors);
        if (line >= 0) {
            g.writeName("error");
            g.writeStartObject();
            g.writeNumberProperty("line", line);
            g.writeStringProperty("message", message);
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush();
    }
}
