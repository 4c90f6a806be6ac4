package dev.pvmfw.paging.v0_12_1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.pvmfw.paging.TranslationRegime;
import org.junit.jupiter.api.Test;

/**
 * The five {@code paging::TranslationRegime} unit structs of aarch64-paging 0.12.1 ({@code src/paging.rs}, each
 * {@code #[derive(Debug)]}): their Debug (the struct's name), their type name and the project's regime they stand for.
 */
class RegimeTest {

    @Test
    void eachRegimeIsItsUnitStruct() {
        Regime<?>[] regimes = {El1And0.INSTANCE, El2And0.INSTANCE, El2.INSTANCE, El3.INSTANCE, Stage2.INSTANCE};
        String[] names = {"El1And0", "El2And0", "El2", "El3", "Stage2"};
        TranslationRegime[] ours = {TranslationRegime.EL1_AND_0, TranslationRegime.EL2_AND_0, TranslationRegime.EL2,
            TranslationRegime.EL3, TranslationRegime.STAGE2};
        for (int i = 0; i < regimes.length; i++) {
            assertEquals(names[i], regimes[i].rustName());
            assertEquals(names[i], regimes[i].toString(), "the derived Debug");
            assertEquals("aarch64_paging::paging::" + names[i], regimes[i].typeName());
            assertSame(ours[i], regimes[i].translationRegime());
        }
        assertSame(El1Attributes.TYPE, El2And0.INSTANCE.attributes());
        assertSame(El23Attributes.TYPE, El3.INSTANCE.attributes());
        assertSame(Stage2Attributes.TYPE, Stage2.INSTANCE.attributes());
    }
}
