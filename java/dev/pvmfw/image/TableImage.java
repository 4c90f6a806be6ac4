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
import java.nio.file.Files;
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

    public TableImage {
        Objects.requireNonNull(bytes);
        Objects.requireNonNull(vaRange);
        bytes = bytes.asReadOnly();
    }

    /**
     * Checks and wraps an image.
     *
     * @throws ImageFormatException if it is empty or not a whole number of tables, the PA base is not page-aligned or
     *     the PAs pass 2^48, the root level is not 0..3, or the root slot is outside the image
     */
    public static TableImage of(MemorySegment bytes, long paBase, int rootLevel, VaRange vaRange, int rootSlot)
            throws ImageFormatException {
        if (bytes.byteSize() == 0) {
            throw new ImageFormatException("the image is empty");
        }
        if (bytes.byteSize() % TableLayout.TABLE_SIZE != 0) {
            throw new ImageFormatException("the image is " + bytes.byteSize() + " bytes, not a multiple of "
                    + TableLayout.TABLE_SIZE + " (truncated?)");
        }
        if (!Geometry.isAligned(paBase, Geometry.PAGE_SIZE)) {
            throw new ImageFormatException("PA base " + PhysicalAddress.format(paBase) + " is not 4 KiB-aligned");
        }
        long slots = bytes.byteSize() / TableLayout.TABLE_SIZE;
        if (Long.compareUnsigned(paBase + slots * Geometry.PAGE_SIZE - 1, Geometry.OUTPUT_ADDRESS_MASK) > 0) {
            throw new ImageFormatException("PAs from " + PhysicalAddress.format(paBase) + " for " + slots
                    + " tables pass 2^48");
        }
        if (rootLevel < 0 || rootLevel > Geometry.LEAF_LEVEL) {
            throw new ImageFormatException("root level must be 0..3, got " + rootLevel);
        }
        if (rootSlot < 0 || rootSlot >= slots) {
            throw new ImageFormatException("root slot " + rootSlot + " is outside the image (" + slots + " tables)");
        }
        return new TableImage(bytes, paBase, rootLevel, vaRange, rootSlot);
    }

    /** Reads a raw image file. @throws ImageFormatException as {@link #of}; IOException if unreadable */
    public static TableImage read(Path file, long paBase, int rootLevel, VaRange vaRange, int rootSlot)
            throws IOException, ImageFormatException {
        byte[] data = Files.readAllBytes(file);
        return of(MemorySegment.ofArray(data), paBase, rootLevel, vaRange, rootSlot);
    }

    /** The image as slot-ordered memory. */
    public SlotMemory memory() {
        return new SlotMemory(bytes, paBase);
    }

    public int slots() {
        return memory().slots();
    }

    /** Slot {@code slot}'s 4096 bytes. */
    public MemorySegment table(int slot) {
        return memory().slot(slot);
    }

    public long entry(int slot, int index) {
        return TableLayout.read(table(slot), index);
    }

    public long paOfSlot(int slot) {
        return memory().paOfSlot(slot);
    }

    /** The slot at {@code pa}, or -1 if pa is not the start of a slot of this image. */
    public int slotOf(long pa) {
        return memory().slotOf(pa);
    }

    /** Bytes of VA the root covers. */
    public long vaSize() {
        return Geometry.granularityAtLevel(rootLevel) << Geometry.BITS_PER_LEVEL;
    }

    /** The lowest VA the root covers: 0 for the lower range, 2^64 − size for the upper. */
    public long vaBase() {
        return vaRange == VaRange.UPPER ? -vaSize() : 0;
    }

    /** The slot at {@code pa}, read-only, or null if no slot of this image starts there. */
    @Override
    public MemorySegment table(long pa) {
        int slot = slotOf(pa);
        return slot < 0 ? null : table(slot);
    }

    /** Walks {@code va} from the root slot, with the MMU's rules and {@code config}'s answers outside the image. */
    public WalkResult walk(MmuConfig config, long va) {
        return Walker.walk(this, config, paOfSlot(rootSlot), va);
    }

    /** The MMU configuration this image is read with: its root level and VA range, pvmfw's for the rest. */
    public MmuConfig mmuConfig() {
        return MmuConfig.of(rootLevel, vaRange);
    }
}
