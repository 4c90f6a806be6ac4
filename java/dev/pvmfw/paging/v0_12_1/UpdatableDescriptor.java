package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.internal.TableLayout;
import java.lang.foreign.MemorySegment;

/**
 * The entry a {@code modify_range} updater is given ({@code descriptor::UpdatableDescriptor}): a descriptor, its
 * level, and whether a write changed it. It is one of three things, as in the crate:
 *
 * <ul>
 *   <li><b>active</b>: an entry of a table that is live (the real pass of {@code modify_range} on an active mapping);</li>
 *   <li><b>inactive</b>: an entry of a table that is not;</li>
 *   <li><b>an active clone</b>: a detached copy used by the break-before-make dry run, which counts as live and
 *       changes nothing in the table.</li>
 * </ul>
 *
 * <p>Writes are refused ({@code false}, the crate's {@code Err(())}) exactly where the crate refuses them: see
 * {@link #set} and {@link #modifyFlags}. Valid only during the updater's call: afterwards every method throws
 * {@link IllegalStateException} (the Rust borrow ends there).
 *
 * @param <A> the attribute type
 */
public final class UpdatableDescriptor<A extends PagingAttributes<A>> {
    private enum Kind { ACTIVE, INACTIVE, ACTIVE_CLONE }

    private final PagingAttributes.Type<A> type;
    private final Kind kind;
    private final MemorySegment table;
    private final int index;
    private final int level;
    private long cloneBits;
    private boolean updated;
    private boolean expired;

    private UpdatableDescriptor(PagingAttributes.Type<A> type, Kind kind, MemorySegment table, int index, int level,
            long cloneBits) {
        this.type = type;
        this.kind = kind;
        this.table = table;
        this.index = index;
        this.level = level;
        this.cloneBits = cloneBits;
    }

    /** {@code UpdatableDescriptor::new(desc, level, live)}: an entry of a table, live or not. */
    static <A extends PagingAttributes<A>> UpdatableDescriptor<A> of(PagingAttributes.Type<A> type,
            MemorySegment table, int index, int level, boolean live) {
        return new UpdatableDescriptor<>(type, live ? Kind.ACTIVE : Kind.INACTIVE, table, index, level, 0);
    }

    /** {@code UpdatableDescriptor::new(&mut desc, level, live)} over a {@link Descriptor} (the crate's tests). */
    static <A extends PagingAttributes<A>> UpdatableDescriptor<A> of(Descriptor<A> descriptor, int level,
            boolean live) {
        return of(descriptor.type(), descriptor.segment(), descriptor.index(), level, live);
    }

    /** {@code UpdatableDescriptor::clone_from(d, level)}: a detached copy of {@code bits} that counts as live. */
    static <A extends PagingAttributes<A>> UpdatableDescriptor<A> cloneFrom(PagingAttributes.Type<A> type,
            long bits, int level) {
        return new UpdatableDescriptor<>(type, Kind.ACTIVE_CLONE, null, 0, level, bits);
    }

    /** Ends the borrow: the updater's call has returned. */
    void expire() {
        expired = true;
    }

    /** {@link #updated()} for the crate's own code, after the call. */
    boolean wasUpdated() {
        return updated;
    }

    /** {@code level()}: the level of the table the entry is in, 0..3. */
    public int level() {
        live();
        return level;
    }

    /** {@code updated()}: whether a {@link #set} or {@link #modifyFlags} changed the value. */
    public boolean updated() {
        live();
        return updated;
    }

    /**
     * {@code is_table()}: below level 3 and TABLE_OR_PAGE set. VALID is not required, so an invalid 0b10 entry counts
     * as a table here (the walks never call back on a real subtable: those they descend into).
     */
    public boolean isTable() {
        return level() < Geometry.LEAF_LEVEL && (bits() & PagingAttributes.Type.TABLE_OR_PAGE) != 0;
    }

    /** {@code bits()}: the current value. */
    public long bits() {
        live();
        return kind == Kind.ACTIVE_CLONE ? cloneBits : TableLayout.read(table, index);
    }

    /** {@code output_address()}. */
    public PhysicalAddress outputAddress() {
        return new PhysicalAddress(Descriptor.outputAddressOf(bits()));
    }

    /** {@code flags()}: every bit outside the address field, verbatim. */
    public A flags() {
        return type.fromBitsRetain(Descriptor.flagBitsOf(bits()));
    }

    /**
     * {@code set(pa, flags)}: writes {@code (pa & MASK) | flags} and records whether that changed the value. No check
     * of TABLE_OR_PAGE: at level 3 it can write {@code 0b01}, below it {@code 0b10} or {@code 0b11}.
     *
     * <p>Refused when the descriptor is live (the real pass on an active mapping, or any dry-run clone) <em>and</em>
     * currently VALID <em>and</em> {@code flags} hold VALID <em>and</em> either {@code pa} differs from the output
     * address (compared unmasked: a PA with bits outside 47:12 always differs) or {@code is_bbm_safe(old, flags)} is
     * false.
     *
     * @return true for {@code Ok(())}, false for {@code Err(())} (nothing written)
     */
    public boolean set(PhysicalAddress pa, A flags) {
        return set(bits(), pa.value(), flags.bits());
    }

    /** {@link #set} on the value {@code current} just read (one read of the table per call, not three). */
    private boolean set(long current, long pa, long flags) {
        if (!bbmPermitsUpdate(current, pa, flags)) {
            return false;
        }
        long value = (pa & Descriptor.PHYSICAL_ADDRESS_BITMASK) | flags;
        if (kind == Kind.ACTIVE_CLONE) {
            updated |= cloneBits != value;
            cloneBits = value;
        } else {
            TableLayout.write(table, index, value);
            updated |= value != current;
        }
        return true;
    }

    /**
     * {@code modify_flags(set, clear)}: the new flags are {@code (old | set) & !clear} with bitflags 2.11's
     * truncating {@code !}, so every bit outside {@code all()} — of the old flags and of {@code set} — is dropped.
     * Refused if that would flip TABLE_OR_PAGE; otherwise {@link #set}{@code (output_address, new)}, with its
     * refusal.
     *
     * @return true for {@code Ok(())}, false for {@code Err(())}
     */
    public boolean modifyFlags(A set, A clear) {
        long current = bits();
        long old = Descriptor.flagBitsOf(current);
        long flags = (old | set.bits()) & Bitflags.complement(clear.bits(), type.allBits());
        if (((old ^ flags) & PagingAttributes.Type.TABLE_OR_PAGE) != 0) {
            return false;
        }
        return set(current, Descriptor.outputAddressOf(current), flags);
    }

    /** The attribute type. */
    public PagingAttributes.Type<A> type() {
        return type;
    }

    /** Whether this is a dry-run clone. */
    public boolean isDryRunClone() {
        return kind == Kind.ACTIVE_CLONE;
    }

    /** {@code bbm_permits_update}. */
    private boolean bbmPermitsUpdate(long current, long pa, long flags) {
        boolean liveAndValid = kind != Kind.INACTIVE && Descriptor.isValid(current);
        if (!liveAndValid || (flags & PagingAttributes.Type.VALID) == 0) {
            return true;
        }
        if (pa != Descriptor.outputAddressOf(current)) {
            return false;
        }
        return type.isBbmSafe(Descriptor.flagBitsOf(current), flags);
    }

    private void live() {
        if (expired) {
            throw new IllegalStateException("an UpdatableDescriptor is valid only during its updater's call");
        }
    }

    /** The entry's {@code Debug}-like text (the crate derives none): level and descriptor. */
    @Override
    public String toString() {
        return expired ? "UpdatableDescriptor { expired }"
                : "UpdatableDescriptor { level: " + level + ", " + Descriptor.debugString(type, bits()) + " }";
    }
}
