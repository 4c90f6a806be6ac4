package dev.pvmfw.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.TranslationRegime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streaming dumps' cache of attribute texts gives exactly {@link RegimeAttributes#columns} of the table's regime
 * (the text every dump format printed before the cache), whatever the output address and however many distinct
 * attribute sets pass through it (past its limit it starts afresh).
 */
class ColumnsCacheTest {
    @Test
    void cachedColumnsAreTheRegimesColumnsForEveryRegimeAndOutputAddress() {
        MmuConfig mmu = MmuConfig.pvmfw();
        SplittableRandom random = new SplittableRandom(0x5eed);
        for (TranslationRegime regime : TranslationRegime.values()) {
            ColumnsCache cache = new ColumnsCache(regime, mmu);
            for (int i = 0; i < 20_000; i++) {
                // Few attribute sets (so most lookups hit) and, now and then, arbitrary bits (past the limit).
                long d = i % 7 == 0 ? random.nextLong() : (random.nextLong() & 0x0780_0000_0000_0fffL)
                        | (random.nextLong() & 0x0000_ffff_ffff_f000L);
                String direct = RegimeAttributes.columns(d, regime, mmu);
                assertEquals(direct, cache.columns(d), regime + " " + Long.toHexString(d));
                assertEquals(direct.replaceAll(" +", " "), cache.compact(d), regime + " " + Long.toHexString(d));
            }
        }
    }
}
