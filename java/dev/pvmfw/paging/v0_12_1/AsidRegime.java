package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.TranslationRegime;

/**
 * A regime whose {@code Asid} is {@code usize} and whose {@code VaRange} is {@link dev.pvmfw.paging.VaRange}:
 * {@link El1And0} and {@link El2And0}. Tables for it are made with {@code with_asid_and_va_range}.
 *
 * @param <A> the attribute type
 */
public abstract class AsidRegime<A extends PagingAttributes<A>> extends Regime<A> {
    AsidRegime(TranslationRegime regime, PagingAttributes.Type<A> attributes) {
        super(regime, attributes);
    }
}
