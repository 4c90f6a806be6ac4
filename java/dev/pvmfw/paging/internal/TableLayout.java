package dev.pvmfw.paging.internal;

import dev.pvmfw.paging.Geometry;

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
    /** Bytes per table. */
    public static final int TABLE_SIZE = Geometry.ENTRIES_PER_TABLE * DESCRIPTOR_SIZE;
    /** Required alignment of a table in memory. */
    public static final int TABLE_ALIGNMENT = Geometry.PAGE_SIZE;
    /** The whole table, for documentation and layout checks. */
    public static final SequenceLayout TABLE =
            MemoryLayout.sequenceLayout(Geometry.ENTRIES_PER_TABLE, ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN))
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
