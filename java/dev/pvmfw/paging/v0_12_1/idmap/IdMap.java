package dev.pvmfw.paging.v0_12_1.idmap;

import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.Translation;
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
 * An identity map, PA = VA, for the lower VA range ({@code idmap::IdMap<R>}).
 *
 * <p>The crate's {@code IdMap} always allocates through {@link IdTranslation}; the constructors taking a
 * {@link Translation} also accept any other, such as a {@link dev.pvmfw.paging.TableArena}, whose caller keeps
 * owning it: the same identity map over the deterministic arena, so images compare byte for byte.
 *
 * @param <A> the regime's attribute type
 */
public final class IdMap<A extends PagingAttributes<A>> implements AutoCloseable {
    private final Mapping<A> mapping;
    private final IdTranslation owned;

    private IdMap(Mapping<A> mapping, IdTranslation owned) {
        this.mapping = mapping;
        this.owned = owned;
    }

    /**
     * {@code IdMap::new(rootlevel, regime)}, for EL2, EL3 and stage 2, with its own {@link IdTranslation}.
     *
     * @throws dev.pvmfw.paging.CratePanic if rootLevel is above 3
     */
    public IdMap(int rootLevel, UnitRegime<A> regime) {
        IdTranslation translation = new IdTranslation();
        Mapping<A> m;
        try {
            m = new Mapping<>(translation, rootLevel, regime);
        } catch (RuntimeException e) {
            translation.close();
            throw e;
        }
        this.mapping = m;
        this.owned = translation;
    }

    /** {@code IdMap::new} over {@code translation}, which the caller keeps owning. */
    public IdMap(Translation translation, int rootLevel, UnitRegime<A> regime) {
        this(new Mapping<>(translation, rootLevel, regime), null);
    }

    /**
     * {@code IdMap::with_asid(asid, rootlevel, regime)}, for EL1&amp;0 and EL2&amp;0 (lower VA range), with its own
     * {@link IdTranslation}.
     *
     * @throws dev.pvmfw.paging.CratePanic if rootLevel is above 3
     */
    public static <A extends PagingAttributes<A>> IdMap<A> withAsid(long asid, int rootLevel, AsidRegime<A> regime) {
        IdTranslation translation = new IdTranslation();
        try {
            return new IdMap<>(Mapping.withAsidAndVaRange(translation, asid, rootLevel, regime, VaRange.LOWER),
                    translation);
        } catch (RuntimeException e) {
            translation.close();
            throw e;
        }
    }

    /** {@code IdMap::with_asid} over {@code translation}, which the caller keeps owning. */
    public static <A extends PagingAttributes<A>> IdMap<A> withAsid(Translation translation, long asid,
            int rootLevel, AsidRegime<A> regime) {
        return new IdMap<>(Mapping.withAsidAndVaRange(translation, asid, rootLevel, regime, VaRange.LOWER), null);
    }

    /** The mapping (a private field in the crate, which its own tests read). */
    public Mapping<A> mapping() {
        return mapping;
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
     * {@code map_range_with_constraints(range, flags, constraints)}: maps {@code range} to the same PAs.
     *
     * @throws MapException as {@link Mapping#mapRange}
     */
    public void mapRangeWithConstraints(MemoryRegion range, A flags, Constraints constraints) throws MapException {
        mapping.mapRange(range, new PhysicalAddress(range.startValue()), flags, constraints);
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

    /** The derived {@code Debug}: {@code IdMap { mapping: Mapping { … } }}. */
    @Override
    public String toString() {
        return "IdMap { mapping: " + mapping + " }";
    }

    /**
     * Drop: the mapping's ({@link Mapping#close}: it panics if active, after freeing the tables), then the
     * translation's heap if this map made it.
     */
    @Override
    public void close() {
        try {
            mapping.close();
        } finally {
            if (owned != null) {
                owned.close();
            }
        }
    }
}
