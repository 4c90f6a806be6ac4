package dev.pvmfw.paging.v0_12_1.profile;

import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.port.CrateProfile;
import dev.pvmfw.paging.port.LinkedCrate;
import dev.pvmfw.paging.v0_12_1.Descriptor;
import dev.pvmfw.paging.v0_12_1.El1And0;
import dev.pvmfw.paging.v0_12_1.El2;
import dev.pvmfw.paging.v0_12_1.El2And0;
import dev.pvmfw.paging.v0_12_1.El3;
import dev.pvmfw.paging.v0_12_1.PagingAttributes;
import dev.pvmfw.paging.v0_12_1.Regime;
import dev.pvmfw.paging.v0_12_1.Stage2;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * aarch64-paging 0.12.1 linked with bitflags 2.11.0 and thiserror 2.0.18 ({@code docs/aarch64-paging-0.12.1.md}).
 * It knows the five regimes; its {@code flags()} always succeeds, so {@link #flagsKnown} is always true and
 * {@link #flagsProblems} always empty; a subtable is any descriptor with bits 1:0 = 0b11 below level 3. The methods
 * without a regime speak of EL1&amp;0 ({@code El1Attributes}); the ones with one use the regime's attribute type.
 */
public final class Profile0121 implements CrateProfile {
    /** The one instance. */
    public static final Profile0121 INSTANCE = new Profile0121();

    private static final List<LinkedCrate> CRATES = List.of(new LinkedCrate("aarch64-paging", "0.12.1"),
            new LinkedCrate("bitflags", "2.11.0"), new LinkedCrate("thiserror", "2.0.18"));
    private static final Map<TranslationRegime, Regime<?>> REGIMES = Map.of(
            TranslationRegime.EL1_AND_0, El1And0.INSTANCE, TranslationRegime.EL2_AND_0, El2And0.INSTANCE,
            TranslationRegime.EL2, El2.INSTANCE, TranslationRegime.EL3, El3.INSTANCE,
            TranslationRegime.STAGE2, Stage2.INSTANCE);
    private static final Set<TranslationRegime> REGIME_SET =
            Collections.unmodifiableSet(EnumSet.allOf(TranslationRegime.class));

    private Profile0121() {}

    @Override
    public String id() {
        return "0.12.1";
    }

    @Override
    public List<LinkedCrate> crates() {
        return CRATES;
    }

    /** All five: {@code El1And0}, {@code El2And0}, {@code El2}, {@code El3}, {@code Stage2}. */
    @Override
    public Set<TranslationRegime> regimes() {
        return REGIME_SET;
    }

    /** The crate's regime for {@code regime}. */
    public static Regime<?> regime(TranslationRegime regime) {
        return REGIMES.get(regime);
    }

    /** From 0.9 {@code flags()} is the bits verbatim: always known. */
    @Override
    public boolean flagsKnown(long descriptor) {
        return true;
    }

    /** {@code Descriptor::subtable}: below level 3, VALID and TABLE_OR_PAGE; no flag rule. */
    @Override
    public boolean isSubtable(long descriptor, int level) {
        return level < 3 && Descriptor.isTableOrPage(descriptor);
    }

    /** VALID and TABLE_OR_PAGE. */
    @Override
    public boolean isTableOrPage(long descriptor) {
        return Descriptor.isTableOrPage(descriptor);
    }

    @Override
    public String descriptorDebug(long descriptor) {
        return descriptorDebug(TranslationRegime.EL1_AND_0, descriptor);
    }

    @Override
    public String attributesDebug(long flagBits) {
        return attributesDebug(TranslationRegime.EL1_AND_0, flagBits);
    }

    @Override
    public String descriptorDebug(TranslationRegime regime, long descriptor) {
        return Descriptor.debugString(type(regime), descriptor);
    }

    @Override
    public String attributesDebug(TranslationRegime regime, long flagBits) {
        return type(regime).debug(flagBits);
    }

    /** Nothing: {@code flags()} cannot fail. */
    @Override
    public List<String> flagsProblems(long descriptor) {
        return List.of();
    }

    /** {@code El1Attributes}' flags in declaration order, the zero-valued {@code ATTRIBUTE_INDEX_0} included. */
    @Override
    public List<NamedFlag> flags() {
        return flags(TranslationRegime.EL1_AND_0);
    }

    @Override
    public List<NamedFlag> flags(TranslationRegime regime) {
        return type(regime).declaredFlags().stream().map(f -> new NamedFlag(f.name(), f.bits())).toList();
    }

    private static PagingAttributes.Type<?> type(TranslationRegime regime) {
        return REGIMES.get(regime).attributes();
    }

    /** {@link PvmfwPageTable}: pvmfw's page table on 0.12.1. */
    @Override
    public PvmfwPageTable newPvmfwPageTable(Translation translation) {
        return translation == null ? new PvmfwPageTable() : new PvmfwPageTable(translation);
    }

    @Override
    public String toString() {
        return describe();
    }
}
