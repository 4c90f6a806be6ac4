package dev.pvmfw.paging;

import java.lang.foreign.MemorySegment;

/**
 * Where translation tables live ({@code paging::Translation}, the 0.3–0.6 shape). The crate never picks a physical
 * address itself: it writes the PA {@link #allocateTable} returns into the parent's table descriptor, and reads tables
 * back only through {@link #physicalToVirtual}.
 *
 * <p>A translation also shows its tables read-only by physical address ({@link PhysicalMemory}), which is what the
 * MMU model walks; unlike {@link #physicalToVirtual} that view never panics.
 *
 * <p>Implementations: {@link TableArena} (the deterministic arena shared with the Rust oracle), and the growable
 * translations of {@code idmap} and {@code linearmap}. Failures are {@link TranslationPanic}s (in Rust, panics of
 * the translation).
 */
public interface Translation extends PhysicalMemory {

    /**
     * {@code allocate_table}: a new <em>zeroed</em> table of 4096 bytes ({@code paging.internal.TableLayout}), aligned to 4096,
     * and its physical address.
     *
     * @throws TranslationPanic if no table can be allocated (EXHAUSTED)
     * @throws MemoryLifetimeException if the memory is closed (CLOSED)
     */
    AllocatedTable allocateTable();

    /**
     * {@code deallocate_table}: gives back a table this translation allocated and has not yet freed.
     *
     * @throws TranslationPanic (BAD_FREE) if it did not come from here or was freed already
     */
    void deallocateTable(MemorySegment table);

    /**
     * {@code physical_to_virtual}: the table at {@code pa}.
     *
     * @throws TranslationPanic (BAD_ADDRESS) if no live table is there; {@link CratePanic} where the crate's own
     *     translations panic
     */
    MemorySegment physicalToVirtual(PhysicalAddress pa);

    /**
     * {@link #physicalToVirtual} on a raw PA: what the table walks call. Implementations on a hot path (the arena)
     * override it to avoid boxing the address; the result and failures must be the same.
     */
    default MemorySegment tableAt(long pa) {
        return physicalToVirtual(new PhysicalAddress(pa));
    }
}
