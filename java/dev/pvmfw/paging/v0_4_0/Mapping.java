package dev.pvmfw.paging.v0_4_0;

import dev.pvmfw.paging.TranslationPanic;

import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.VaRange;

import java.util.OptionalLong;

/**
 * A root table with an ASID ({@code aarch64_paging::Mapping}). On a host the crate's 0.4.0 {@code Mapping} has no
 * {@code activate}/{@code deactivate} (they exist only on aarch64); here they are modelled with the TTBR value passed
 * in and out, so callers can record what would be written to {@code TTBRn_EL1}: {@code root_pa | asid << 48}.
 */
public final class Mapping implements AutoCloseable {
    private final RootTable root;
    private final long asid;
    private OptionalLong previousTtbr = OptionalLong.empty();

    /**
     * {@code Mapping::new}.
     *
     * @throws CratePanic if rootLevel is not 0..3
     * @throws TranslationPanic if the root table cannot be allocated
     */
    public Mapping(Translation translation, long asid, int rootLevel, VaRange vaRange) {
        this.root = new RootTable(translation, rootLevel, vaRange);
        this.asid = asid;
    }

    /** The root table this mapping owns. */
    public RootTable root() {
        return root;
    }

    /** The address space identifier, as given to the constructor (the crate's {@code usize}). */
    public long asid() {
        return asid;
    }

    /** Bytes of VA space the root table can map: its {@link RootTable#size()}. */
    public long size() {
        return root.size();
    }

    /** The value {@code activate} writes to TTBR0_EL1 (lower range) or TTBR1_EL1 (upper). */
    public long ttbrValue() {
        return root.toPhysical().value() | (asid << 48);
    }

    /** See {@link RootTable#mapRange}; same errors. */
    public void mapRange(MemoryRegion range, PhysicalAddress pa, Attributes flags) throws MapException {
        root.mapRange(range, pa, flags);
    }

    /** See {@link RootTable#modifyRange}; same errors. */
    public void modifyRange(MemoryRegion range, PteUpdater updater) throws MapException {
        root.modifyRange(range, updater);
    }

    /**
     * The aarch64-only {@code activate}: saves {@code currentTtbr} (the register's value now) and returns the value to
     * write, {@link #ttbrValue()}.
     *
     * @throws CratePanic "assertion failed: self.previous_ttbr.is_none()" if already active
     */
    public long activate(long currentTtbr) {
        if (previousTtbr.isPresent()) {
            throw new CratePanic("assertion failed: self.previous_ttbr.is_none()");
        }
        previousTtbr = OptionalLong.of(currentTtbr);
        return ttbrValue();
    }

    /**
     * The aarch64-only {@code deactivate}: returns the saved TTBR value to restore (then {@code tlbi aside1} with
     * {@code asid << 48}).
     *
     * @throws CratePanic "called `Option::unwrap()` on a `None` value" if not active
     */
    public long deactivate() {
        if (previousTtbr.isEmpty()) {
            throw new CratePanic("called `Option::unwrap()` on a `None` value");
        }
        long previous = previousTtbr.getAsLong();
        previousTtbr = OptionalLong.empty();
        return previous;
    }

    /** Whether {@link #activate} has been called and neither {@link #deactivate} nor {@link #close} since. */
    public boolean isActive() {
        return previousTtbr.isPresent();
    }

    /** The crate's derived Debug: {@code Mapping { root: RootTable { … }, asid: 1, previous_ttbr: None }}. */
    @Override
    public String toString() {
        return "Mapping { root: " + root + ", asid: " + asid + ", previous_ttbr: "
                + (previousTtbr.isPresent() ? "Some(" + Long.toUnsignedString(previousTtbr.getAsLong()) + ")" : "None")
                + " }";
    }

    /** {@code Drop}: deactivates if active, then drops the root table. */
    @Override
    public void close() {
        previousTtbr = OptionalLong.empty();
        root.close();
    }
}
