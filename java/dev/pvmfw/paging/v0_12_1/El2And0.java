package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.TranslationRegime;

/**
 * The unit struct {@code paging::El2And0}: Non-secure EL2&amp;0 with VHE: TTBR0_EL2 or TTBR1_EL2, {@code tlbi vae2is}.
 * Attributes: {@link El1Attributes}.
 */
public final class El2And0 extends AsidRegime<El1Attributes> {
    /** The one value ({@code El2And0} in Rust). */
    public static final El2And0 INSTANCE = new El2And0();

    private El2And0() {
        super(TranslationRegime.EL2_AND_0, El1Attributes.TYPE);
    }
}
