package dev.pvmfw.paging.v0_4_0;

import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.VirtualAddress;
import dev.pvmfw.paging.internal.TableLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Odd behaviour of aarch64-paging 0.4.0 (release build) that we reproduce on purpose. Like Hafnium's quirk tests,
 * these document behaviour rather than endorse it: check whether anything relies on it before changing it.
 *
 * <p>Expected values are derived from the crate's source (0.4.0 {@code src/paging.rs}) and checked against the real
 * crate by the differential suite's recorded vectors.
 */
class QuirksTest {
    static final long GIB = 1L << 30;
    TableArena arena = TableArena.create(16);

    @AfterEach
    void tearDown() {
        arena.close();
    }

    long entry(int slot, int index) {
        return TableLayout.read(arena.segment().asSlice(slot * 4096L, 4096), index);
    }

    /** {@code align_up(0)} wraps to 0 in release: {@code new(x, 0)} is backwards, {@code new(0, 0)} is empty. */
    @Test
    void memoryRegionEndZeroWrapsQuirk() throws MapException {
        assertEquals("0x0000000000000000..0x0000000000000000", MemoryRegion.of(0, 0).toString());
        assertTrue(MemoryRegion.of(0, 0).isEmpty());
        assertTrue(MemoryRegion.of(0x5000, 0).isBackwards());
        try (RootTable root = new RootTable(arena, 1, VaRange.LOWER)) {
            root.mapRange(MemoryRegion.of(0, 0), new PhysicalAddress(0), Attributes.VALID); // maps nothing
            assertEquals(1, arena.usedSlots());
        }
    }

    /** Any end in the last page below 2^64 rounds up to 0. */
    @Test
    void memoryRegionEndInLastPageWrapsQuirk() {
        assertEquals("0xffffffffffffe000..0x0000000000000000",
                MemoryRegion.of(0xFFFF_FFFF_FFFF_E000L, 0xFFFF_FFFF_FFFF_FFFFL).toString());
        assertEquals(0, MemoryRegion.of(0, 0xFFFF_FFFF_FFFF_F001L).endValue());
    }

    /** An invalid leaf keeps its PA, gets ACCESSED, and at level 3 TABLE_OR_PAGE ({@code docs/aarch64-paging-0.4.0.md}, "What map_range writes"). */
    @Test
    void invalidLeafKeepsPaAccessedAndPageBitQuirk() throws MapException {
        try (RootTable root = new RootTable(arena, 1, VaRange.LOWER)) {
            root.mapRange(MemoryRegion.of(0x5000, 0x6000), new PhysicalAddress(0x9000), Attributes.NORMAL);
            assertEquals(0x9706L, entry(2, 5));
            assertEquals(OptionalInt.empty(), root.mappingLevel(new VirtualAddress(0x5000)));
        }
    }

    /** Blocks are written at level 0 too (0.12 forbids level-0 blocks). */
    @Test
    void level0BlockQuirk() throws MapException {
        try (RootTable root = new RootTable(arena, 0, VaRange.LOWER)) {
            root.mapRange(MemoryRegion.of(0, 512 * GIB), new PhysicalAddress(0), Attributes.VALID);
            assertEquals(0x401L, entry(0, 0));
            assertEquals(OptionalInt.of(0), root.mappingLevel(new VirtualAddress(0x1234_5000L)));
            assertEquals(1, arena.usedSlots());
        }
    }

    /** PA bits 48–63 are silently dropped (no LPA). */
    @Test
    void paBitsAbove47AreDroppedQuirk() throws MapException {
        try (RootTable root = new RootTable(arena, 1, VaRange.LOWER)) {
            root.mapRange(MemoryRegion.of(0, 0x1000), new PhysicalAddress(0xFFFF_0000_1234_5000L), Attributes.VALID);
            assertEquals(0x1234_5403L, entry(2, 0));
        }
    }

    /**
     * TABLE_OR_PAGE in map_range's flags is not rejected (0.5 returns InvalidFlags): a 2 MiB "block" with bit 1 set
     * is a table pointing at its PA. Later walks follow it; here PA 0 is outside the arena, which fails loudly (the
     * Rust arena panics with the same message), and so does dropping the table.
     */
    @Test
    void tableOrPageInMapFlagsMakesABogusTableQuirk() throws MapException {
        RootTable root = new RootTable(arena, 1, VaRange.LOWER);
        root.mapRange(MemoryRegion.of(0, 0x20_0000), new PhysicalAddress(0),
                Attributes.of(Attributes.VALID, Attributes.TABLE_OR_PAGE));
        assertEquals(0x403L, entry(1, 0));
        TranslationPanic e = assertThrows(TranslationPanic.class,
                () -> root.mappingLevel(new VirtualAddress(0)));
        assertEquals(TranslationPanic.Kind.BAD_ADDRESS, e.kind());
        assertEquals("physical address 0x0000000000000000 is not a table of the arena 0x0000000040000000.."
                + "0x0000000040010000", e.getMessage());
        e = assertThrows(TranslationPanic.class, root::close);
        assertEquals(TranslationPanic.Kind.BAD_ADDRESS, e.kind());
    }

    /**
     * Upper range, last granule: the chunk's end {@code (s | (gran-1)) + 1} wraps to 0, so {@code [s, 0)} counts as a
     * whole block and a request that stops one page short of 2^64 maps the whole last GiB.
     */
    @Test
    void upperRangeTopChunkEndWrapsToWholeBlockQuirk() throws MapException {
        try (RootTable root = new RootTable(arena, 1, VaRange.UPPER)) {
            root.mapRange(MemoryRegion.of(-GIB, 0xFFFF_FFFF_FFFF_F000L), new PhysicalAddress(GIB), Attributes.VALID);
            assertEquals(GIB | 0x401, entry(0, 511));
            assertEquals(OptionalInt.of(1), root.mappingLevel(new VirtualAddress(0xFFFF_FFFF_FFFF_F000L)));
            assertEquals(1, arena.usedSlots());
        }
    }

    /**
     * Upper range, last granule, below block size: the root-level chunk is {@code [s, min(end, 0))} = {@code [s, 0)},
     * which the next level sees as empty. So mapping one page in the last GiB replaces the old block with a new,
     * <em>empty</em> table (the re-creation region {@code [align_down(s), align_up(0))} is backwards too) and maps
     * nothing: the whole GiB becomes unmapped.
     */
    @Test
    void upperRangeLastGranuleCannotBeMappedBelowBlockSizeQuirk() throws MapException {
        try (RootTable root = new RootTable(arena, 1, VaRange.UPPER)) {
            root.mapRange(MemoryRegion.of(-GIB, 0xFFFF_FFFF_FFFF_F000L), new PhysicalAddress(GIB), Attributes.VALID);
            root.mapRange(MemoryRegion.of(-GIB, -GIB + 0x1000), new PhysicalAddress(0x7000), Attributes.VALID);
            assertEquals(0x4000_1003L, entry(0, 511));
            for (int i = 0; i < 512; i++) {
                assertEquals(0, entry(1, i), "L2[" + i + "]");
            }
            assertEquals(java.util.List.of(0, 1), java.util.Arrays.stream(arena.eventLog()).boxed().toList());
            assertEquals(OptionalInt.empty(), root.mappingLevel(new VirtualAddress(-GIB)));
            assertEquals(OptionalInt.empty(), root.mappingLevel(new VirtualAddress(-GIB + 0x20_0000)));
        }
    }

    /**
     * modify_range never splits: a one-page request inside a 2 MiB block calls back once at level 2 with the whole
     * block, after the two table descriptors on the way.
     */
    @Test
    void modifyRangeInsideBlockSeesWholeBlockQuirk() throws MapException {
        try (RootTable root = new RootTable(arena, 1, VaRange.LOWER)) {
            root.mapRange(MemoryRegion.of(0x20_0000, 0x40_0000), new PhysicalAddress(0x20_0000), Attributes.VALID);
            StringBuilder calls = new StringBuilder();
            root.modifyRange(MemoryRegion.of(0x30_1000, 0x30_2000), (range, d, level) -> {
                calls.append(level).append(' ').append(range).append('\n');
                return true;
            });
            assertEquals("1 0x0000000000000000..0x0000000040000000\n"
                    + "2 0x0000000000200000..0x0000000000400000\n", calls.toString());
            assertEquals(2, arena.usedSlots());
        }
    }
}
