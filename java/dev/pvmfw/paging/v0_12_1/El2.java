package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.TranslationRegime;

/**
 * The unit struct {@code paging::El2}: Non-secure EL2: TTBR0_EL2, {@code tlbi vae2is}. On aarch64 its {@code
 * deactivate} panics {@code EL2 page table can't safely be deactivated.}; on a host it is compiled out and does
 * nothing. Attributes: {@link El23Attributes}.
 */
public final class El2 extends UnitRegime<El23Attributes> {
    /** The one value ({@code El2} in Rust). */
    public static final El2 INSTANCE = new El2();

    private El2() {
        super(TranslationRegime.EL2, El23Attributes.TYPE);
    }
}
