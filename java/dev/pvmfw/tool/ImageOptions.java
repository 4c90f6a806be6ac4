package dev.pvmfw.tool;

import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.port.CrateProfile;
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

    @Option(names = "--regime", paramLabel = "REGIME", defaultValue = "el1and0", converter = Converters.Regime.class,
            completionCandidates = Regimes.class,
            description = "translation regime of the tables: ${COMPLETION-CANDIDATES}; the profile must know it "
                    + "(0.4.0: el1and0 only) (default: ${DEFAULT-VALUE})")
    TranslationRegime regime;

    @Option(names = "--va-range", paramLabel = "RANGE", defaultValue = "lower", converter = Converters.Range.class,
            completionCandidates = VaRanges.class,
            description = "lower (TTBR0) or upper (TTBR1) (default: ${DEFAULT-VALUE})")
    VaRange vaRange;

    @Option(names = "--root-slot", paramLabel = "SLOT", defaultValue = "0",
            description = "slot of the root table (default: ${DEFAULT-VALUE})")
    int rootSlot;

    /**
     * Checks the layout against the crate version that reads it: the profile knows the regime, the image tooling reads
     * it (EL1&amp;0 only so far), and the regime has the VA range.
     *
     * @throws UsageException a combination the profile or the regime does not have
     */
    void checkAgainst(CrateProfile profile) throws UsageException {
        if (!profile.regimes().contains(regime)) {
            throw new UsageException("--regime " + regime.id() + ": aarch64-paging " + profile.id()
                    + " has no such regime (it reads " + String.join(", ", profile.regimes().stream()
                            .map(TranslationRegime::id).sorted().toList()) + ")");
        }
        if (regime != TranslationRegime.EL1_AND_0) {
            // The MMU model and the image tooling walk and print EL1&0 stage-1 tables only (docs/architecture.md).
            throw new UsageException("--regime " + regime.id() + ": the image tooling reads el1and0 tables only so far"
                    + " (aarch64-paging " + profile.id() + " knows the regime)");
        }
        if (vaRange == VaRange.UPPER && !regime.hasUpperRange()) {
            throw new UsageException("--va-range upper: the " + regime.id() + " regime has only the lower range");
        }
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
