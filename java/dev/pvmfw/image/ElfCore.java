package dev.pvmfw.image;

import dev.pvmfw.paging.PhysicalAddress;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An ELF64 core file of an AArch64 guest as QEMU's {@code dump-guest-memory} writes it: its {@code PT_LOAD}
 * segments, each placed at its physical address {@code p_paddr} (the System V gABI, "Program Header"; QEMU
 * {@code dump/dump.c}). Only what locating guest memory needs is read; every header field used is checked against
 * the file first, so a damaged or hostile file is a one-line {@link ImageFormatException}, never an exception from
 * reading past the mapping.
 */
public final class ElfCore {
    private ElfCore() {}

    /** The most {@code PT_LOAD} segments read from one core (QEMU writes one per guest RAM block). */
    public static final int MAX_SEGMENTS = 65_536;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int EHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;
    private static final int SHDR_SIZE = 64;
    private static final int ET_CORE = 4;
    private static final int EM_AARCH64 = 183;
    private static final int PT_LOAD = 1;
    private static final int PN_XNUM = 0xffff;

    /** Whether {@code file} starts with the ELF magic {@code 0x7f 'E' 'L' 'F'}. */
    public static boolean hasElfMagic(MemorySegment file) {
        return file.byteSize() >= 4 && file.get(ValueLayout.JAVA_BYTE, 0) == 0x7f
                && file.get(ValueLayout.JAVA_BYTE, 1) == 'E' && file.get(ValueLayout.JAVA_BYTE, 2) == 'L'
                && file.get(ValueLayout.JAVA_BYTE, 3) == 'F';
    }

    /**
     * The guest memory in {@code file}: one {@link DumpSegment} per {@code PT_LOAD} with file bytes, in PA
     * order, as slices of {@code file} (not copied). A segment whose {@code p_memsz} exceeds {@code p_filesz}
     * contributes only its file bytes.
     *
     * @throws ImageFormatException not ELF (no magic), not ELF64 little-endian, not a core ({@code e_type} other
     *     than {@code ET_CORE}) or not AArch64 ({@code e_machine} other than {@code EM_AARCH64}); the header or the
     *     program headers truncated or not 56 bytes each; more than {@link #MAX_SEGMENTS} segments; a segment
     *     beyond the end of the file, whose PAs wrap past 2<sup>64</sup>, or overlapping another by PA
     */
    public static List<DumpSegment> segments(MemorySegment file) throws ImageFormatException {
        long size = file.byteSize();
        if (!hasElfMagic(file)) {
            throw new ImageFormatException("not an ELF file (no 0x7f 'ELF' magic)");
        }
        if (size < EHDR_SIZE) {
            throw new ImageFormatException("truncated ELF header: " + size + " bytes, an ELF64 header is 64");
        }
        if (file.get(ValueLayout.JAVA_BYTE, 4) != 2) {
            throw new ImageFormatException("not ELF64 (EI_CLASS " + file.get(ValueLayout.JAVA_BYTE, 4) + ")");
        }
        if (file.get(ValueLayout.JAVA_BYTE, 5) != 1) {
            throw new ImageFormatException("not little-endian ELF (EI_DATA " + file.get(ValueLayout.JAVA_BYTE, 5)
                    + ")");
        }
        int type = Short.toUnsignedInt(file.get(U16, 16));
        int machine = Short.toUnsignedInt(file.get(U16, 18));
        if (type != ET_CORE || machine != EM_AARCH64) {
            throw new ImageFormatException("an ELF file but not an AArch64 core (e_type " + type + ", e_machine "
                    + machine + "; a core has 4 and 183)");
        }
        long phoff = file.get(U64, 32);
        int phentsize = Short.toUnsignedInt(file.get(U16, 54));
        long phnum = Short.toUnsignedInt(file.get(U16, 56));
        if (phnum == PN_XNUM) {
            // The real count is section header 0's sh_info (gABI, "Extended numbering"; QEMU writes it so).
            long shoff = file.get(U64, 40);
            if (Long.compareUnsigned(shoff, size - SHDR_SIZE) > 0 || size < SHDR_SIZE) {
                throw new ImageFormatException("truncated ELF file: section header 0 (PN_XNUM) at offset " + shoff
                        + " is beyond the end of the file (" + size + " bytes)");
            }
            phnum = Integer.toUnsignedLong(file.get(U32, shoff + 44));
        }
        if (phnum == 0) {
            throw new ImageFormatException("an ELF core without program headers: no guest memory");
        }
        if (phentsize != PHDR_SIZE) {
            throw new ImageFormatException("ELF program headers of " + phentsize + " bytes, ELF64's are 56");
        }
        if (phnum > MAX_SEGMENTS) {
            throw new ImageFormatException("too many segments: " + phnum + " program headers, more than "
                    + MAX_SEGMENTS);
        }
        if (Long.compareUnsigned(phoff, size) > 0 || phnum * PHDR_SIZE > size - phoff) {
            throw new ImageFormatException("truncated ELF file: " + phnum + " program headers at offset " + phoff
                    + " pass the end of the file (" + size + " bytes)");
        }
        List<DumpSegment> out = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            long ph = phoff + (long) i * PHDR_SIZE;
            if (file.get(U32, ph) != PT_LOAD) {
                continue;
            }
            long offset = file.get(U64, ph + 8);
            long paddr = file.get(U64, ph + 24);
            long filesz = file.get(U64, ph + 32);
            if (filesz == 0) {
                continue;
            }
            if (Long.compareUnsigned(offset, size) > 0 || Long.compareUnsigned(filesz, size - offset) > 0) {
                throw new ImageFormatException("segment " + i + " (PA " + PhysicalAddress.format(paddr) + ", "
                        + Long.toUnsignedString(filesz) + " bytes at offset " + Long.toUnsignedString(offset)
                        + ") is beyond the end of the file (" + size + " bytes; truncated?)");
            }
            if (Long.compareUnsigned(paddr + filesz - 1, paddr) < 0) {
                throw new ImageFormatException("segment " + i + " (PA " + PhysicalAddress.format(paddr) + ", "
                        + filesz + " bytes) wraps past 2^64");
            }
            out.add(new DumpSegment(paddr, file.asSlice(offset, filesz), i));
        }
        return DumpSegment.sortedDisjoint(out);
    }
}
