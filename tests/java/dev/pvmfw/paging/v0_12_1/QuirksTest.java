package dev.pvmfw.paging.v0_12_1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.v0_12_1.idmap.IdMap;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Odd behaviour of aarch64-paging 0.12.1, reproduced on purpose ({@code docs/aarch64-paging-0.12.1.md}, "Quirks
 * reproduced"); each follows from the crate's code as it is, and the ones the reference observed are marked so.
 */
class QuirksTest {
    static final long PA_BASE = 0x4000_0000L;
    static final El1Attributes MEMORY = El1Attributes.fromBitsRetain(0xf05);
    static final El1Attributes DEVICE_LAZY = El1Attributes.fromBitsRetain(0xc0_0000_0000_0400L);

    TableArena arena;
    int seen;

    @BeforeEach
    void setUp() {
        arena = TableArena.create(8, PA_BASE);
    }

    @AfterEach
    void tearDown() {
        arena.close();
    }

    Mapping<El1Attributes> lower(int level) {
        Mapping<El1Attributes> m = Mapping.withAsidAndVaRange(arena, 1, level, El1And0.INSTANCE, VaRange.LOWER);
        seen = arena.eventCount();
        return m;
    }

    int[] newEvents() {
        int[] events = arena.eventsSince(seen);
        seen = arena.eventCount();
        return events;
    }

    long slot(int slot, int index) {
        return TableLayout.read(arena.table(arena.paOfSlot(slot)), index);
    }

    boolean slotIsZero(int slot) {
        for (int i = 0; i < 512; i++) {
            if (slot(slot, i) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * NT (bit 16) is a flag of El1Attributes but inside the address field: mapping with it moves the output address
     * by 64 KiB, and since {@code flags()} never shows it, a remap with the same flags is never "already mapped", so
     * even an identical page remap splits the block; {@code modify_flags} with NT moves the address the same way.
     */
    @Test
    void ntLandsInTheOutputAddressQuirk() throws MapException {
        Mapping<El1Attributes> m = lower(1);
        El1Attributes withNt = MEMORY.union(El1Attributes.NT);
        m.mapRange(MemoryRegion.of(0, 0x20_0000L), new PhysicalAddress(0x8000_0000L), withNt, Constraints.empty());
        assertEquals(0x8001_0f05L, slot(1, 0), "the block's PA is 0x8001_0000");
        newEvents();
        m.mapRange(MemoryRegion.of(0x1000, 0x2000), new PhysicalAddress(0x8000_1000L), withNt, Constraints.empty());
        assertArrayEquals(new int[] {2}, newEvents(), "split, where the same remap without NT is skipped");
        assertEquals(0x8001_1f07L, slot(2, 1));
        assertEquals(0x8001_0f05L + 0x2000 + 2, slot(2, 2), "the copy keeps the block's PA, NT bit and all");

        m.mapRange(MemoryRegion.of(0x20_0000L, 0x40_0000L), new PhysicalAddress(0x8020_0000L), MEMORY,
                Constraints.empty());
        m.mapRange(MemoryRegion.of(0x20_1000L, 0x20_2000L), new PhysicalAddress(0x8020_1000L), MEMORY,
                Constraints.empty());
        assertArrayEquals(new int[] {}, newEvents(), "without NT the remap is already mapped: skipped");

        // modify_flags keeps NT (it is in all()) and set() ORs it into the address too.
        UpdatableDescriptor<El1Attributes> d = UpdatableDescriptor.of(Descriptor.detached(El1Attributes.TYPE,
                0x8000_0f07L), 3, false);
        assertTrue(d.modifyFlags(El1Attributes.NT, El1Attributes.empty()));
        assertEquals(0x8001_0f07L, d.bits());
        assertFalse(d.flags().contains(El1Attributes.NT));
        m.close();
    }

    /**
     * Unmapping nothing: the "already mapped" test compares the zero entry's address 0 with
     * {@code pa - chunk.start % granule}, which for an identity map is the chunk's start aligned down — 0 only in the
     * first granule. So an unmap of an unmapped page below 1 GiB allocates nothing, and above it two empty tables.
     */
    @Test
    void unmapOfNothingAllocatesTablesAboveTheFirstGigabyteQuirk() throws MapException {
        IdMap<El1Attributes> idmap = IdMap.withAsid(arena, 1, 1, El1And0.INSTANCE);
        seen = arena.eventCount();
        idmap.mapRange(MemoryRegion.of(0x1000, 0x2000), El1Attributes.empty());
        assertArrayEquals(new int[] {}, newEvents());
        idmap.mapRange(MemoryRegion.of(0x4000_1000L, 0x4000_2000L), El1Attributes.empty());
        assertArrayEquals(new int[] {1, 2}, newEvents());
        assertEquals(arena.paOfSlot(2) | 3, slot(1, 0), "the level-2 table holds only the link to the level-3 one");
        assertTrue(slotIsZero(2), "which is all zero");
        idmap.compactSubtables();
        assertArrayEquals(new int[] {~2, ~1}, newEvents());
        idmap.close();
    }

    /** modify_range splits what the range covers in part even where nothing is mapped, and calls back on zeros. */
    @Test
    void modifySplitsZeroEntriesAndCallsBackOnThemQuirk() throws MapException {
        Mapping<El1Attributes> m = lower(1);
        List<String> calls = new ArrayList<>();
        m.modifyRange(MemoryRegion.of(0x1000, 0x2000), (r, d) -> calls.add(r + " L" + d.level() + " " + d.bits()));
        assertEquals(List.of("0x0000000000001000..0x0000000000002000 L3 0"), calls);
        assertArrayEquals(new int[] {1, 2}, newEvents());
        m.close();
    }

    /** Observed: a level-0 callback for a whole zero 512 GiB entry (a leaf at level 0, which maps never write). */
    @Test
    void modifyCallsBackOnAWholeZeroLevel0EntryQuirk() throws MapException {
        Mapping<El1Attributes> m = lower(0);
        List<String> calls = new ArrayList<>();
        m.modifyRange(MemoryRegion.of(0, 1L << 39), (r, d) -> calls.add(r + " L" + d.level() + " " + d.bits()));
        assertEquals(List.of("0x0000000000000000..0x0000008000000000 L0 0"), calls);
        assertArrayEquals(new int[] {}, newEvents());
        m.close();
    }

    /**
     * A callback may write TABLE_OR_PAGE without VALID below level 3 ({@code set} checks neither); the entry is then
     * no table (not VALID) yet counts as one for {@code is_table()}, and a split does not copy it: its address and
     * flags are lost.
     */
    @Test
    void anInvalidTableOrPageEntryIsNotCopiedBySplitQuirk() throws MapException {
        Mapping<El1Attributes> m = lower(1);
        m.mapRange(MemoryRegion.of(0, 0x20_0000L), new PhysicalAddress(0x8000_0000L), MEMORY, Constraints.empty());
        List<Boolean> isTable = new ArrayList<>();
        m.modifyRange(MemoryRegion.of(0, 0x20_0000L), (r, d) -> {
            boolean ok = d.set(d.outputAddress(), El1Attributes.fromBitsRetain(0xf06));
            isTable.add(d.isTable());
            return ok;
        });
        assertEquals(List.of(true), isTable);
        assertEquals(0x8000_0f06L, slot(1, 0));
        newEvents();
        m.mapRange(MemoryRegion.of(0x1000, 0x2000), new PhysicalAddress(0x9000_0000L), MEMORY, Constraints.empty());
        assertArrayEquals(new int[] {2}, newEvents());
        for (int i = 0; i < 512; i++) {
            assertEquals(i == 1 ? 0x9000_0f07L : 0, slot(2, i), "entry " + i);
        }
        m.close();
    }

    /** A split re-creates the old entry with empty constraints: NO_BLOCK_MAPPINGS applies only to the new range. */
    @Test
    void splitRecreatesTheOldEntryWithBlocksDespiteNoBlockMappingsQuirk() throws MapException {
        Mapping<El1Attributes> m = lower(1);
        m.mapRange(MemoryRegion.of(0, 1L << 30), new PhysicalAddress(0x8000_0000L), MEMORY, Constraints.empty());
        newEvents();
        m.mapRange(MemoryRegion.of(0x1000, 0x2000), new PhysicalAddress(0x1000), MEMORY,
                Constraints.NO_BLOCK_MAPPINGS);
        assertArrayEquals(new int[] {1, 2}, newEvents());
        assertEquals(0x8020_0f05L, slot(1, 1), "a 2 MiB block");
        assertEquals(0x8000_0f05L + 511 * 0x20_0000L, slot(1, 511));
        assertEquals(0x1f07L, slot(2, 1));
        m.close();
    }

    /**
     * The top granule of an upper-range table (observed): the chunk ends at 0. A page request there whose PA is
     * aligned to the granule writes a whole 1 GiB block; a misaligned one puts an empty table in place of the entry
     * and maps nothing; a walk over it calls back nowhere; and the last page below 2^64 cannot be named at all.
     */
    @Test
    void theTopGranuleOfAnUpperTableQuirk() throws MapException {
        Mapping<El1Attributes> m = Mapping.withAsidAndVaRange(arena, 1, 1, El1And0.INSTANCE, VaRange.UPPER);
        seen = arena.eventCount();
        m.mapRange(MemoryRegion.of(0xffff_ffff_c000_0000L, 0xffff_ffff_c000_1000L), new PhysicalAddress(0x4000_0000L),
                MEMORY, Constraints.empty());
        assertEquals(0x4000_0f05L, slot(0, 511), "a 1 GiB block for a one-page request");
        m.mapRange(MemoryRegion.of(0xffff_ffff_8000_1000L, 0xffff_ffff_8000_2000L), new PhysicalAddress(0x1000),
                MEMORY, Constraints.empty());
        assertArrayEquals(new int[] {1, 2}, newEvents(), "below the top granule a page is a page");
        m.close();

        Mapping<El1Attributes> top = Mapping.withAsidAndVaRange(arena, 1, 1, El1And0.INSTANCE, VaRange.UPPER);
        seen = arena.eventCount();
        top.mapRange(MemoryRegion.of(0xffff_ffff_c000_1000L, 0xffff_ffff_c000_2000L), new PhysicalAddress(0x1000),
                MEMORY, Constraints.empty());
        int[] events = newEvents();
        assertEquals(1, events.length, "one table allocated");
        assertEquals((arena.paOfSlot(events[0])) | 3, slot(0, 511));
        assertTrue(slotIsZero(events[0]), "and nothing mapped in it");
        List<MemoryRegion> walked = new ArrayList<>();
        top.walkRange(MemoryRegion.of(0xffff_ffff_c000_1000L, 0xffff_ffff_c000_2000L), (r, d, l) -> walked.add(r));
        assertEquals(List.of(), walked);
        MapException last = assertThrows(MapException.class, () -> top.mapRange(
                MemoryRegion.of(-4096L, -1L), new PhysicalAddress(0), MEMORY, Constraints.empty()));
        assertInstanceOf(MapError.RegionBackwards.class, last.error());
        top.close();
    }

    /** modify_flags computes {@code (old | set) & !clear} with a truncating {@code !}: unknown bits vanish. */
    @Test
    void modifyFlagsDropsUnknownBitsQuirk() {
        long el1 = 0x4000_0f07L | 1L << 48 | 1L << 49;
        UpdatableDescriptor<El1Attributes> d = UpdatableDescriptor.of(Descriptor.detached(El1Attributes.TYPE, el1), 3,
                false);
        assertTrue(d.modifyFlags(El1Attributes.fromBitsRetain(1L << 12 | 1L << 3), El1Attributes.empty()));
        assertEquals(0x4000_0f0fL, d.bits(), "bits 48 and 49 gone, bit 3 kept, address bit 12 never set");
        assertTrue(d.updated());

        UpdatableDescriptor<El23Attributes> e = UpdatableDescriptor.of(Descriptor.detached(El23Attributes.TYPE,
                0x4000_0f07L | 1L << 53), 3, false);
        assertTrue(e.modifyFlags(El23Attributes.empty(), El23Attributes.empty()));
        assertEquals(0x4000_0f07L, e.bits(), "El23Attributes has no bit 53");

        UpdatableDescriptor<Stage2Attributes> s = UpdatableDescriptor.of(Descriptor.detached(Stage2Attributes.TYPE,
                0x4000_07ffL | 1L << 11), 3, false);
        assertTrue(s.modifyFlags(Stage2Attributes.empty(), Stage2Attributes.empty()));
        assertEquals(0x4000_07ffL, s.bits(), "Stage2Attributes has no bit 11");
    }

    /**
     * mark_inactive on an inactive mapping panics after its count has wrapped to usize::MAX, so the mapping then
     * counts as active: its drop panics too, after freeing the tables.
     */
    @Test
    void underflowLeavesTheMappingActiveQuirk() {
        Mapping<El1Attributes> m = lower(1);
        CratePanic underflow = assertThrows(CratePanic.class, m::markInactive);
        assertEquals("Underflow in active count.", underflow.getMessage());
        assertTrue(m.active());
        assertEquals(-1L, m.activeCount());
        CratePanic drop = assertThrows(CratePanic.class, m::close);
        assertEquals("Dropping active page table mapping!", drop.getMessage());
        assertEquals(0, arena.usedSlots());
    }

    /**
     * On a live mapping the updater runs first on dry-run copies, where its {@code Err} is a break-before-make
     * violation: an updater that refuses a leaf never produces PteUpdateFault there, and changes nothing.
     */
    @Test
    void anUpdaterErrOnALiveTableIsABreakBeforeMakeViolationQuirk() throws MapException {
        Mapping<El1Attributes> m = lower(1);
        m.mapRange(MemoryRegion.of(0, 0x20_0000L), new PhysicalAddress(0), DEVICE_LAZY, Constraints.empty());
        m.activate();
        String before = m.root().debug();
        newEvents();
        MapException e = assertThrows(MapException.class,
                () -> m.modifyRange(MemoryRegion.of(0x1000, 0x2000), (r, d) -> false));
        assertEquals(new MapError.BreakBeforeMakeViolation(MemoryRegion.of(0x1000, 0x2000)), e.error());
        assertEquals(before, m.root().debug());
        assertArrayEquals(new int[] {}, newEvents(), "the dry run splits nothing");
        m.markInactive();
        m.close();
    }

    /**
     * A live mapping makes invalid leaves valid freely (no BBM rule for them), but pvmfw's 0.4-era lazy trick —
     * setting VALID on a lazy page — gives PA 0 and a level-3 "block" {@code 0b01}: a lazy page is flags only.
     */
    @Test
    void settingValidOnALazyPageGivesPaZeroQuirk() throws MapException {
        Mapping<El1Attributes> m = lower(1);
        m.mapRange(MemoryRegion.of(0x9000, 0xa000), new PhysicalAddress(0x9000), DEVICE_LAZY, Constraints.empty());
        m.activate();
        m.modifyRange(MemoryRegion.of(0x9000, 0xa000),
                (r, d) -> d.modifyFlags(El1Attributes.VALID, El1Attributes.empty()));
        assertEquals(0xc0_0000_0000_0401L, slot(2, 9));
        m.deactivate(-1L);
        m.close();
    }
}
