package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.port.CrateProfile;
import dev.pvmfw.paging.port.RegimeReading;
import java.io.OutputStream;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * {@code decode --json} ({@code docs/json.md}, "decode"): one descriptor's fields in its table's regime and each
 * crate version's verdicts on it.
 */
public final class DecodeJson {
    private DecodeJson() {}

    /**
     * {@link #write(long, int, List, CrateProfile, TranslationRegime, MmuConfig, OutputStream)} with one crate
     * version, in its {@link CrateProfile#tableRegime()}.
     *
     * @throws tools.jackson.core.JacksonException if {@code out} fails
     */
    public static void write(long d, int level, CrateProfile profile, MmuConfig mmu, OutputStream out) {
        write(d, level, List.of(profile), profile, profile.tableRegime(), mmu, out);
    }

    /**
     * Writes the decoding of {@code d} at {@code level} (-1: every level) in a table of {@code regime}, under
     * {@code mmu}'s MAIR, with the verdicts of each of {@code profiles}, to {@code out}; {@code chosen} is the
     * profile asked for ({@code "profile"} in the head), or null when every profile is shown.
     *
     * @throws tools.jackson.core.JacksonException if {@code out} fails
     */
    public static void write(long d, int level, List<CrateProfile> profiles, CrateProfile chosen,
            TranslationRegime regime, MmuConfig mmu, OutputStream out) {
        try (JsonGenerator g = JsonOut.open(out)) {
            g.writeStartObject();
            g.writeStringProperty("format", "pvmfw-paging decode");
            g.writeNumberProperty("formatVersion", JsonOut.FORMAT_VERSION);
            if (chosen == null) {
                g.writeNullProperty("profile");
            } else {
                JsonOut.profile(g, RegimeReading.of(chosen, regime));
            }
            g.writeStringProperty("regime", regime.id());
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
            JsonOut.attributes(g, d, regime, mmu);
            g.writeName("crates");
            g.writeStartArray();
            for (CrateProfile p : profiles) {
                verdicts(g, d, p, regime);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private static void verdicts(JsonGenerator g, long d, CrateProfile crate, TranslationRegime regime) {
        g.writeStartObject();
        boolean knows = crate.regimes().contains(regime);
        JsonOut.profile(g, knows ? RegimeReading.of(crate, regime) : crate);
        g.writeBooleanProperty("knowsRegime", knows);
        if (knows) {
            CrateProfile p = RegimeReading.of(crate, regime);
            g.writeName("bitsSet");
            g.writeStartArray();
            for (int b = 0; b < 64; b++) {
                if ((d & 1L << b) != 0 && ((1L << b) & Geometry.OUTPUT_ADDRESS_MASK) == 0) {
                    g.writeString(DescriptorDecode.bitName(b, p));
                }
            }
            g.writeEndArray();
            if (p.flagsKnown(d)) {
                g.writeStringProperty("flags", p.attributesDebug(d & ~Geometry.OUTPUT_ADDRESS_MASK));
            } else {
                g.writeNullProperty("flags");
            }
            g.writeName("flagsProblems");
            g.writeStartArray();
            for (String problem : p.flagsProblems(d)) {
                g.writeString(problem);
            }
            g.writeEndArray();
            g.writeBooleanProperty("isTableOrPage", p.isTableOrPage(d));
            g.writeName("subtableAtLevels");
            g.writeStartArray();
            for (int l = 0; l < Geometry.LEAF_LEVEL; l++) {
                if (p.isSubtable(d, l)) {
                    g.writeNumber(l);
                }
            }
            g.writeEndArray();
            g.writeStringProperty("debug", p.descriptorDebug(d));
        }
        g.writeEndObject();
    }
}
