package dev.pvmfw.paging;

import dev.pvmfw.paging.internal.TableLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The deterministic table arena shared with the Rust oracle ({@code docs/aarch64-paging-0.4.0.md}, "The arena
 * convention"): {@code N} slots of 4096 bytes in one
 * 4096-aligned {@link MemorySegment}; slot {@code i} is at PA {@code paBase + 4096·i}; the lowest free slot is
 * allocated first; a slot is zeroed when allocated <em>and</em> when freed, so two arenas that saw the same operations
 * are byte-identical as a whole.
 *
 * <p>The Rust side implements exactly the same rules over the same segment, including the failure messages below.
 *
 * <p>Not thread-safe. Closing an arena this class created releases its memory; any later use (also through a
 * table over it) fails with {@link MemoryLifetimeException.Kind#CLOSED}.
 */
public final class TableArena implements Translation, AutoCloseable {
    /** The PA base the project's scenarios and vectors use by default, {@code 0x4000_0000}. */
    public static final long DEFAULT_PA_BASE = 0x4000_0000L;

    /**
     * The most slots an arena may have: 2<sup>24</sup>, 64 GiB of tables (the arena is allocated and zeroed whole, so a
     * larger request is refused before any memory is taken).
     */
    public static final int MAX_SLOTS = 1 << 24;

    private final MemorySegment buffer;
    private final MemorySegment bufferReadOnly;
    private final MemorySegment[] tables;
    private final MemorySegment[] readOnly;
    private final long paBase;
    private final SlotAllocator slots;
    private final Arena owned;
    private boolean closed;

    private TableArena(MemorySegment buffer, long paBase, Arena owned) {
        if (!Geometry.isAligned(buffer.address(), TableLayout.TABLE_ALIGNMENT)
                || buffer.byteSize() % TableLayout.TABLE_SIZE != 0 || buffer.byteSize() == 0) {
            throw new IllegalArgumentException("arena buffer must be a non-empty multiple of 4096 bytes, 4096-aligned");
        }
        if (!Geometry.isAligned(paBase, Geometry.PAGE_SIZE) || (paBase & ~Geometry.OUTPUT_ADDRESS_MASK) != 0) {
            throw new IllegalArgumentException("PA base " + PhysicalAddress.format(paBase)
                    + " must be page-aligned and below 2^48");
        }
        int count = Math.toIntExact(buffer.byteSize() / TableLayout.TABLE_SIZE);
        // The last slot's PA must be an output address (at most 2^48 - 4096): the arena may end exactly at 2^48, as
        // the oracle library's arena may (pa_base + slots * 4096 <= 2^48).
        if (Long.compareUnsigned(paBase + (long) (count - 1) * Geometry.PAGE_SIZE, Geometry.OUTPUT_ADDRESS_MASK) > 0
                || Long.compareUnsigned(paBase + (long) (count - 1) * Geometry.PAGE_SIZE, paBase) < 0) {
            throw new IllegalArgumentException("arena PAs would exceed 2^48");
        }
        this.buffer = buffer;
        this.bufferReadOnly = buffer.asReadOnly();
        this.paBase = paBase;
        this.owned = owned;
        this.slots = new SlotAllocator(count);
        this.tables = new MemorySegment[count];
        this.readOnly = new MemorySegment[count];
        for (int i = 0; i < count; i++) {
            tables[i] = buffer.asSlice((long) i * TableLayout.TABLE_SIZE, TableLayout.TABLE_SIZE);
            readOnly[i] = tables[i].asReadOnly();
        }
    }

    /**
     * A new arena of {@code slots} tables at the default PA base, in memory it owns.
     *
     * @throws IllegalArgumentException as {@link #create(int, long)}
     */
    public static TableArena create(int slots) {
        return create(slots, DEFAULT_PA_BASE);
    }

    /**
     * A new arena of {@code slots} tables at {@code paBase}, in memory it owns (a shared {@link Arena}, released by
     * {@link #close}).
     *
     * @throws IllegalArgumentException if slots is not 1..{@link #MAX_SLOTS}, paBase is unaligned or the PAs would pass 2<sup>48</sup>, or
     *     the memory for that many slots cannot be allocated
     */
    public static TableArena create(int slots, long paBase) {
        if (slots < 1 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("an arena has 1.." + MAX_SLOTS + " slots, not " + slots);
        }
        Arena arena = Arena.ofShared();
        try {
            return new TableArena(arena.allocate((long) slots * TableLayout.TABLE_SIZE, TableLayout.TABLE_ALIGNMENT),
                    paBase, arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        } catch (OutOfMemoryError e) {
            // Native memory (the slots) or heap (their bookkeeping) refused: a request too large, not a JVM failure.
            arena.close();
            throw new IllegalArgumentException("cannot allocate an arena of " + slots + " slots ("
                    + (long) slots * TableLayout.TABLE_SIZE + " bytes): " + e.getMessage());
        }
    }

    /**
     * An arena over memory the caller owns (for example, a segment shared with the Rust oracle). {@link #close} then
     * only stops this object; releasing the memory stays with the caller. The buffer is zeroed.
     */
    public static TableArena over(MemorySegment buffer, long paBase) {
        Objects.requireNonNull(buffer);
        buffer.fill((byte) 0);
        return new TableArena(buffer, paBase, null);
    }

    /** The whole arena, every slot in slot order (a raw image), read-only. */
    public MemorySegment segment() {
        checkOpen();
        return bufferReadOnly;
    }

    /** The PA of slot 0, page-aligned. */
    public long paBase() {
        return paBase;
    }

    /** How many slots the arena has, used or free. */
    public int slotCount() {
        return tables.length;
    }

    /** How many slots are allocated now. */
    public int usedSlots() {
        return slots.usedCount();
    }

    /** Whether slot {@code slot} is allocated; false for a number that is not a slot of this arena. */
    public boolean isUsed(int slot) {
        return slots.isUsed(slot);
    }

    /** The PA of slot {@code slot}. */
    public long paOfSlot(int slot) {
        Objects.checkIndex(slot, tables.length);
        return paBase + (long) slot * Geometry.PAGE_SIZE;
    }

    /** The slot holding {@code pa}, or -1 if pa is outside the arena or not page-aligned. */
    public int slotOf(long pa) {
        long offset = pa - paBase;
        if (Long.compareUnsigned(offset, (long) tables.length * Geometry.PAGE_SIZE) >= 0
                || !Geometry.isAligned(offset, Geometry.PAGE_SIZE)) {
            return -1;
        }
        return (int) (offset / Geometry.PAGE_SIZE);
    }

    /** Allocations and frees so far, in order: slot {@code i} allocated is {@code i}, freed is {@code ~i}. */
    public int[] eventLog() {
        return slots.log();
    }

    /** How many events have been logged. */
    public int eventCount() {
        return slots.logSize();
    }

    /** The events from number {@code first} on. */
    public int[] eventsSince(int first) {
        return slots.logSince(first);
    }

    /**
     * Lowest free slot, zeroed.
     *
     * @throws TranslationPanic EXHAUSTED ("arena exhausted: all N slots in use")
     * @throws MemoryLifetimeException CLOSED; WRONG_THREAD from a thread the memory is not confined to (no slot is
     *     taken)
     */
    @Override
    public AllocatedTable allocateTable() {
        checkOpen();
        checkThread();
        int slot = slots.allocate();
        if (slot < 0) {
            throw new TranslationPanic(TranslationPanic.Kind.EXHAUSTED,
                    "arena exhausted: all " + tables.length + " slots in use");
        }
        MemorySegment table = tables[slot];
        table.fill((byte) 0);
        return new AllocatedTable(table, new PhysicalAddress(paOfSlot(slot)));
    }

    /**
     * Frees the slot of {@code table} and zeroes it.
     *
     * @throws TranslationPanic BAD_FREE if it is not a slot of this arena or is already free
     * @throws MemoryLifetimeException CLOSED; WRONG_THREAD from a thread the memory is not confined to (the slot
     *     stays allocated)
     */
    @Override
    public void deallocateTable(MemorySegment table) {
        checkOpen();
        checkThread();
        long offset = table.address() - buffer.address();
        int slot = Long.compareUnsigned(offset, buffer.byteSize()) < 0 && Geometry.isAligned(offset, Geometry.PAGE_SIZE)
                && table.isNative() ? (int) (offset / Geometry.PAGE_SIZE) : -1;
        if (slot < 0) {
            throw new TranslationPanic(TranslationPanic.Kind.BAD_FREE,
                    "freeing memory that is not an arena slot");
        }
        if (!slots.free(slot)) {
            throw new TranslationPanic(TranslationPanic.Kind.BAD_FREE, "arena slot " + slot + " freed twice");
        }
        tables[slot].fill((byte) 0);
    }

    /**
     * The table at {@code pa}.
     *
     * @throws TranslationPanic BAD_ADDRESS if pa is outside the arena, unaligned, or a free slot
     * @throws MemoryLifetimeException CLOSED
     */
    @Override
    public MemorySegment physicalToVirtual(PhysicalAddress pa) {
        return tableAt(pa.value());
    }

    /** The used slot at {@code pa}, read-only, or null (outside the arena, unaligned, or a free slot). */
    @Override
    public MemorySegment table(long pa) {
        checkOpen();
        int slot = slotOf(pa);
        return slot >= 0 && slots.isUsed(slot) ? readOnly[slot] : null;
    }

    @Override
    public MemorySegment tableAt(long pa) {
        // Only our own flag: if the memory itself was released, the caller's next access of the returned segment
        // fails (the crate-version tables turn that into MemoryLifetimeException CLOSED), so the hot path skips the scope check.
        if (closed) {
            checkOpen();
        }
        int slot = slotOf(pa);
        if (slot < 0 || !slots.isUsed(slot)) {
            throw badAddress(pa, slot);
        }
        return tables[slot];
    }

    /** {@link #tableAt}'s failure, built out of line so the lookup itself stays small enough to inline. */
    private TranslationPanic badAddress(long pa, int slot) {
        if (slot < 0) {
            return new TranslationPanic(TranslationPanic.Kind.BAD_ADDRESS, "physical address "
                    + PhysicalAddress.format(pa) + " is not a table of the arena " + PhysicalAddress.format(paBase)
                    + ".." + PhysicalAddress.format(paBase + (long) tables.length * Geometry.PAGE_SIZE));
        }
        return new TranslationPanic(TranslationPanic.Kind.BAD_ADDRESS,
                "physical address " + PhysicalAddress.format(pa) + " is free arena slot " + slot);
    }

    /** Whether this arena has been closed, or the memory under it released by its owner. */
    public boolean isClosed() {
        return closed || !buffer.scope().isAlive();
    }

    /**
     * Stops this arena; releases the memory if this arena created it. Idempotent.
     *
     * @throws MemoryLifetimeException WRONG_THREAD from a thread the memory is not confined to: refused, and nothing
     *     changes
     */
    @Override
    public void close() {
        if (!closed && buffer.scope().isAlive()) {
            checkThread();
        }
        if (!closed) {
            closed = true;
            if (owned != null) {
                owned.close();
            }
        }
    }

    private void checkThread() {
        if (!buffer.isAccessibleBy(Thread.currentThread())) {
            throw new MemoryLifetimeException(MemoryLifetimeException.Kind.WRONG_THREAD,
                    "the table arena's memory is confined to another thread");
        }
    }

    private void checkOpen() {
        if (isClosed()) {
            throw new MemoryLifetimeException(MemoryLifetimeException.Kind.CLOSED, "the table arena is closed");
        }
    }
}
