package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TranslationRegime;

/**
 * A regime whose {@code Asid} and {@code VaRange} are both {@code ()}: {@link El2}, {@link El3}, {@link Stage2}.
 * Tables for it are made with {@code new}, cover the lower VA range, and print {@code asid: ()} and
 * {@code va_range: ()}.
 *
 * @param <A> the attribute type
 */
public abstract class UnitRegime<A extends PagingAttributes<A>> extends Regime<A> {
    UnitRegime(TranslationRegime regime, PagingAttributes.Type<A> attributes) {
        super(regime, attributes);
    }

    /** The root PA alone: these regimes' TTBRs (TTBR0_EL2, TTBR0_EL3, VTTBR_EL2) get no ASID from the crate. */
    @Override
    public long ttbrValue(PhysicalAddress rootPa, long asid) {
        return rootPa.value();
    }
}
