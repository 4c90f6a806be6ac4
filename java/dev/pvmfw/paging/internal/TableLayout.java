package dev.pvmfw.paging.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The memory layout of a translation table, defined once: 512 little-endian 8-byte descriptors, 4096 bytes,
 * 4096-aligned ({@code #[repr(C, align(4096))] struct PageTable}). Explicitly little-endian, as on AArch64 and x86_64,
 * so images are the same bytes whatever the host.
 *
 * <p>All descriptor reads and writes in this library go through {@link #read} and {@link #write}.
 */
public final class TableLayout {
    /** One descriptor: a little-endian 64-bit value. Unaligned access is allowed so heap images can be read too. */
    public static final ValueLayout.OfLong DESCRIPTOR =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Bytes per descriptor. */
    public static final int DESCRIPTOR_SIZE = 8;
    /**
     * Descriptors per table with the 4 KiB granule. Defined here rather than taken from {@code Geometry}, so this
     * package depends on nothing ({@code docs/architecture.md}, "Allowed dependencies"); {@code TableLayoutTest} pins
     * it to {@code Geometry.ENTRIES_PER_TABLE}.
     */
    public static final int ENTRIES_PER_TABLE = 512;
    /** Bytes per table. */
    public static final int TABLE_SIZE = ENTRIES_PER_TABLE * DESCRIPTOR_SIZE;
    /** Required alignment of a table in memory: the granule. */
    public static final int TABLE_ALIGNMENT = 4096;
    /** The whole table, for documentation and layout checks. */
    public static final SequenceLayout TABLE =
            MemoryLayout.sequenceLayout(ENTRIES_PER_TABLE, ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN))
                    .withByteAlignment(TABLE_ALIGNMENT);

    private TableLayout() {}

    /** Descriptor {@code index} (0..511) of {@code table}. */
    public static long read(MemorySegment table, int index) {
        return table.get(DESCRIPTOR, (long) index * DESCRIPTOR_SIZE);
    }

    /** Writes descriptor {@code index} (0..511) of {@code table}. */
    public static void write(MemorySegment table, int index, long value) {
        table.set(DESCRIPTOR, (long) index * DESCRIPTOR_SIZE, value);
    }
}
