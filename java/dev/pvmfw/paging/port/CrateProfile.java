package dev.pvmfw.paging.port;

import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.TranslationRegime;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One release of aarch64-paging as this project reproduces it, with the crates it is linked with: the one thing that
 * decides, where a table is made, which crate version's rules apply to it. Each crate-version package implements this
 * once ({@code dev.pvmfw.paging.v0_4_0.profile.Profile040}, {@code dev.pvmfw.paging.v0_12_1.profile.Profile0121}).
 *
 * <p>Everything outside a crate-version package that needs the crate's opinion of a descriptor asks through this
 * interface: the image tooling ({@code check}, {@code decode}, the dumps) and the oracle. The MMU never needs it: the
 * hardware's rules do not depend on the crate ({@code docs/architecture.md}, "The MMU").
 */
public interface CrateProfile extends PageTableFactory {

    /**
     * The id people type ({@code --profile}, a scenario's {@code profile} line): the crate's version, {@code 0.4.0}.
     */
    String id();

    /** The crates linked, aarch64-paging first: what the profile's oracle library must have resolved, exactly. */
    List<LinkedCrate> crates();

    /**
     * The translation regimes whose tables this crate version makes and reads: 0.4.0 knows only EL1&amp;0; 0.12 has the
     * {@code TranslationRegime} structs.
     */
    Set<TranslationRegime> regimes();

    /** {@code aarch64-paging 0.4.0 + bitflags 2.0.2}. */
    default String describe() {
        return crates().stream().map(LinkedCrate::toString).collect(Collectors.joining(" + "));
    }

    /**
     * The crate's {@code Descriptor::flags()} verdict: whether the flag bits of {@code descriptor} (everything outside
     * bits 47:12) parse as the crate's attribute type. Up to 0.8.1 this is an {@code Option} whose rule depends on the
     * bitflags release; from 0.9.0 it is always true.
     */
    boolean flagsKnown(long descriptor);

    /**
     * Whether the crate treats {@code descriptor} at {@code level} as a pointer to a subtable (and so walks, splits
     * and frees through it). The hardware's rule is only "bits 1:0 are 0b11 below level 3"; crates may add to it.
     */
    boolean isSubtable(long descriptor, int level);

    /** The crate's {@code Descriptor::is_table_or_page()}. */
    boolean isTableOrPage(long descriptor);

    /** The crate's {@code Debug} text of a descriptor. */
    String descriptorDebug(long descriptor);

    /** The crate's {@code Debug} text of an attribute value with these bits (unknown bits printed in hex). */
    String attributesDebug(long flagBits);

    /**
     * The crate's {@code Debug} text of a descriptor of a table of {@code regime}: from 0.12 the attribute type, and so
     * the flag names, depend on the regime. By default the one-regime text of {@link #descriptorDebug(long)}.
     *
     * @throws IllegalArgumentException if this crate version has no such regime ({@link #regimes()})
     */
    default String descriptorDebug(TranslationRegime regime, long descriptor) {
        requireRegime(regime);
        return descriptorDebug(descriptor);
    }

    /**
     * The crate's {@code Debug} text of an attribute value of {@code regime}'s attribute type. By default the
     * one-regime text of {@link #attributesDebug(long)}.
     *
     * @throws IllegalArgumentException if this crate version has no such regime ({@link #regimes()})
     */
    default String attributesDebug(TranslationRegime regime, long flagBits) {
        requireRegime(regime);
        return attributesDebug(flagBits);
    }

    /**
     * The named flags of {@code regime}'s attribute type, in declaration order. By default {@link #flags()}.
     *
     * @throws IllegalArgumentException if this crate version has no such regime ({@link #regimes()})
     */
    default List<NamedFlag> flags(TranslationRegime regime) {
        requireRegime(regime);
        return flags();
    }

    /**
     * The regime whose attribute type the regime-less methods ({@link #descriptorDebug(long)},
     * {@link #attributesDebug(long)}, {@link #flags()}) speak of: EL1&amp;0 for a crate version itself (0.4.0 has no
     * other; 0.12.1's regime-less methods are {@code El1Attributes}'), the regime given to {@link RegimeReading#of}.
     */
    default TranslationRegime tableRegime() {
        return TranslationRegime.EL1_AND_0;
    }

    /**
     * Checks that this crate version knows {@code regime}.
     *
     * @throws IllegalArgumentException "aarch64-paging 0.4.0 has no regime stage2" if it does not
     */
    default void requireRegime(TranslationRegime regime) {
        if (!regimes().contains(regime)) {
            throw new IllegalArgumentException(crates().get(0) + " has no regime " + regime.id());
        }
    }

    /** Why {@link #flagsKnown} is false for {@code descriptor}, one phrase a reason; empty when it is true. */
    List<String> flagsProblems(long descriptor);

    /** The attribute type's named flags, in declaration order (which is the order of its {@code Debug} text). */
    List<NamedFlag> flags();

    /** {@inheritDoc} */
    @Override
    MmuOps newPvmfwPageTable(Translation translation);

    /**
     * A named flag of the crate's attribute type.
     *
     * @param name its Rust name, e.g. {@code SWFLAG_0}
     * @param bits its bits (0 for a zero-valued flag such as 0.4.0's {@code DEVICE_NGNRE})
     */
    record NamedFlag(String name, long bits) {}
}
