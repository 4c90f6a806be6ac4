package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.TranslationRegime;

/**
 * The unit struct {@code paging::El1And0}: Non-secure EL1&amp;0, stage 1: TTBR0_EL1 or TTBR1_EL1, TLB invalidation
 * {@code tlbi vaae1is}. Attributes: {@link El1Attributes}.
 */
public final class El1And0 extends AsidRegime<El1Attributes> {
    /** The one value ({@code El1And0} in Rust). */
    public static final El1And0 INSTANCE = new El1And0();

    private El1And0() {
        super(TranslationRegime.EL1_AND_0, El1Attributes.TYPE);
    }
}
