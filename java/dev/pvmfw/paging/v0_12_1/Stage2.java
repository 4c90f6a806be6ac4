package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.TranslationRegime;

/**
 * The unit struct {@code paging::Stage2}: Non-secure stage 2: VTTBR_EL2, {@code tlbi ipas2e1is}. Attributes: {@link
 * Stage2Attributes}.
 */
public final class Stage2 extends UnitRegime<Stage2Attributes> {
    /** The one value ({@code Stage2} in Rust). */
    public static final Stage2 INSTANCE = new Stage2();

    private Stage2() {
        super(TranslationRegime.STAGE2, Stage2Attributes.TYPE);
    }
}
