package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.TranslationRegime;

/**
 * The unit struct {@code paging::El3}: Secure EL3: TTBR0_EL3, {@code tlbi vae3is}. On aarch64 its {@code deactivate}
 * panics {@code EL3 page table can't safely be deactivated.}; on a host it is compiled out and does nothing.
 * Attributes: {@link El23Attributes}.
 */
public final class El3 extends UnitRegime<El23Attributes> {
    /** The one value ({@code El3} in Rust). */
    public static final El3 INSTANCE = new El3();

    private El3() {
        super(TranslationRegime.EL3, El23Attributes.TYPE);
    }
}
