package dev.pvmfw.paging.port;

import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.TranslationRegime;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A crate version reading the tables of one translation regime ({@link #of}): the same crate, whose
 * regime-less methods ({@link #descriptorDebug(long)}, {@link #attributesDebug(long)}, {@link #flags()}) speak of
 * {@link #tableRegime()}'s attribute type. So a raw image's Debug text, flag names and JSON follow the regime it was
 * read with ({@code --regime}) without every reader passing the regime along. Everything else is the crate's.
 */
public final class RegimeReading implements CrateProfile {
    private final CrateProfile crate;
    private final TranslationRegime regime;

    private RegimeReading(CrateProfile crate, TranslationRegime regime) {
        this.crate = crate;
        this.regime = regime;
    }

    /**
     * {@code crate} reading the tables of {@code regime}: the same crate, whose regime-less methods use
     * {@code regime}'s attribute type; {@code crate} itself when that is already the case.
     *
     * @throws IllegalArgumentException if the crate version has no such regime ({@link CrateProfile#requireRegime})
     */
    public static CrateProfile of(CrateProfile crate, TranslationRegime regime) {
        Objects.requireNonNull(regime);
        CrateProfile base = crate instanceof RegimeReading r ? r.crate : Objects.requireNonNull(crate);
        base.requireRegime(regime);
        return regime == base.tableRegime() ? base : new RegimeReading(base, regime);
    }

    @Override
    public String id() {
        return crate.id();
    }

    @Override
    public List<LinkedCrate> crates() {
        return crate.crates();
    }

    @Override
    public Set<TranslationRegime> regimes() {
        return crate.regimes();
    }

    @Override
    public TranslationRegime tableRegime() {
        return regime;
    }

    @Override
    public boolean flagsKnown(long descriptor) {
        return crate.flagsKnown(descriptor);
    }

    @Override
    public boolean isSubtable(long descriptor, int level) {
        return crate.isSubtable(descriptor, level);
    }

    @Override
    public boolean isTableOrPage(long descriptor) {
        return crate.isTableOrPage(descriptor);
    }

    /** The Debug text of a descriptor of {@link #tableRegime()}'s attribute type. */
    @Override
    public String descriptorDebug(long descriptor) {
        return crate.descriptorDebug(regime, descriptor);
    }

    /** The Debug text of {@link #tableRegime()}'s attribute type. */
    @Override
    public String attributesDebug(long flagBits) {
        return crate.attributesDebug(regime, flagBits);
    }

    @Override
    public String descriptorDebug(TranslationRegime other, long descriptor) {
        return crate.descriptorDebug(other, descriptor);
    }

    @Override
    public String attributesDebug(TranslationRegime other, long flagBits) {
        return crate.attributesDebug(other, flagBits);
    }

    @Override
    public List<NamedFlag> flags(TranslationRegime other) {
        return crate.flags(other);
    }

    @Override
    public List<String> flagsProblems(long descriptor) {
        return crate.flagsProblems(descriptor);
    }

    /** {@link #tableRegime()}'s named flags. */
    @Override
    public List<NamedFlag> flags() {
        return crate.flags(regime);
    }

    @Override
    public MmuOps newPvmfwPageTable(Translation translation) {
        return crate.newPvmfwPageTable(translation);
    }

    /** The crate's own text and the regime: {@code aarch64-paging 0.12.1 + … reading stage2}. */
    @Override
    public String toString() {
        return crate + " reading " + regime.id();
    }
}
