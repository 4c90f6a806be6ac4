package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.Syndrome;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.paging.port.CrateProfile;
import java.io.OutputStream;
import tools.jackson.core.JsonGenerator;

/**
 * {@code translate --json} ({@code docs/json.md}, "translate"): the walk of one VA, level by level, then either the
 * translation or the fault with the ESR a read and a write would carry.
 */
public final class TranslateJson {
    private TranslateJson() {}

    /**
     * How the fault reads to a person and to pvmfw: {@code reason} (why the walk stopped) and {@code pvmfwDecodes}
     * (what pvmfw's ESR decoder makes of the read's syndrome). Ignored for a translation.
     *
     * @param reason why the walk stopped, for a person
     * @param pvmfwDecodes the Display text of pvmfw's {@code Esr} decoding of the read's ESR
     */
    public record FaultText(String reason, String pvmfwDecodes) {}

    /**
     * Writes the walk of {@code va} in {@code image} under {@code config} to {@code out}, without the
     * {@code access} object (the load's and store's outcomes).
     *
     * @throws tools.jackson.core.JacksonException if {@code out} fails
     */
    public static void write(long va, TableImage image, MmuConfig config, WalkResult walk, CrateProfile profile,
            FaultText text, OutputStream out) {
        write(va, image, config, walk, profile, text, null, null, out);
    }

    /**
     * Writes the walk of {@code va} in {@code image} under {@code config} to {@code out}, and, for a translation
     * with {@code load} and {@code store} given ({@link dev.pvmfw.mmu.Walker#access} of a read and a write at the
     * regime's own level, or {@link dev.pvmfw.mmu.Stage2Access#access} for a stage-2 table), what each access then
     * does: {@code "access": {"read": {...}, "write": {...}}}, each {@code {"ok": true}} or
     * {@code {"ok": false, "kind", "level", "esr"}} (the leaf's Access flag or Permission fault, or the external
     * abort of a PA with nothing behind it; no {@code esr} for a stage-2 table, whose faults are taken to EL2).
     *
     * @throws tools.jackson.core.JacksonException if {@code out} fails
     */
    public static void write(long va, TableImage image, MmuConfig config, WalkResult walk, CrateProfile profile,
            FaultText text, WalkResult load, WalkResult store, OutputStream out) {
        try (JsonGenerator g = JsonOut.open(out)) {
            g.writeStartObject();
            JsonOut.head(g, "translate", profile);
            JsonOut.image(g, image);
            JsonOut.hex(g, "va", va);
            g.writeNumberProperty("outputBits", config.effectiveOutputBits());
            walk(g, config, walk, profile, text, load, store);
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    /**
     * The fields after {@code "va"} of a translation: {@code "steps"}, then {@code "translated"} and
     * {@code "access"}, or {@code "fault"}; shared with {@code translate --batch} ({@link TranslateBatchJson}).
     */
    static void walk(JsonGenerator g, MmuConfig config, WalkResult walk, CrateProfile profile, FaultText text,
            WalkResult load, WalkResult store) {
        g.writeName("steps");
        g.writeStartArray();
        for (WalkResult.Step s : walk.steps()) {
            g.writeStartObject();
            g.writeNumberProperty("level", s.level());
            g.writeNumberProperty("index", s.index());
            JsonOut.hex(g, "raw", s.descriptor());
            g.writeStringProperty("kind", DescriptorKind.of(s.descriptor(), s.level()).name()
                    .toLowerCase(java.util.Locale.ROOT));
            g.writeStringProperty("debug", profile.descriptorDebug(s.descriptor()));
            g.writeEndObject();
        }
        g.writeEndArray();
        switch (walk) {
            case WalkResult.Translated t -> {
                g.writeName("translated");
                g.writeStartObject();
                JsonOut.hex(g, "pa", t.leaf().pa());
                g.writeNumberProperty("level", t.leaf().level());
                JsonOut.hex(g, "size", t.leaf().size());
                g.writeStringProperty("attributes", RegimeAttributes.columns(t.leaf().descriptor(),
                        profile.tableRegime(), config).replaceAll(" +", " ").trim());
                g.writeEndObject();
                if (load != null && store != null) {
                    g.writeName("access");
                    g.writeStartObject();
                    boolean stage2 = profile.tableRegime() == dev.pvmfw.paging.TranslationRegime.STAGE2;
                    access(g, "read", load, false, stage2);
                    access(g, "write", store, true, stage2);
                    g.writeEndObject();
                }
            }
            case WalkResult.Faulted f -> {
                g.writeName("fault");
                g.writeStartObject();
                g.writeStringProperty("kind", f.kind().name().toLowerCase(java.util.Locale.ROOT));
                g.writeNumberProperty("level", f.level());
                g.writeStringProperty("reason", text.reason());
                JsonOut.hex(g, "esrRead", Syndrome.of(f, false));
                JsonOut.hex(g, "esrWrite", Syndrome.of(f, true));
                g.writeStringProperty("pvmfwDecodes", text.pvmfwDecodes());
                g.writeEndObject();
            }
        }
    }

    /** One access's outcome; a stage-2 fault, taken to EL2, has no ESR_EL1 ({@code esr} is left out). */
    private static void access(JsonGenerator g, String name, WalkResult access, boolean write, boolean stage2) {
        g.writeName(name);
        g.writeStartObject();
        g.writeBooleanProperty("ok", !(access instanceof WalkResult.Faulted));
        if (access instanceof WalkResult.Faulted f) {
            g.writeStringProperty("kind", f.kind().name().toLowerCase(java.util.Locale.ROOT));
            g.writeNumberProperty("level", f.level());
            if (!stage2) {
                JsonOut.hex(g, "esr", Syndrome.of(f, write));
            }
        }
        g.writeEndObject();
    }
}
