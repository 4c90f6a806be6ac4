package dev.pvmfw.paging.v0_12_1.linearmap;

import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.v0_12_1.AsidRegime;
import dev.pvmfw.paging.v0_12_1.Constraints;
import dev.pvmfw.paging.v0_12_1.MapException;
import dev.pvmfw.paging.v0_12_1.Mapping;
import dev.pvmfw.paging.v0_12_1.PagingAttributes;
import dev.pvmfw.paging.v0_12_1.UnitRegime;
import dev.pvmfw.paging.v0_12_1.Updater;
import dev.pvmfw.paging.v0_12_1.Visitor;

/**
 * A linear map, PA = VA + offset ({@code linearmap::LinearMap<R>}), for either VA range of EL1&amp;0 and EL2&amp;0 or
 * the one range of the other regimes.
 *
 * @param <A> the regime's attribute type
 */
public final class LinearMap<A extends PagingAttributes<A>> implements AutoCloseable {
    private final LinearTranslation translation;
    private final Mapping<A> mapping;

    private LinearMap(LinearTranslation translation, Mapping<A> mapping) {
        this.translation = translation;
        this.mapping = mapping;
    }

    /**
     * {@code LinearMap::new(rootlevel, offset, regime)}, for EL2, EL3 and stage 2.
     *
     * @throws dev.pvmfw.paging.CratePanic if offset is not a multiple of 4 KiB, or rootLevel is above 3
     */
    public LinearMap(int rootLevel, long offset, UnitRegime<A> regime) {
        LinearTranslation t = new LinearTranslation(offset);
        Mapping<A> m;
        try {
            m = new Mapping<>(t, rootLevel, regime);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        this.translation = t;
        this.mapping = m;
    }

    /**
     * {@code LinearMap::with_asid(asid, rootlevel, offset, regime, va_range)}, for EL1&amp;0 and EL2&amp;0.
     *
     * @throws dev.pvmfw.paging.CratePanic if offset is not a multiple of 4 KiB, or rootLevel is above 3
     */
    public static <A extends PagingAttributes<A>> LinearMap<A> withAsid(long asid, int rootLevel, long offset,
            AsidRegime<A> regime, VaRange vaRange) {
        LinearTranslation t = new LinearTranslation(offset);
        try {
            return new LinearMap<>(t, Mapping.withAsidAndVaRange(t, asid, rootLevel, regime, vaRange));
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** The mapping (a private field in the crate, which its own tests read). */
    public Mapping<A> mapping() {
        return mapping;
    }

    /** The translation (the crate's {@code translation()}): the offset and the tables' heap. */
    public LinearTranslation translation() {
        return translation;
    }

    /** See {@link Mapping#size}: the bytes the root table maps. */
    public long size() {
        return mapping.size();
    }

    /** See {@link Mapping#activate}. */
    public long activate() {
        return mapping.activate();
    }

    /** See {@link Mapping#deactivate}. */
    public void deactivate(long previousTtbr) {
        mapping.deactivate(previousTtbr);
    }

    /** {@code map_range(range, flags)}: {@link #mapRangeWithConstraints} with no constraints. */
    public void mapRange(MemoryRegion range, A flags) throws MapException {
        mapRangeWithConstraints(range, flags, Constraints.empty());
    }

    /**
     * {@code map_range_with_constraints(range, flags, constraints)}: maps {@code range} to PA = start + offset
     * onwards.
     *
     * @throws MapException InvalidVirtualAddress(start) first, if start + offset overflows or is negative; then as
     *     {@link Mapping#mapRange}
     */
    public void mapRangeWithConstraints(MemoryRegion range, A flags, Constraints constraints) throws MapException {
        PhysicalAddress pa = translation.virtualToPhysical(range.start());
        mapping.mapRange(range, pa, flags, constraints);
    }

    /** See {@link Mapping#modifyRange}. */
    public void modifyRange(MemoryRegion range, Updater<A> updater) throws MapException {
        mapping.modifyRange(range, updater);
    }

    /** See {@link Mapping#walkRange}. */
    public void walkRange(MemoryRegion range, Visitor<A> visitor) throws MapException {
        mapping.walkRange(range, visitor);
    }

    /** See {@link Mapping#compactSubtables}. */
    public void compactSubtables() {
        mapping.compactSubtables();
    }

    /** See {@link Mapping#rootAddress}: the root table's PA. */
    public PhysicalAddress rootAddress() {
        return mapping.rootAddress();
    }

    /** See {@link Mapping#markActive}: counts the mapping active without activating it. */
    public void markActive() {
        mapping.markActive();
    }

    /** See {@link Mapping#markInactive}. */
    public void markInactive() {
        mapping.markInactive();
    }

    /** The derived {@code Debug}: {@code LinearMap { mapping: Mapping { … } }}. */
    @Override
    public String toString() {
        return "LinearMap { mapping: " + mapping + " }";
    }

    /** Drop: the mapping's ({@link Mapping#close}), then the translation's heap. */
    @Override
    public void close() {
        try {
            mapping.close();
        } finally {
            translation.close();
        }
    }
}
