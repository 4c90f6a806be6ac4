package dev.pvmfw.paging.v0_4_0.idmap;

import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.MapException;
import dev.pvmfw.paging.v0_4_0.Mapping;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.v0_4_0.PteUpdater;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.VaRange;

/**
 * An identity-mapping table, PA = VA, always for the lower VA range ({@code idmap::IdMap}).
 *
 * <p>The crate's {@code IdMap} always uses {@link IdTranslation}; {@link #IdMap(Translation, long, int)} also accepts
 * any translation, such as a {@link dev.pvmfw.paging.TableArena}: the identity map the Rust oracle builds on its arena
 * ({@code RootTable::map_range(region, PhysicalAddress(region.start), flags)}), so the bytes compare.
 */
public final class IdMap implements AutoCloseable {
    private final Mapping mapping;
    private final AutoCloseable ownedTranslation;

    /**
     * {@code IdMap::new(asid, rootlevel)}, with its own {@link IdTranslation}.
     *
     * @throws dev.pvmfw.paging.CratePanic if rootLevel is not 0..3
     */
    public IdMap(long asid, int rootLevel) {
        IdTranslation translation = new IdTranslation();
        try {
            this.mapping = new Mapping(translation, asid, rootLevel, VaRange.LOWER);
        } catch (RuntimeException e) {
            translation.close();
            throw e;
        }
        this.ownedTranslation = translation;
    }

    /** An identity map over {@code translation}, which the caller keeps owning. */
    public IdMap(Translation translation, long asid, int rootLevel) {
        this.mapping = new Mapping(translation, asid, rootLevel, VaRange.LOWER);
        this.ownedTranslation = null;
    }

    /** The mapping (root table and ASID) behind this identity map. */
    public Mapping mapping() {
        return mapping;
    }

    /**
     * Maps {@code range} to the same PAs ({@code pa = range.start()}, already page-aligned).
     *
     * @throws MapException RegionBackwards or AddressRange, as {@link dev.pvmfw.paging.v0_4_0.RootTable#mapRange}
     */
    public void mapRange(MemoryRegion range, Attributes flags) throws MapException {
        mapping.mapRange(range, new PhysicalAddress(range.startValue()), flags);
    }

    /** See {@link dev.pvmfw.paging.v0_4_0.RootTable#modifyRange}; same errors. */
    public void modifyRange(MemoryRegion range, PteUpdater updater) throws MapException {
        mapping.modifyRange(range, updater);
    }

    /** Derived Debug: {@code IdMap { mapping: Mapping { … } }}. */
    @Override
    public String toString() {
        return "IdMap { mapping: " + mapping + " }";
    }

    @Override
    public void close() {
        try {
            mapping.close();
        } finally {
            if (ownedTranslation instanceof IdTranslation t) {
                t.close();
            }
        }
    }
}
