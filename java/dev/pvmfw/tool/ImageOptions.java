package dev.pvmfw.tool;

import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.port.CrateProfile;
import dev.pvmfw.paging.port.RegimeReading;
import java.util.Arrays;
import picocli.CommandLine.Option;

/** How to read a raw image: where its slots sit and which one is the root. Shared by every image command. */
final class ImageOptions {
    @Option(names = "--pa-base", paramLabel = "PA", defaultValue = "0x40000000", converter = Converters.Number.class,
            description = "PA of slot 0 (default: ${DEFAULT-VALUE})")
    long paBase;

    @Option(names = "--root-level", paramLabel = "L", defaultValue = "1",
            description = "level of the root table, 0..3 (default: ${DEFAULT-VALUE})")
    int rootLevel;

    @Option(names = "--regime", paramLabel = "REGIME", converter = Converters.Regime.class,
            completionCandidates = Regimes.class,
            description = "translation regime of a raw image's tables, as aarch64-paging 0.12 names its "
                    + "TranslationRegime structs: ${COMPLETION-CANDIDATES} (El1And0, El2And0, El2, El3, Stage2); it "
                    + "picks the attribute type the tables are read with (Stage2: MemAttr, S2AP, SH, AF, XN; El2 and "
                    + "El3: XN). The profile must know it: 0.4.0 reads el1and0 only (default: el1and0)")
    TranslationRegime regime;

    @Option(names = "--va-range", paramLabel = "RANGE", defaultValue = "lower", converter = Converters.Range.class,
            completionCandidates = VaRanges.class,
            description = "lower (TTBR0) or upper (TTBR1); upper only for the regimes with two ranges, el1and0 and "
                    + "el2and0 (default: ${DEFAULT-VALUE})")
    VaRange vaRange;

    @Option(names = "--root-slot", paramLabel = "SLOT", defaultValue = "0",
            description = "slot of the root table (default: ${DEFAULT-VALUE})")
    int rootSlot;

    /** The regime given, or EL1&amp;0. */
    TranslationRegime regime() {
        return regime == null ? TranslationRegime.EL1_AND_0 : regime;
    }

    /**
     * Checks the layout against the crate version that reads it: the profile knows the regime and the regime has
     * the VA range ({@link #vaRange}).
     *
     * @throws UsageException a combination the profile or the regime does not have
     */
    void checkAgainst(CrateProfile profile) throws UsageException {
        checkAgainst(profile, vaRange, "--va-range upper");
    }

    /**
     * {@link #checkAgainst(CrateProfile)} for tables of VA range {@code range}, which {@code rangeOption} chose.
     *
     * @throws UsageException a combination the profile or the regime does not have
     */
    void checkAgainst(CrateProfile profile, VaRange range, String rangeOption) throws UsageException {
        TranslationRegime r = regime();
        if (!profile.regimes().contains(r)) {
            throw new UsageException("--regime " + r.id() + ": aarch64-paging " + profile.id()
                    + " has no such regime (it reads " + String.join(", ", profile.regimes().stream()
                            .map(TranslationRegime::id).sorted().toList()) + "); choose --profile 0.12.1");
        }
        if (range == VaRange.UPPER && !r.hasUpperRange()) {
            throw new UsageException(rangeOption + ": the " + r.id() + " regime has only the lower range");
        }
    }

    /**
     * {@code profile} reading this layout's regime ({@link CrateProfile#reading}).
     *
     * @throws UsageException if the profile has no such regime
     */
    CrateProfile reader(CrateProfile profile) throws UsageException {
        checkAgainst(profile, VaRange.LOWER, "");
        return RegimeReading.of(profile, regime());
    }

    /** The regimes, for completion. */
    static final class Regimes implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(TranslationRegime.values()).map(TranslationRegime::id).iterator();
        }
    }

    /** The VA ranges, for completion. */
    static final class VaRanges implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("lower", "upper").iterator();
        }
    }
}
