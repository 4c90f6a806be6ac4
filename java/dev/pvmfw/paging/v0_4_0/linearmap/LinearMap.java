package dev.pvmfw.paging.v0_4_0.linearmap;

import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.MapException;
import dev.pvmfw.paging.v0_4_0.Mapping;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.v0_4_0.PteUpdater;
import dev.pvmfw.paging.VaRange;

/** A linear mapping, PA = VA + offset, for either VA range ({@code linearmap::LinearMap}). */
public final class LinearMap implements AutoCloseable {
    private final LinearTranslation translation;
    private final Mapping mapping;

    /**
     * {@code LinearMap::new(asid, rootlevel, offset, va_range)}.
     *
     * @throws dev.pvmfw.paging.CratePanic if offset is not a multiple of 4 KiB, or rootLevel is not 0..3
     */
    public LinearMap(long asid, int rootLevel, long offset, VaRange vaRange) {
        this.translation = new LinearTranslation(offset);
        try {
            this.mapping = new Mapping(translation, asid, rootLevel, vaRange);
        } catch (RuntimeException e) {
            translation.close();
            throw e;
        }
    }

    /** The mapping (root table and ASID) behind this linear map. */
    public Mapping mapping() {
        return mapping;
    }

    /** The translation, PA = VA + offset, that the tables are allocated from. */
    public LinearTranslation translation() {
        return translation;
    }

    /**
     * Maps {@code range} to PA = start + offset onwards.
     *
     * @throws MapException InvalidVirtualAddress(start) first if start + offset overflows or is negative; then
     *     RegionBackwards or AddressRange, as {@link dev.pvmfw.paging.v0_4_0.RootTable#mapRange}
     */
    public void mapRange(MemoryRegion range, Attributes flags) throws MapException {
        mapping.mapRange(range, translation.virtualToPhysical(range.start()), flags);
    }

    /** See {@link dev.pvmfw.paging.v0_4_0.RootTable#modifyRange}; same errors. */
    public void modifyRange(MemoryRegion range, PteUpdater updater) throws MapException {
        mapping.modifyRange(range, updater);
    }

    /** Derived Debug: {@code LinearMap { mapping: Mapping { … } }}. */
    @Override
    public String toString() {
        return "LinearMap { mapping: " + mapping + " }";
    }

    @Override
    public void close() {
        try {
            mapping.close();
        } finally {
            translation.close();
        }
    }
}
