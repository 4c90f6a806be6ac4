package dev.pvmfw.paging;

import dev.pvmfw.paging.internal.TableLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Growable off-heap memory for tables, at simulated <em>virtual</em> addresses {@code base + 4096·i}: the host stand-in
 * for the heap that {@code IdTranslation} and {@code LinearTranslation} allocate from in Rust, where a table's address
 * is a pointer in the program's address space. The translations turn these addresses into PAs (identity, or plus an
 * offset); no native address ever leaves this class.
 *
 * <p>Memory is reserved in chunks of 64 tables as needed; the lowest free slot is reused first; slots are zeroed on
 * allocation and on free. Not thread-safe. {@link #close} releases everything.
 */
public final class TableHeap implements AutoCloseable {
    /** Default base of the simulated table addresses: 16 TiB, clear of anything a test maps, below 2<sup>48</sup>. */
    public static final long DEFAULT_BASE = 0x1000_0000_0000L;
    /** At most this many live tables (4 GiB of tables). */
    public static final int MAX_TABLES = 1 << 20;

    private static final int CHUNK_TABLES = 64;

    /**
     * A table the heap handed out.
     *
     * @param table 4096 zeroed bytes, 4096-aligned
     * @param address its simulated virtual address
     */
    public record Allocation(MemorySegment table, VirtualAddress address) {}

    private final long base;
    private final Arena arena = Arena.ofShared();
    private final List<MemorySegment> chunks = new ArrayList<>();
    private final SlotAllocator slots = new SlotAllocator(MAX_TABLES);
    private boolean closed;

    /** An empty heap whose slot 0 is at {@link #DEFAULT_BASE}. */
    public TableHeap() {
        this(DEFAULT_BASE);
    }

    /**
     * An empty heap whose slot 0 is at {@code base}.
     *
     * @param base page-aligned simulated address of slot 0
     * @throws IllegalArgumentException if base is not page-aligned
     */
    public TableHeap(long base) {
        if (!Geometry.isAligned(base, Geometry.PAGE_SIZE)) {
            throw new IllegalArgumentException("heap base must be page-aligned");
        }
        this.base = base;
    }

    /**
     * A zeroed table and its simulated address.
     *
     * @throws TranslationPanic EXHAUSTED
     * @throws MemoryLifetimeException CLOSED
     */
    public Allocation allocate() {
        checkOpen();
        int slot = slots.allocate();
        if (slot < 0) {
            throw new TranslationPanic(TranslationPanic.Kind.EXHAUSTED,
                    "table heap exhausted: all " + MAX_TABLES + " tables in use");
        }
        while (chunks.size() <= slot / CHUNK_TABLES) {
            chunks.add(arena.allocate((long) CHUNK_TABLES * TableLayout.TABLE_SIZE, TableLayout.TABLE_ALIGNMENT));
        }
        MemorySegment table = slice(slot);
        table.fill((byte) 0);
        return new Allocation(table, new VirtualAddress(base + (long) slot * Geometry.PAGE_SIZE));
    }

    /**
     * Frees {@code table}, a segment this heap handed out, and zeroes it.
     *
     * @throws TranslationPanic BAD_FREE if it did not come from here or is already free
     * @throws MemoryLifetimeException CLOSED
     */
    public void free(MemorySegment table) {
        checkOpen();
        for (int c = 0; c < chunks.size(); c++) {
            MemorySegment chunk = chunks.get(c);
            long offset = table.address() - chunk.address();
            if (table.isNative() && Long.compareUnsigned(offset, chunk.byteSize()) < 0
                    && Geometry.isAligned(offset, TableLayout.TABLE_SIZE)) {
                int slot = c * CHUNK_TABLES + (int) (offset / TableLayout.TABLE_SIZE);
                if (!slots.free(slot)) {
                    throw new TranslationPanic(TranslationPanic.Kind.BAD_FREE, "freeing "
                            + VirtualAddress.format(base + (long) slot * Geometry.PAGE_SIZE) + ", which is not a live table");
                }
                slice(slot).fill((byte) 0);
                return;
            }
        }
        throw new TranslationPanic(TranslationPanic.Kind.BAD_FREE, "freeing memory that is not a heap table");
    }

    /**
     * The live table at simulated address {@code address}.
     *
     * @throws TranslationPanic BAD_ADDRESS if there is none
     * @throws MemoryLifetimeException CLOSED
     */
    public MemorySegment tableAt(VirtualAddress address) {
        checkOpen();
        int slot = slotOf(address.value());
        MemorySegment table = slot >= 0 && slots.isUsed(slot) ? slice(slot) : null;
        if (table == null) {
            throw new TranslationPanic(TranslationPanic.Kind.BAD_ADDRESS, address + " is not a live table");
        }
        return table;
    }

    /**
     * The live table at simulated address {@code address}, read-only, or null if there is none: the view behind a
     * translation's {@link PhysicalMemory#table}, so the heap's tables leave it writable only through
     * {@link #tableAt}, the crate's {@code physical_to_virtual}.
     *
     * @throws MemoryLifetimeException CLOSED
     */
    public MemorySegment find(long address) {
        checkOpen();
        int slot = slotOf(address);
        return slot >= 0 && slots.isUsed(slot) ? slice(slot).asReadOnly() : null;
    }

    /** Live tables. */
    public int usedTables() {
        return slots.usedCount();
    }

    /** Whether {@link #close} has been called. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }

    private int slotOf(long address) {
        long offset = address - base;
        if (Long.compareUnsigned(offset, (long) chunks.size() * CHUNK_TABLES * Geometry.PAGE_SIZE) >= 0
                || !Geometry.isAligned(offset, Geometry.PAGE_SIZE)) {
            return -1;
        }
        return (int) (offset / Geometry.PAGE_SIZE);
    }

    private MemorySegment slice(int slot) {
        return chunks.get(slot / CHUNK_TABLES)
                .asSlice((long) (slot % CHUNK_TABLES) * TableLayout.TABLE_SIZE, TableLayout.TABLE_SIZE);
    }

    private void checkOpen() {
        if (closed) {
            throw new MemoryLifetimeException(MemoryLifetimeException.Kind.CLOSED, "the table heap is closed");
        }
    }
}
