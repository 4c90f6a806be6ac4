package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TranslationRegime;
import java.util.Objects;

/**
 * Which translation regime a table is for: the crate's {@code paging::TranslationRegime} trait, whose
 * implementations are the unit structs {@link El1And0}, {@link El2And0}, {@link El2}, {@link El3} and
 * {@link Stage2} (each a singleton here, {@code El1And0.INSTANCE}). A regime fixes the attribute type and whether
 * the table has an ASID and a VA range: {@link AsidRegime} for EL1&amp;0 and EL2&amp;0 (both {@code usize} and
 * {@link dev.pvmfw.paging.VaRange}), {@link UnitRegime} for the others (both {@code ()}; the range is always the
 * lower one). Java's types keep the crate's split: a constructor for one kind does not accept the other.
 *
 * <p>On a host, the regime's {@code activate}, {@code deactivate} and {@code invalidate_va} do nothing (the crate
 * compiles their register accesses only for aarch64 outside tests); {@link #ttbrValue} says what {@code activate}
 * would write.
 *
 * @param <A> the regime's attribute type
 */
public abstract class Regime<A extends PagingAttributes<A>> {
    private final TranslationRegime regime;
    private final PagingAttributes.Type<A> attributes;

    Regime(TranslationRegime regime, PagingAttributes.Type<A> attributes) {
        this.regime = Objects.requireNonNull(regime);
        this.attributes = Objects.requireNonNull(attributes);
    }

    /** The regime as the rest of the project names it. */
    public final TranslationRegime translationRegime() {
        return regime;
    }

    /** {@code R::Attributes}. */
    public final PagingAttributes.Type<A> attributes() {
        return attributes;
    }

    /** The unit struct's name, as its derived {@code Debug} prints it: {@code El1And0}. */
    public final String rustName() {
        return regime.rustName();
    }

    /** {@code core::any::type_name::<R>()}: {@code aarch64_paging::paging::El1And0}. */
    public final String typeName() {
        return "aarch64_paging::paging::" + regime.rustName();
    }

    /** Whether the regime has an ASID and a VA range ({@link AsidRegime}). */
    public final boolean hasAsid() {
        return regime.hasUpperRange();
    }

    /**
     * What {@code R::activate} writes to the regime's TTBR on aarch64: {@code root_pa | asid << 48} for EL1&amp;0 and
     * EL2&amp;0, the root PA alone for the others (whose {@code asid} must be 0 here).
     */
    public long ttbrValue(PhysicalAddress rootPa, long asid) {
        return rootPa.value() | (asid << 48);
    }

    /** The derived {@code Debug} of the unit struct. */
    @Override
    public final String toString() {
        return rustName();
    }
}
