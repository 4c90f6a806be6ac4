package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.port.CrateProfile;
import java.io.OutputStream;
import tools.jackson.core.JsonGenerator;

/** {@code decode --json} ({@code docs/json.md}, "decode"): one descriptor's fields and the crate version's view. */
public final class DecodeJson {
    private DecodeJson() {}

    /**
     * Writes the decoding of {@code d} at {@code level} (-1: every level) under {@code mmu}'s MAIR and {@code profile}
     * to {@code out}.
     *
     * @throws tools.jackson.core.JacksonException if {@code out} fails
     */
    public static void write(long d, int level, CrateProfile profile, MmuConfig mmu, OutputStream out) {
        try (JsonGenerator g = JsonOut.open(out)) {
            g.writeStartObject();
            JsonOut.head(g, "decode", profile);
            JsonOut.hex(g, "raw", d);
            g.writeName("kinds");
            g.writeStartArray();
            for (int l = level < 0 ? 0 : level; l <= (level < 0 ? Geometry.LEAF_LEVEL : level); l++) {
                g.writeStartObject();
                g.writeNumberProperty("level", l);
                g.writeStringProperty("kind", DescriptorKind.of(d, l).name().toLowerCase(java.util.Locale.ROOT));
                g.writeStringProperty("text", DescriptorDecode.kindText(d, l));
                g.writeEndObject();
            }
            g.writeEndArray();
            JsonOut.hex(g, "outputAddress", DescriptorKind.outputAddress(d));
            g.writeNumberProperty("attrIndx", AttributeText.attrIndx(d));
            g.writeStringProperty("memoryType", AttributeText.memoryType(d, mmu));
            g.writeStringProperty("shareability", AttributeText.shareability(d));
            g.writeNumberProperty("ap", (int) ((d >>> 6) & 3));
            g.writeName("bitsSet");
            g.writeStartArray();
            for (int b = 0; b < 64; b++) {
                if ((d & 1L << b) != 0 && ((1L << b) & Geometry.OUTPUT_ADDRESS_MASK) == 0) {
                    g.writeString(DescriptorDecode.bitName(b, profile));
                }
            }
            g.writeEndArray();
            if (profile.flagsKnown(d)) {
                g.writeStringProperty("flags", profile.attributesDebug(d & ~Geometry.OUTPUT_ADDRESS_MASK));
            } else {
                g.writeNullProperty("flags");
            }
            g.writeName("flagsProblems");
            g.writeStartArray();
            for (String p : profile.flagsProblems(d)) {
                g.writeString(p);
            }
            g.writeEndArray();
            g.writeBooleanProperty("isTableOrPage", profile.isTableOrPage(d));
            g.writeStringProperty("debug", profile.descriptorDebug(d));
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }
}
