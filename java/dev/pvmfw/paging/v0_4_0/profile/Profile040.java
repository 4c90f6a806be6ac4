package dev.pvmfw.paging.v0_4_0.profile;

import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.port.CrateProfile;
import dev.pvmfw.paging.port.LinkedCrate;
import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.Descriptor;
import java.util.List;
import java.util.Set;

/**
 * aarch64-paging 0.4.0 linked with bitflags 2.0.2: the profile of the crate pvmfw used at the lazy-MMIO change
 * ({@code docs/aarch64-paging-0.4.0.md}).
 */
public final class Profile040 implements CrateProfile {
    /** The one instance. */
    public static final Profile040 INSTANCE = new Profile040();

    private static final List<LinkedCrate> CRATES =
            List.of(new LinkedCrate("aarch64-paging", "0.4.0"), new LinkedCrate("bitflags", "2.0.2"));
    private static final List<NamedFlag> FLAGS = Attributes.declaredNames().stream()
            .map(n -> new NamedFlag(n, Attributes.fromName(n).orElseThrow().bits())).toList();

    private Profile040() {}

    @Override
    public String id() {
        return "0.4.0";
    }

    @Override
    public List<LinkedCrate> crates() {
        return CRATES;
    }

    /** 0.4.0 has no regimes: its {@code Attributes} are the EL1&amp;0 stage-1 bits, its root goes in TTBR0/1_EL1. */
    @Override
    public Set<TranslationRegime> regimes() {
        return Set.of(TranslationRegime.EL1_AND_0);
    }

    /** bitflags 2.0.2's {@code from_bits}: the flag bits are exactly a union of complete named flags. */
    @Override
    public boolean flagsKnown(long descriptor) {
        return Descriptor.hasKnownFlags(descriptor);
    }

    /** {@code PageTableWithLevel::subtable}: below level 3, VALID and TABLE_OR_PAGE set and the flags known. */
    @Override
    public boolean isSubtable(long descriptor, int level) {
        return level < 3 && Descriptor.isTableOrPage(descriptor);
    }

    /** VALID and TABLE_OR_PAGE set, and the flags known (the bitflags 2.0.2 rule). */
    @Override
    public boolean isTableOrPage(long descriptor) {
        return Descriptor.isTableOrPage(descriptor);
    }

    @Override
    public String descriptorDebug(long descriptor) {
        return Descriptor.debugString(descriptor);
    }

    @Override
    public String attributesDebug(long flagBits) {
        return Attributes.debugString(flagBits);
    }

    /** The unknown bits, and any part of NORMAL (bits 2, 8, 9) or EXECUTE_NEVER (bits 53, 54) set without the rest. */
    @Override
    public List<String> flagsProblems(long descriptor) {
        return Attributes.refusals(descriptor & ~Descriptor.PHYSICAL_ADDRESS_BITMASK);
    }

    @Override
    public List<NamedFlag> flags() {
        return FLAGS;
    }

    /** {@link PvmfwPageTable}: pvmfw's {@code mmu::PageTable} on 0.4.0. */
    @Override
    public PvmfwPageTable newPvmfwPageTable(Translation translation) {
        return translation == null ? new PvmfwPageTable() : new PvmfwPageTable(translation);
    }

    @Override
    public String toString() {
        return describe();
    }
}
