package dev.pvmfw.image;

import dev.pvmfw.paging.Geometry;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.PhysicalMemory;
import dev.pvmfw.paging.SlotMemory;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.VaRange;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A raw page-table image: the arena's bytes, 4096-byte tables in slot order, with the parameters needed to read it
 * (PA of slot 0, root level, VA range, the root's slot). Read-only; as {@link PhysicalMemory} it resolves PAs to slots,
 * so the MMU's walk works on images as on live tables.
 *
 * @param bytes the image (read-only view)
 * @param paBase PA of slot 0
 * @param rootLevel level of the root table (0..3)
 * @param vaRange which TTBR the root is for
 * @param rootSlot the slot holding the root table
 */
public record TableImage(MemorySegment bytes, long paBase, int rootLevel, VaRange vaRange, int rootSlot)
        implements PhysicalMemory {

    /**
     * An image over a read-only view of {@code bytes}, with the checks of {@link #of}.
     *
     * @throws IllegalArgumentException where {@link #of} throws {@link ImageFormatException}, with the same message
     * @throws NullPointerException if {@code bytes} or {@code vaRange} is null
     */
    public TableImage {
        Objects.requireNonNull(bytes);
        Objects.requireNonNull(vaRange);
        String problem = problem(bytes.byteSize(), paBase, rootLevel, rootSlot);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        bytes = bytes.asReadOnly();
    }

    /**
     * Checks and wraps an image.
     *
     * @throws ImageFormatException if it is empty or not a whole number of tables (or more than 2^31 − 1 of them),
     *     the PA base is not page-aligned or the PAs pass 2^48 (compared without wrapping: a "negative" base near
     *     2^64 is refused too), the root level is not 0..3, or the root slot is outside the image
     */
    public static TableImage of(MemorySegment bytes, long paBase, int rootLevel, VaRange vaRange, int rootSlot)
            throws ImageFormatException {
        String problem = problem(bytes.byteSize(), paBase, rootLevel, rootSlot);
        if (problem != null) {
            throw new ImageFormatException(problem);
        }
        return new TableImage(bytes, paBase, rootLevel, vaRange, rootSlot);
    }

    /** What is wrong with an image of {@code size} bytes read with these parameters, or null. */
    private static String problem(long size, long paBase, int rootLevel, int rootSlot) {
        if (size == 0) {
            return "the image is empty";
        }
        if (size % TableLayout.TABLE_SIZE != 0) {
            return "the image is " + size + " bytes, not a multiple of " + TableLayout.TABLE_SIZE + " (truncated?)";
        }
        if (!Geometry.isAligned(paBase, Geometry.PAGE_SIZE)) {
            return "PA base " + PhysicalAddress.format(paBase) + " is not 4 KiB-aligned";
        }
        long slots = size / TableLayout.TABLE_SIZE;
        if (slots > Integer.MAX_VALUE) {
            return "the image has " + slots + " tables, more than " + Integer.MAX_VALUE;
        }
        long paLimit = Geometry.OUTPUT_ADDRESS_MASK + Geometry.PAGE_SIZE; // 2^48, the first PA a table cannot have
        // Compared without wrapping: a base at or above 2^48, or too near it for the slots, is refused.
        if (Long.compareUnsigned(paBase, paLimit) >= 0 || slots > (paLimit - paBase) / Geometry.PAGE_SIZE) {
            return "PAs from " + PhysicalAddress.format(paBase) + " for " + slots + " tables pass 2^48";
        }
        if (rootLevel < 0 || rootLevel > Geometry.LEAF_LEVEL) {
            return "root level must be 0..3, got " + rootLevel;
        }
        if (rootSlot < 0 || rootSlot >= slots) {
            return "root slot " + rootSlot + " is outside the image (" + slots + " tables)";
        }
        return null;
    }

    /**
     * Maps a raw image file read-only into {@code arena} (never copied into the heap), after checking that it is a
     * regular file (a FIFO or a device would block or never end) of at most {@code maxBytes} bytes.
     *
     * @throws ImageFormatException not a regular file, larger than {@code maxBytes}, or as {@link #of}
     * @throws IOException if it cannot be read
     */
    public static TableImage map(Path file, long maxBytes, Arena arena, long paBase, int rootLevel, VaRange vaRange,
            int rootSlot) throws IOException, ImageFormatException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFormatException(Files.exists(file) ? "not a regular file" : "no such file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > maxBytes) {
                throw new ImageFormatException("the image is " + size + " bytes, more than the limit of " + maxBytes
                        + " (raise it with --max-image-size)");
            }
            MemorySegment bytes = size == 0 ? MemorySegment.NULL : channel.map(FileChannel.MapMode.READ_ONLY, 0,
                    size, arena);
            return of(size == 0 ? MemorySegment.ofArray(new byte[0]) : bytes, paBase, rootLevel, vaRange, rootSlot);
        }
    }

    /** The image as slot-ordered memory. */
    public SlotMemory memory() {
        return new SlotMemory(bytes, paBase);
    }

    /** How many 4096-byte tables the image holds. */
    public int slots() {
        return memory().slots();
    }

    /**
     * Slot {@code slot}'s 4096 bytes. (Named apart from {@link #table(long)}, which takes a PA: an {@code int} PA
     * must not silently pick a slot.)
     */
    public MemorySegment slot(int slot) {
        return memory().slot(slot);
    }

    /** Descriptor {@code index} (0..511) of slot {@code slot}, as stored (little-endian). */
    public long entry(int slot, int index) {
        return TableLayout.read(slot(slot), index);
    }

    /** The PA of slot {@code slot}: {@code paBase + 4096·slot}. */
    public long paOfSlot(int slot) {
        return memory().paOfSlot(slot);
    }

    /** The slot at {@code pa}, or -1 if pa is not the start of a slot of this image. */
    public int slotOf(long pa) {
        return memory().slotOf(pa);
    }

    /** Bytes of VA the root covers ({@link MmuConfig#vaSize()} of {@link #mmuConfig()}). */
    public long vaSize() {
        return mmuConfig().vaSize();
    }

    /** The lowest VA the root covers: 0 for the lower range, 2^64 − size for the upper ({@link MmuConfig#vaBase()}). */
    public long vaBase() {
        return mmuConfig().vaBase();
    }

    /** The slot at {@code pa}, read-only, or null if no slot of this image starts there. */
    @Override
    public MemorySegment table(long pa) {
        int slot = slotOf(pa);
        return slot < 0 ? null : slot(slot);
    }

    /**
     * Walks {@code va} from the root slot, with the MMU's rules and {@code config}'s answers outside the image.
     *
     * @throws dev.pvmfw.mmu.UnmodelledMemoryException if the walk reads a table from memory whose contents
     *     {@code config}'s memory map does not know
     */
    public WalkResult walk(MmuConfig config, long va) {
        return Walker.walk(this, config, paOfSlot(rootSlot), va);
    }

    /**
     * {@link Walker#access} of {@code va} from the root slot: the walk, then the leaf's checks for {@code access}.
     *
     * @throws dev.pvmfw.mmu.UnmodelledMemoryException as {@link #walk}
     */
    public WalkResult access(MmuConfig config, long va, dev.pvmfw.mmu.AccessKind access) {
        return Walker.access(this, config, paOfSlot(rootSlot), va, access);
    }

    /** The MMU configuration this image is read with: its root level and VA range, pvmfw's for the rest. */
    public MmuConfig mmuConfig() {
        return MmuConfig.of(rootLevel, vaRange);
    }
}
