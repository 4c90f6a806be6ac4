package dev.pvmfw.image;

import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.PhysicalMemory;
import dev.pvmfw.paging.VaRange;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * A machine's physical memory as a file holds it ({@code docs/real-dumps.md}): a QEMU {@code dump-guest-memory} ELF
 * core (its {@code PT_LOAD} segments at their {@code p_paddr}, {@link ElfCore}) or a raw RAM file at a base PA. As
 * {@link PhysicalMemory} a table may sit at any 4 KiB-aligned PA inside a segment, not only in slot order; a PA in
 * no segment holds no table ({@code null}), and the MMU configuration says what the machine has there.
 *
 * @param segments the memory, in ascending PA order, disjoint
 */
public record MemoryDump(List<DumpSegment> segments) implements PhysicalMemory {

    /** A dump of these segments. @throws IllegalArgumentException if they overlap */
    public MemoryDump {
        segments = List.copyOf(segments);
        for (int i = 1; i < segments.size(); i++) {
            DumpSegment p = segments.get(i - 1);
            if (Long.compareUnsigned(p.pa(), segments.get(i).pa()) >= 0
                    || Long.compareUnsigned(segments.get(i).pa(), p.end()) < 0 && p.end() != 0) {
                throw new IllegalArgumentException("segments out of order or overlapping");
            }
        }
    }

    /**
     * What {@code file} holds: an AArch64 ELF core when {@code ramBase} is null (recognised by content: the ELF
     * magic, {@code ET_CORE}, {@code EM_AARCH64}), else raw RAM whose first byte is at PA {@code ramBase}.
     *
     * @throws ImageFormatException as {@link ElfCore#segments}; for a file without the ELF magic and no
     *     {@code ramBase}, a message asking for one; for raw RAM, an empty file or PAs that pass 2<sup>64</sup>
     */
    public static MemoryDump of(MemorySegment file, Long ramBase) throws ImageFormatException {
        if (ramBase != null) {
            if (file.byteSize() == 0) {
                throw new ImageFormatException("the RAM file is empty");
            }
            if (Long.compareUnsigned(ramBase + file.byteSize() - 1, ramBase) < 0) {
                throw new ImageFormatException("RAM from " + PhysicalAddress.format(ramBase) + " for "
                        + file.byteSize() + " bytes passes 2^64");
            }
            return new MemoryDump(List.of(new DumpSegment(ramBase, file, 0)));
        }
        if (!ElfCore.hasElfMagic(file)) {
            throw new ImageFormatException("not an ELF core (no ELF magic); for a raw RAM file give --ram-base PA");
        }
        return new MemoryDump(ElfCore.segments(file));
    }

    /**
     * Maps {@code file} read-only into {@code arena} (never read into the heap) and reads it as {@link #of}, after
     * checking that it is a regular file of at most {@code maxBytes} bytes.
     *
     * @throws ImageFormatException not a regular file, larger than {@code maxBytes}, or as {@link #of}
     * @throws IOException if it cannot be read
     */
    public static MemoryDump map(Path file, long maxBytes, Arena arena, Long ramBase)
            throws IOException, ImageFormatException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFormatException(Files.exists(file) ? "not a regular file" : "no such file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > maxBytes) {
                throw new ImageFormatException("the file is " + size + " bytes, more than the limit of " + maxBytes
                        + " (raise it with --max-image-size)");
            }
            MemorySegment bytes = size == 0 ? MemorySegment.ofArray(new byte[0])
                    : channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return of(bytes, ramBase);
        }
    }

    /** The segment holding {@code pa}, or null. */
    public DumpSegment segmentAt(long pa) {
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            DumpSegment s = segments.get(mid);
            if (Long.compareUnsigned(pa, s.pa()) < 0) {
                hi = mid - 1;
            } else if (s.end() != 0 && Long.compareUnsigned(pa, s.end()) >= 0) {
                lo = mid + 1;
            } else {
                return s;
            }
        }
        return null;
    }

    /**
     * The 4096 bytes at {@code pa} if it is 4 KiB-aligned and they lie inside one segment, else null: a table may
     * sit anywhere in the memory.
     */
    @Override
    public MemorySegment table(long pa) {
        if (!Geometry.isAligned(pa, Geometry.PAGE_SIZE)) {
            return null;
        }
        DumpSegment s = segmentAt(pa);
        if (s == null || s.bytes().byteSize() - (pa - s.pa()) < Geometry.PAGE_SIZE) {
            return null;
        }
        return s.bytes().asSlice(pa - s.pa(), Geometry.PAGE_SIZE);
    }

    /**
     * The segment holding the root table at {@code rootPa} as a {@link TableImage}, each of its 4 KiB pages a slot,
     * for the slot-based commands ({@code dump}, {@code check}, {@code diff}): a table in another segment is outside
     * that image.
     *
     * @throws ImageFormatException the root PA is not 4 KiB-aligned or in no segment, or the segment is not whole
     *     4 KiB pages at a 4 KiB-aligned PA below 2<sup>48</sup> (as {@link TableImage#of})
     */
    public TableImage imageAt(long rootPa, int rootLevel, VaRange vaRange) throws ImageFormatException {
        Objects.requireNonNull(vaRange);
        DumpSegment s = segmentAt(rootPa);
        if (s == null) {
            throw new ImageFormatException("the root table's PA " + PhysicalAddress.format(rootPa)
                    + " is in no segment of the dump" + ranges());
        }
        if (!Geometry.isAligned(rootPa, Geometry.PAGE_SIZE)) {
            throw new ImageFormatException("the root table's PA " + PhysicalAddress.format(rootPa)
                    + " is not 4 KiB-aligned (a root table smaller than 4 KiB is read only at a 4 KiB boundary)");
        }
        long offset = rootPa - s.pa();
        if (offset / Geometry.PAGE_SIZE > Integer.MAX_VALUE) {
            throw new ImageFormatException("the root table is more than 2^31 pages into its segment");
        }
        return TableImage.of(s.bytes(), s.pa(), rootLevel, vaRange, (int) (offset / Geometry.PAGE_SIZE));
    }

    /** ": it has PA ranges [a, b), ..." (at most four), for messages. */
    private String ranges() {
        StringBuilder out = new StringBuilder(segments.isEmpty() ? " (it has no memory)" : " (it has ");
        for (int i = 0; i < Math.min(4, segments.size()); i++) {
            DumpSegment s = segments.get(i);
            out.append(i == 0 ? "" : ", ").append('[').append(PhysicalAddress.format(s.pa())).append(", ")
                    .append(PhysicalAddress.format(s.end())).append(')');
        }
        return segments.isEmpty() ? out.toString() : out.append(segments.size() > 4 ? ", ...)" : ")").toString();
    }
}
