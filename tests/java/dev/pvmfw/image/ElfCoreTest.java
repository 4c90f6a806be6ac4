package dev.pvmfw.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.paging.VaRange;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ELF cores read as QEMU writes them (ELF64 header, program headers at e_phoff, PT_LOAD at p_paddr; the System V
 * gABI) and every header field checked with a one-line error. The cores are built here byte by byte from the gABI
 * layout; {@code QemuDumpTest} reads a real one.
 */
public class ElfCoreTest {
    /** One PT_LOAD: its PA and its contents. */
    public record Load(long pa, byte[] bytes) {}

    /** A core: header, a PT_NOTE, the loads' headers, then their data at odd (not page-aligned) offsets. */
    public static byte[] core(int type, int machine, Load... loads) {
        int phnum = loads.length + 1;
        int data = 64 + 56 * phnum + 0x14;
        int size = data;
        for (Load l : loads) {
            size += l.bytes().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(16, (short) type).putShort(18, (short) machine).putInt(20, 1).putLong(32, 64)
                .putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) phnum);
        b.putInt(64, 4); // PT_NOTE, empty
        int off = data;
        for (int i = 0; i < loads.length; i++) {
            int ph = 64 + 56 * (i + 1);
            int len = loads[i].bytes().length;
            b.putInt(ph, 1).putLong(ph + 8, off).putLong(ph + 16, loads[i].pa()).putLong(ph + 24, loads[i].pa())
                    .putLong(ph + 32, len).putLong(ph + 40, len);
            b.put(off, loads[i].bytes());
            off += len;
        }
        return b.array();
    }

    public static byte[] pages(int n) {
        return new byte[4096 * n];
    }

    public static void put(byte[] page, int offset, long value) {
        ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, value);
    }

    static MemoryDump read(byte[] file) throws ImageFormatException {
        return MemoryDump.of(MemorySegment.ofArray(file), null);
    }

    static String error(byte[] file) {
        return assertThrows(ImageFormatException.class, () -> read(file)).getMessage();
    }

    @Test
    void segmentsArePlacedByPhysicalAddressAndTablesMaySitInAny() throws Exception {
        byte[] low = pages(4);
        byte[] high = pages(2);
        put(low, 4096 * 3, 0x8000_1000L | 3); // the root (PA 0x4000_3000), L1[0]: a table in the other segment
        put(high, 4096 + 8 * 2, 0x4000_0000L | (1 << 10) | 1); // its L2[2]: a 2 MiB block
        MemoryDump dump = read(core(4, 183, new Load(0x8000_0000L, high), new Load(0x4000_0000L, low)));
        assertEquals(List.of(0x4000_0000L, 0x8000_0000L), dump.segments().stream().map(DumpSegment::pa)
                .toList());
        WalkResult w = Walker.walk(dump, MmuConfig.pvmfw(), 0x4000_3000L, 0x40_1234L);
        assertEquals(0x4000_1234L, ((WalkResult.Translated) w).leaf().pa());
        assertNotNull(dump.table(0x4000_2000L));
        assertNull(dump.table(0x4000_4000L), "past the segment's end: nothing there");
        assertNull(dump.table(0x4000_2008L), "not 4 KiB-aligned");
        assertNull(dump.table(0x7fff_f000L));
        TableImage image = dump.imageAt(0x4000_3000L, 1, VaRange.LOWER);
        assertEquals(3, image.rootSlot());
        assertEquals(0x4000_0000L, image.paBase());
    }

    @Test
    void aWalkOutsideEverySegmentGetsTheConfiguredAnswer() throws Exception {
        byte[] low = pages(1);
        put(low, 0, 0x5000_0000L | 3);
        MemoryDump dump = read(core(4, 183, new Load(0x4000_0000L, low)));
        WalkResult abort = Walker.walk(dump, MmuConfig.pvmfw(), 0x4000_0000L, 0);
        assertEquals(WalkResult.FaultKind.EXTERNAL_ABORT_ON_WALK, ((WalkResult.Faulted) abort).kind());
        WalkResult zero = Walker.walk(dump, MmuConfig.pvmfw().withOutsideTables(MmuConfig.OutsideTables
                .READS_AS_ZERO), 0x4000_0000L, 0);
        assertEquals(WalkResult.FaultKind.TRANSLATION, ((WalkResult.Faulted) zero).kind());
        assertEquals(2, ((WalkResult.Faulted) zero).level());
    }

    @Test
    void headerFieldsAreCheckedWithOneLineErrors() {
        byte[] good = core(4, 183, new Load(0x4000_0000L, pages(1)));
        assertTrue(error(new byte[] {0x7f, 'E', 'L', 'F', 2, 1}).startsWith("truncated ELF header"));
        assertTrue(error(core(2, 183, new Load(0x4000_0000L, pages(1)))).contains("not an AArch64 core (e_type 2"));
        assertTrue(error(core(4, 62, new Load(0x4000_0000L, pages(1)))).contains("e_machine 62"));
        byte[] elf32 = good.clone();
        elf32[4] = 1;
        assertTrue(error(elf32).startsWith("not ELF64"));
        byte[] big = good.clone();
        big[5] = 2;
        assertTrue(error(big).startsWith("not little-endian"));
        byte[] phentsize = good.clone();
        ByteBuffer.wrap(phentsize).order(ByteOrder.LITTLE_ENDIAN).putShort(54, (short) 32);
        assertTrue(error(phentsize).contains("program headers of 32 bytes"));
        byte[] truncated = java.util.Arrays.copyOf(good, 100);
        assertTrue(error(truncated).startsWith("truncated ELF file: 2 program headers"));
        byte[] beyond = java.util.Arrays.copyOf(good, good.length - 1);
        assertTrue(error(beyond).contains("beyond the end of the file"), error(beyond));
        byte[] wraps = good.clone();
        ByteBuffer.wrap(wraps).order(ByteOrder.LITTLE_ENDIAN).putLong(64 + 56 + 24, -2048L);
        assertTrue(error(wraps).contains("wraps past 2^64"));
        assertTrue(error(core(4, 183, new Load(0x4000_0000L, pages(2)), new Load(0x4000_1000L, pages(1))))
                .startsWith("overlapping segments: segment 1 (PA 0x0000000040000000..) and segment 2"));
        byte[] xnumPastEnd = good.clone();
        ByteBuffer.wrap(xnumPastEnd).order(ByteOrder.LITTLE_ENDIAN).putShort(56, (short) 0xffff)
                .putLong(40, good.length);
        assertTrue(error(xnumPastEnd).contains("section header 0 (PN_XNUM)"), error(xnumPastEnd));
        byte[] many = good.clone();
        ByteBuffer.wrap(many).order(ByteOrder.LITTLE_ENDIAN).putShort(56, (short) 0xffff).putLong(40, 64 + 56)
                .putInt(64 + 56 + 44, 70_000);
        assertEquals("too many segments: 70000 program headers, more than 65536", error(many));
        assertEquals("not an ELF core (no ELF magic); for a raw RAM file give --ram-base PA",
                error(pages(1)));
    }

    @Test
    void rawRamStartsAtItsBase() throws Exception {
        byte[] ram = pages(2);
        put(ram, 4096 + 8, 0xc000_0000L | (1 << 10) | 1);
        MemoryDump dump = MemoryDump.of(MemorySegment.ofArray(ram), 0x8000_0000L);
        WalkResult w = Walker.walk(dump, MmuConfig.forTnsz(25, VaRange.LOWER), 0x8000_1000L, 0x4000_0042L);
        assertEquals(0xc000_0042L, ((WalkResult.Translated) w).leaf().pa());
        assertThrows(ImageFormatException.class, () -> MemoryDump.of(MemorySegment.ofArray(ram), -4096L));
        assertThrows(ImageFormatException.class, () -> dump.imageAt(0x9000_0000L, 1, VaRange.LOWER));
    }
}
