package dev.pvmfw.image;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.TranslationRegime;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link RegimeAttributes#columns} of one dump's descriptors in the table's translation regime, computed once per
 * distinct attribute bits: the text depends on the bits outside 47:12, the regime and the MMU configuration alone, and an image has few distinct attribute sets, so a dense
 * dump formats each once instead of once per entry. Bounded: past {@link #LIMIT} distinct sets it starts afresh.
 */
final class ColumnsCache {
    private static final int LIMIT = 4096;

    private final TranslationRegime regime;
    private final MmuConfig config;
    private final Map<Long, String> columns = new HashMap<>();
    private final Map<Long, String> compact = new HashMap<>();

    ColumnsCache(TranslationRegime regime, MmuConfig config) {
        this.regime = regime;
        this.config = config;
    }

    /** {@link RegimeAttributes#columns} of {@code descriptor} in this cache's regime. */
    String columns(long descriptor) {
        return get(columns, descriptor, false);
    }

    /** {@link #columns} with each run of spaces made one (the tree's and the SVG's form). */
    String compact(long descriptor) {
        return get(compact, descriptor, true);
    }

    private String get(Map<Long, String> cache, long descriptor, boolean squeeze) {
        long key = descriptor & ~Geometry.OUTPUT_ADDRESS_MASK;
        String text = cache.get(key);
        if (text == null) {
            if (cache.size() >= LIMIT) {
                cache.clear();
            }
            text = RegimeAttributes.columns(key, regime, config);
            if (squeeze) {
                text = text.replaceAll(" +", " ");
            }
            cache.put(key, text);
        }
        return text;
    }
}
