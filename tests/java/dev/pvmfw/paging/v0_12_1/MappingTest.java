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
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.VirtualAddress;
import dev.pvmfw.paging.internal.TableLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Mapping} beyond the crate's own tests, on the deterministic arena: the error texts, the order of the
 * errors inactive and active, the break-before-make dry run, the active count and its panics, the drop of an active
 * mapping, a translation panic part way through a split, and the Debug texts ({@code docs/aarch64-paging-0.12.1.md},
 * "Errors and their order", "Break-before-make", "Activation", "Panics").
 */
class MappingTest {
    static final long PA_BASE = 0x4000_0000L;
    static final El1Attributes MEMORY = El1Attributes.fromBitsRetain(0xf05);

    TableArena arena;

    @BeforeEach
    void setUp() {
        arena = TableArena.create(16, PA_BASE);
    }

    @AfterEach
    void tearDown() {
        arena.close();
    }

    Mapping<El1Attributes> lower(int level) {
        return Mapping.withAsidAndVaRange(arena, 1, level, El1And0.INSTANCE, VaRange.LOWER);
    }

    static MapError error(Unwrap.MapCall call) {
        return assertThrows(MapException.class, call::run).error();
    }

    @Test
    void errorTextsAreTheCratesForEveryVariant() {
        MapError[] errors = {new MapError.AddressRange(new VirtualAddress(0x80_0000_1000L)),
            new MapError.InvalidVirtualAddress(new VirtualAddress(0x1000)),
            new MapError.RegionBackwards(MemoryRegion.of(0x5000, 0x1000)), new MapError.PteUpdateFault(1073745923L),
            new MapError.InvalidFlags(0xf07), new MapError.BreakBeforeMakeViolation(MemoryRegion.of(0x20_0000L,
                    0x20_1000L))};
        String[] display = {"Virtual address 0x0000008000001000 out of range",
            "Invalid virtual address 0x0000000000001000 for mapping",
            "End of memory region 0x0000000000005000..0x0000000000001000 is before start.",
            "Error updating page table entry 1073745923", "Flags 0xf07 unsupported for mapping.",
            "Cannot remap region 0x0000000000200000..0x0000000000201000 while translation is live."};
        String[] debug = {"AddressRange(VirtualAddress(0x0000008000001000))",
            "InvalidVirtualAddress(VirtualAddress(0x0000000000001000))",
            "RegionBackwards(0x0000000000005000..0x0000000000001000)", "PteUpdateFault(1073745923)",
            "InvalidFlags(3847)", "BreakBeforeMakeViolation(0x0000000000200000..0x0000000000201000)"};
        for (int i = 0; i < errors.length; i++) {
            assertEquals(display[i], errors[i].display());
            assertEquals(display[i], new MapException(errors[i]).getMessage());
            assertEquals(debug[i], errors[i].toString());
        }
        // usize payloads are unsigned.
        assertEquals("PteUpdateFault(18446744073709551615)", new MapError.PteUpdateFault(-1L).toString());
        assertEquals("Flags 0xffffffffffffffff unsupported for mapping.", new MapError.InvalidFlags(-1L).display());
    }

    @Test
    void inactiveMapChecksFlagsThenTheRegion() {
        Mapping<El1Attributes> m = lower(1);
        El1Attributes withTable = MEMORY.union(El1Attributes.TABLE_OR_PAGE);
        assertEquals(new MapError.InvalidFlags(0xf07), error(() -> m.mapRange(MemoryRegion.of(0x5000, 0x1000),
                new PhysicalAddress(0), withTable, Constraints.empty())));
        assertInstanceOf(MapError.RegionBackwards.class, error(() -> m.mapRange(
                MemoryRegion.of(1L << 40, 0x1000), new PhysicalAddress(0), MEMORY, Constraints.empty())));
        assertEquals(new MapError.AddressRange(new VirtualAddress(1L << 63)), error(() -> m.mapRange(
                MemoryRegion.of(1L << 63, -4096L), new PhysicalAddress(0), MEMORY, Constraints.empty())));
        assertEquals(new MapError.AddressRange(new VirtualAddress((1L << 39) + 4096)), error(() -> m.mapRange(
                MemoryRegion.of(0, (1L << 39) + 1), new PhysicalAddress(0), MEMORY, Constraints.empty())));
        assertArrayEquals(new int[] {0}, arena.eventLog(), "nothing allocated");
        m.close();
    }

    /** The reference's C03: on a live mapping the dry run comes first, so InvalidFlags comes last. */
    @Test
    void activeMapChecksTheRegionThenBreakBeforeMakeThenFlags() throws MapException {
        Mapping<El1Attributes> m = lower(1);
        m.mapRange(MemoryRegion.of(0, 0x20_0000L), new PhysicalAddress(0), MEMORY, Constraints.empty());
        m.activate();
        El1Attributes withTable = MEMORY.union(El1Attributes.TABLE_OR_PAGE);
        assertInstanceOf(MapError.RegionBackwards.class, error(() -> m.mapRange(MemoryRegion.of(0x5000, 0x1000),
                new PhysicalAddress(0), withTable, Constraints.empty())));
        assertInstanceOf(MapError.AddressRange.class, error(() -> m.mapRange(MemoryRegion.of(0, 1L << 40),
                new PhysicalAddress(0), withTable, Constraints.empty())));
        assertEquals(new MapError.BreakBeforeMakeViolation(MemoryRegion.of(0x1000, 0x2000)), error(() -> m.mapRange(
                MemoryRegion.of(0x1000, 0x2000), new PhysicalAddress(0x1000),
                withTable.union(El1Attributes.READ_ONLY), Constraints.empty())));
        assertEquals(new MapError.InvalidFlags(0xf07), error(() -> m.mapRange(MemoryRegion.of(0x40_0000L,
                0x40_1000L), new PhysicalAddress(0x40_0000L), withTable, Constraints.empty())));
        m.deactivate(-1L);
        m.close();
    }

    @Test
    void modifyAndWalkErrorsAndTheirOrder() throws MapException {
        Mapping<El1Attributes> m = lower(1);
        m.mapRange(MemoryRegion.of(0, 0x2000), new PhysicalAddress(0x8000_0000L), MEMORY, Constraints.empty());
        long page0 = 0x8000_0f07L;
        assertInstanceOf(MapError.RegionBackwards.class,
                error(() -> m.modifyRange(MemoryRegion.of(0x2000, 0x1000), (r, d) -> false)));
        assertInstanceOf(MapError.AddressRange.class,
                error(() -> m.modifyRange(MemoryRegion.of(0, 1L << 40), (r, d) -> false)));
        assertInstanceOf(MapError.AddressRange.class,
                error(() -> m.walkRange(MemoryRegion.of(0, 1L << 40), (r, d, l) -> false)));
        // The fault carries the bits read before the callback, which keeps its write.
        assertEquals(new MapError.PteUpdateFault(page0), error(() -> m.modifyRange(MemoryRegion.of(0, 0x1000),
                (r, d) -> {
                    d.modifyFlags(El1Attributes.SWFLAG_1, El1Attributes.empty());
                    return false;
                })));
        assertEquals(page0 | El1Attributes.SWFLAG_1.bits(), entry(m, 0, 3));
        assertEquals(new MapError.PteUpdateFault(page0 | El1Attributes.SWFLAG_1.bits()),
                error(() -> m.walkRange(MemoryRegion.of(0, 0x1000), (r, d, l) -> false)));

        // Active: a callback that fails only for real gives PteUpdateFault; one that fails the dry run, BBM.
        m.activate();
        assertEquals(new MapError.BreakBeforeMakeViolation(MemoryRegion.of(0, 0x1000)),
                error(() -> m.modifyRange(MemoryRegion.of(0, 0x1000), (r, d) -> false)));
        assertEquals(new MapError.PteUpdateFault(0x8000_1f07L), error(() -> m.modifyRange(
                MemoryRegion.of(0x1000, 0x2000), (r, d) -> d.isDryRunClone())));
        m.deactivate(-1L);
        m.close();
    }

    static long entry(Mapping<?> m, long va, int level) {
        var table = m.root().rootSegment();
        for (int l = m.root().level(); l < level; l++) {
            long d = TableLayout.read(table, dev.pvmfw.paging.Geometry.index(va, l));
            table = m.translation().tableAt(Descriptor.outputAddressOf(d));
        }
        return TableLayout.read(table, dev.pvmfw.paging.Geometry.index(va, level));
    }

    @Test
    void theDryRunRunsTheUpdaterOnALiveCopyAtTheUnsplitLevel() throws MapException {
        Mapping<El1Attributes> m = lower(1);
        m.mapRange(MemoryRegion.of(0, 0x20_0000L), new PhysicalAddress(0x8000_0000L), MEMORY, Constraints.empty());
        m.activate();
        List<String> calls = new ArrayList<>();
        m.modifyRange(MemoryRegion.of(0x1000, 0x2000), (r, d) -> {
            calls.add((d.isDryRunClone() ? "dry " : "real ") + r + " L" + d.level());
            // A live valid descriptor refuses a new PA, and any unsafe flag change; READ_ONLY is safe.
            assertFalse(d.set(new PhysicalAddress(0x9000_0000L), d.flags()));
            assertFalse(d.modifyFlags(El1Attributes.empty(), El1Attributes.NON_GLOBAL));
            // Setting TABLE_OR_PAGE flips it on the block (refused), not on the page (a no-op, Ok).
            assertEquals(d.level() == 3, d.modifyFlags(El1Attributes.TABLE_OR_PAGE, El1Attributes.empty()));
            return true;
        });
        assertEquals(List.of("dry 0x0000000000001000..0x0000000000002000 L2",
                "real 0x0000000000001000..0x0000000000002000 L3"), calls);
        // The live block was split (the no-op passes the dry run) into pages with consecutive PAs.
        assertEquals(0x8000_1f07L, entry(m, 0x1000, 3));
        assertEquals(0x8000_2f07L, entry(m, 0x2000, 3));
        // A flag change on part of a live block is a violation, and nothing is changed.
        m.mapRange(MemoryRegion.of(0x20_0000L, 0x40_0000L), new PhysicalAddress(0x8020_0000L), MEMORY,
                Constraints.empty());
        String before = m.root().debug();
        assertEquals(new MapError.BreakBeforeMakeViolation(MemoryRegion.of(0x20_1000L, 0x20_2000L)),
                error(() -> m.modifyRange(MemoryRegion.of(0x20_1000L, 0x20_2000L),
                        (r, d) -> d.modifyFlags(El1Attributes.READ_ONLY, El1Attributes.empty()))));
        assertEquals(before, m.root().debug());
        // Over the whole block it is safe.
        m.modifyRange(MemoryRegion.of(0x20_0000L, 0x40_0000L),
                (r, d) -> d.modifyFlags(El1Attributes.READ_ONLY, El1Attributes.empty()));
        assertEquals(0x8020_0f85L, entry(m, 0x20_0000L, 2));
        m.deactivate(-1L);
        m.close();
    }

    @Test
    void activationCountsAndItsPanics() {
        Mapping<El1Attributes> m = lower(1);
        assertFalse(m.active());
        CratePanic notActive = assertThrows(CratePanic.class, () -> m.deactivate(-1L));
        assertEquals("assertion failed: self.active()", notActive.getMessage());
        assertEquals(-1L, m.activate(), "usize::MAX: no TTBR read off aarch64");
        assertEquals(-1L, m.activate());
        assertEquals(2, m.activeCount());
        m.deactivate(-1L);
        assertTrue(m.active());
        m.markInactive();
        assertFalse(m.active());
        assertEquals(PA_BASE | 1L << 48, m.ttbrValue());
        assertEquals(OptionalLong.of(1), m.asid());
        m.close();
    }

    @Test
    void droppingAnActiveMappingFreesItsTablesThenPanics() throws MapException {
        Mapping<El1Attributes> m = lower(1);
        m.mapRange(MemoryRegion.of(0, 0x1000), new PhysicalAddress(0), MEMORY, Constraints.empty());
        m.activate();
        int before = arena.eventCount();
        CratePanic drop = assertThrows(CratePanic.class, m::close);
        assertEquals("Dropping active page table mapping!", drop.getMessage());
        assertArrayEquals(new int[] {~2, ~1, ~0}, arena.eventsSince(before), "the drop glue ran while unwinding");
        assertTrue(m.isClosed());
        m.close();
    }

    @Test
    void rootLevelAboveThreePanicsBeforeAnyAllocation() {
        CratePanic panic = assertThrows(CratePanic.class, () -> lower(4));
        assertEquals("Invalid root table level 4.", panic.getMessage());
        assertThrows(CratePanic.class, () -> new Mapping<>(arena, 4, Stage2.INSTANCE));
        assertEquals(0, arena.eventCount());
    }

    /**
     * A split whose copy of the old entry needs tables of its own (a level-1 block with a PA no 2 MiB block can
     * take) runs out of slots: the new table and the tables linked into it stay allocated but unreachable, and the
     * old entry is unchanged; dropping the root frees only what it reaches.
     */
    @Test
    void exhaustionPartWayThroughASplitLeaksTheUnlinkedTable() throws MapException {
        try (TableArena small = TableArena.create(4, PA_BASE)) {
            Mapping<El1Attributes> m = Mapping.withAsidAndVaRange(small, 1, 1, El1And0.INSTANCE, VaRange.LOWER);
            m.mapRange(MemoryRegion.of(0, 1L << 30), new PhysicalAddress(0x8000_0000L), MEMORY, Constraints.empty());
            m.modifyRange(MemoryRegion.of(0, 1L << 30), (r, d) -> d.set(new PhysicalAddress(0x8000_1000L), d.flags()));
            long block = 0x8000_1f05L;
            TranslationPanic panic = assertThrows(TranslationPanic.class, () -> m.mapRange(
                    MemoryRegion.of(0x1000, 0x2000), new PhysicalAddress(0x1000), MEMORY, Constraints.empty()));
            assertEquals(TranslationPanic.Kind.EXHAUSTED, panic.kind());
            assertArrayEquals(new int[] {0, 1, 2, 3}, small.eventLog());
            assertEquals(block, TableLayout.read(m.root().rootSegment(), 0), "the old entry is unchanged");
            assertEquals(0x8000_1f07L, TableLayout.read(small.table(small.paOfSlot(2)), 0));
            assertEquals(PA_BASE + 0x2003, TableLayout.read(small.table(small.paOfSlot(1)), 0));
            assertEquals(PA_BASE + 0x3003, TableLayout.read(small.table(small.paOfSlot(1)), 1));
            m.close();
            assertEquals(3, small.usedSlots(), "slots 1 to 3 leaked");
        }
    }

    @Test
    void debugTextsOfMappingAndOfTheRegimesWithoutVaRange() throws MapException {
        Mapping<El1Attributes> m = lower(3);
        assertEquals("Mapping { root: RootTable { pa: 0x0000000040000000, translation_regime: "
                + "PhantomData<aarch64_paging::paging::El1And0>, va_range: Lower, level: 3, table:\n0  -511: 0\n}, "
                + "asid: 1, active_count: 0 }", m.toString());
        m.close();
        Mapping<Stage2Attributes> s2 = new Mapping<>(arena, 3, Stage2.INSTANCE);
        s2.mapRange(MemoryRegion.of(0x1000, 0x3000), new PhysicalAddress(0x8000_0000L),
                Stage2Attributes.of(Stage2Attributes.VALID, Stage2Attributes.ACCESS_FLAG), Constraints.empty());
        assertEquals("Mapping { root: RootTable { pa: 0x0000000040000000, translation_regime: "
                + "PhantomData<aarch64_paging::paging::Stage2>, va_range: (), level: 3, table:\n"
                + "0      : 0\n"
                + "1  -2  : 0x00000080000403 (0x0000000080000000, Stage2Attributes(VALID | TABLE_OR_PAGE | "
                + "ACCESS_FLAG))\n"
                + "3  -511: 0\n}, asid: (), active_count: 0 }", s2.toString());
        assertEquals(OptionalLong.empty(), s2.asid());
        assertEquals(PA_BASE, s2.ttbrValue());
        s2.close();
    }

    /**
     * A free the translation refuses while an active mapping drops: the crate would abort (a panic while unwinding);
     * here the drop's panic carries the translation's as suppressed (the javadoc of {@code Mapping.close}).
     */
    @Test
    void aRefusedFreeWhileDroppingAnActiveMappingIsSuppressedInThePanic() {
        TranslationPanic refusal = new TranslationPanic(TranslationPanic.Kind.BAD_FREE, "refused");
        RootTableTest.FailingAllocations refusing = new RootTableTest.FailingAllocations(arena) {
            @Override
            public void deallocateTable(java.lang.foreign.MemorySegment table) {
                throw refusal;
            }
        };
        Mapping<El1Attributes> m = Mapping.withAsidAndVaRange(refusing, 1, 1, El1And0.INSTANCE, VaRange.LOWER);
        m.activate();
        CratePanic drop = assertThrows(CratePanic.class, m::close);
        assertEquals("Dropping active page table mapping!", drop.getMessage());
        assertArrayEquals(new Throwable[] {refusal}, drop.getSuppressed());
    }

    /** compact_subtables keeps a table that still holds a page, and walks a level-3 table's pages as leaves. */
    @Test
    void compactionKeepsTablesWithLivePages() throws MapException {
        Mapping<El1Attributes> m = lower(1);
        m.mapRange(MemoryRegion.of(0, 0x2000), new PhysicalAddress(0x8000_0000L), MEMORY, Constraints.empty());
        m.mapRange(MemoryRegion.of(0x20_0000L, 0x20_1000L), new PhysicalAddress(0x9000_0000L), MEMORY,
                Constraints.empty());
        m.mapRange(MemoryRegion.of(0x20_0000L, 0x20_1000L), new PhysicalAddress(0), El1Attributes.fromBitsRetain(0),
                Constraints.empty());
        int before = arena.eventCount();
        m.compactSubtables();
        assertArrayEquals(new int[] {~3}, arena.eventsSince(before), "only the emptied level-3 table is freed");
        assertEquals(0x8000_1f07L, TableLayout.read(arena.table(arena.paOfSlot(2)), 1));
        assertEquals(0, TableLayout.read(arena.table(arena.paOfSlot(1)), 1));
        m.close();
    }
}
