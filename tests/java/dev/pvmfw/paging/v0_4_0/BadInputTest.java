package dev.pvmfw.paging.v0_4_0;

import dev.pvmfw.paging.AllocatedTable;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.paging.UpdaterException;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.VirtualAddress;
import dev.pvmfw.paging.internal.TableLayout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pvmfw.paging.v0_4_0.linearmap.LinearMap;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets a typed error or the documented upstream outcome, never a stray exception, a crash or a silently
 * corrupted table. Where upstream leaves partial state, the state is pinned here.
 */
class BadInputTest {
    static final long GIB = 1L << 30;
    final TableArena arena = TableArena.create(16);

    @AfterEach
    void tearDown() {
        arena.close();
    }

    long entry(int slot, int index) {
        return TableLayout.read(arena.segment().asSlice(slot * 4096L, 4096), index);
    }

    static MapError mapError(RootTable root, long start, long end) {
        return assertThrows(MapException.class,
                () -> root.mapRange(MemoryRegion.of(start, end), new PhysicalAddress(0), Attributes.VALID)).error();
    }

    @Test
    void backwardsRegionIsRegionBackwardsBeforeAnyRangeCheck() {
        try (RootTable root = new RootTable(arena, 1, VaRange.LOWER)) {
            MapError e = mapError(root, 0x2000, 1);
            assertEquals(new MapError.RegionBackwards(MemoryRegion.of(0x2000, 0x1000)), e);
            assertEquals("End of memory region 0x0000000000002000..0x0000000000001000 is before start.", e.display());
            // backwards and out of range: backwards wins
            assertEquals(new MapError.RegionBackwards(MemoryRegion.of(1L << 45, 0x1000)), mapError(root, 1L << 45,
                    0x1000));
            assertArrayEquals(new int[] {0}, arena.eventLog());
        }
    }

    @Test
    void endBeyondSizeIsAddressRangeOfTheAlignedEnd() {
        try (RootTable root = new RootTable(arena, 1, VaRange.LOWER)) {
            assertEquals(new MapError.AddressRange(new VirtualAddress((1L << 39) + 0x1000)),
                    mapError(root, (1L << 39) - 1, (1L << 39) + 1));
        }
        for (int level = 0; level <= 3; level++) {
            try (TableArena a = TableArena.create(4); RootTable root = new RootTable(a, level, VaRange.LOWER)) {
                long size = 1L << (48 - 9 * level);
                assertEquals(size, root.size());
                assertDoesNotThrow(() -> root.mapRange(MemoryRegion.of(size - 1, size), new PhysicalAddress(0),
                        Attributes.empty()));
                assertEquals(new MapError.AddressRange(new VirtualAddress(size + 0x1000)),
                        mapError(root, size, size + 1));
            }
        }
    }

    @Test
    void negativeStartOnLowerRangeIsAddressRangeOfTheStart() {
        try (RootTable root = new RootTable(arena, 1, VaRange.LOWER)) {
            assertEquals(new MapError.AddressRange(new VirtualAddress(0x8000_0000_0000_0000L)),
                    mapError(root, 0x8000_0000_0000_0000L, 0x8000_0000_0000_1000L));
            assertEquals(new MapError.AddressRange(new VirtualAddress(-GIB)), mapError(root, -GIB, -GIB + 1));
        }
    }

    /** The last page below 2^64: the end rounds up to 0, so the region is backwards. */
    @Test
    void regionAtTheTopOfThe64BitSpaceIsBackwards() {
        try (RootTable lower = new RootTable(arena, 1, VaRange.LOWER)) {
            assertEquals(new MapError.RegionBackwards(MemoryRegion.of(0xFFFF_FFFF_FFFF_F000L, 0)),
                    mapError(lower, 0xFFFF_FFFF_FFFF_F000L, 0xFFFF_FFFF_FFFF_FFFFL));
        }
        try (TableArena a = TableArena.create(4); RootTable upper = new RootTable(a, 1, VaRange.UPPER)) {
            assertEquals(new MapError.RegionBackwards(MemoryRegion.of(-0x1000, 0)), mapError(upper, -0x1000, -1));
        }
    }

    @Test
    void rootLevelAbove3PanicsLikeTheCrateBeforeAllocating() {
        CratePanic p = assertThrows(CratePanic.class, () -> new RootTable(arena, 4, VaRange.LOWER));
        assertEquals("Invalid root table level 4.", p.getMessage());
        assertThrows(CratePanic.class, () -> new RootTable(arena, -1, VaRange.LOWER));
        assertEquals(0, arena.usedSlots());
    }

    @Test
    void upperRangeRejectsLowerAddressesAndAddressesBelowItsSize() {
        try (RootTable upper = new RootTable(arena, 1, VaRange.UPPER)) {
            assertEquals(new MapError.AddressRange(new VirtualAddress(0x1000)), mapError(upper, 0x1000, 0x2000));
            long bottom = -(1L << 39);
            assertEquals(new MapError.AddressRange(new VirtualAddress(bottom - 0x1000)),
                    mapError(upper, bottom - 0x1000, bottom));
            assertDoesNotThrow(() -> upper.mapRange(MemoryRegion.of(bottom, bottom + 0x1000), new PhysicalAddress(0),
                    Attributes.VALID));
            // The upper range indexes with the bits above its coverage discarded: the bottom is index 0.
            assertEquals(0x4000_1003L, entry(0, 0));
        }
    }

    @Test
    void upperRangeIsNotCheckedAtTheEnd() {
        try (RootTable upper = new RootTable(arena, 1, VaRange.UPPER)) {
            // end 0 would be backwards; an end far above is allowed (only the start is checked) but wraps the index.
            assertDoesNotThrow(() -> upper.mapRange(MemoryRegion.of(-0x2000, -0x1000), new PhysicalAddress(0),
                    Attributes.VALID));
        }
    }

    /**
     * Arena exhaustion in the middle of a split: the allocation happens before anything is written for that chunk, so
     * the failing entry is unchanged; the earlier split (L2 with its re-created garbage) stays linked. Rust panics in
     * the arena at the same point and leaves the same bytes.
     */
    @Test
    void arenaExhaustionMidSplitLeavesEarlierWorkLinkedAndFailingEntryUnchanged() {
        try (TableArena small = TableArena.create(2); RootTable root = new RootTable(small, 1, VaRange.LOWER)) {
            TranslationPanic e = assertThrows(TranslationPanic.class,
                    () -> root.mapRange(MemoryRegion.of(0, 0x1000), new PhysicalAddress(0), Attributes.VALID));
            assertEquals(TranslationPanic.Kind.EXHAUSTED, e.kind());
            assertEquals("arena exhausted: all 2 slots in use", e.getMessage());
            assertArrayEquals(new int[] {0, 1}, small.eventLog());
            assertEquals(0x4000_1003L, TableLayout.read(small.segment(), 0));
            MemoryRegionChecks.assertL2Garbage(small.segment().asSlice(4096, 4096));
        }
    }

    /** Exhaustion on the second chunk: the first chunk's page is mapped, the second entry is untouched. */
    @Test
    void arenaExhaustionOnALaterChunkKeepsEarlierChunks() throws MapException {
        try (TableArena small = TableArena.create(3); RootTable root = new RootTable(small, 1, VaRange.LOWER)) {
            assertThrows(TranslationPanic.class, () -> root.mapRange(MemoryRegion.of(0x1FF000, 0x201000),
                    new PhysicalAddress(0x1FF000), Attributes.VALID));
            assertEquals(0x1FF403L, TableLayout.read(small.segment().asSlice(2 * 4096, 4096), 511));
            assertEquals(0x200400L, TableLayout.read(small.segment().asSlice(4096, 4096), 1));
            assertEquals(java.util.OptionalInt.of(3), root.mappingLevel(new VirtualAddress(0x1FF000)));
        }
    }

    @Test
    void useAfterCloseIsATypedError() {
        RootTable root = new RootTable(arena, 1, VaRange.LOWER);
        root.close();
        root.close(); // idempotent
        MemoryLifetimeException e = assertThrows(MemoryLifetimeException.class,
                () -> root.mapRange(MemoryRegion.of(0, 0x1000), new PhysicalAddress(0), Attributes.VALID));
        assertEquals(MemoryLifetimeException.Kind.CLOSED, e.kind());
        assertThrows(MemoryLifetimeException.class, () -> root.modifyRange(MemoryRegion.of(0, 1), (r, d, l) -> true));
        assertThrows(MemoryLifetimeException.class, () -> root.mappingLevel(new VirtualAddress(0)));
        assertEquals("RootTable { dropped }", root.toString());
    }

    @Test
    void closedArenaUnderARootTableIsATypedError() {
        TableArena own = TableArena.create(4);
        RootTable root = new RootTable(own, 1, VaRange.LOWER);
        own.close();
        MemoryLifetimeException e = assertThrows(MemoryLifetimeException.class,
                () -> root.mapRange(MemoryRegion.of(0, 0x1000), new PhysicalAddress(0), Attributes.VALID));
        assertEquals(MemoryLifetimeException.Kind.CLOSED, e.kind());
        assertThrows(MemoryLifetimeException.class, own::allocateTable);
        assertDoesNotThrow(root::close);
    }

    @Test
    void confinedMemoryUsedFromAnotherThreadIsATypedError() throws Exception {
        try (Arena confined = Arena.ofConfined()) {
            TableArena over = TableArena.over(confined.allocate(4 * 4096, 4096), TableArena.DEFAULT_PA_BASE);
            RootTable root = new RootTable(over, 1, VaRange.LOWER);
            CompletableFuture<Object> elsewhere = CompletableFuture.supplyAsync(() -> {
                try {
                    root.mapRange(MemoryRegion.of(0, 0x1000), new PhysicalAddress(0), Attributes.VALID);
                    return "mapped";
                } catch (MemoryLifetimeException | MapException e) {
                    return e;
                }
            });
            Object outcome = elsewhere.get();
            assertEquals(MemoryLifetimeException.Kind.WRONG_THREAD, ((MemoryLifetimeException) outcome).kind());
            root.close();
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    /** A failing updater: PteUpdateFault carries the entry as the updater left it; earlier changes stay. */
    @Test
    void pteUpdateFaultCarriesTheDescriptorAfterTheCallbackAndKeepsEarlierChanges() throws MapException {
        try (RootTable root = new RootTable(arena, 1, VaRange.LOWER)) {
            root.mapRange(MemoryRegion.of(0, 0x3000), new PhysicalAddress(0), Attributes.VALID);
            List<Long> seen = new ArrayList<>();
            MapException e = assertThrows(MapException.class, () -> root.modifyRange(MemoryRegion.of(0, 0x3000),
                    (range, d, level) -> {
                        if (level < 3) {
                            return true;
                        }
                        seen.add(range.startValue());
                        d.modifyFlags(Attributes.SWFLAG_1, Attributes.empty());
                        return range.startValue() != 0x1000;
                    }));
            assertEquals(new MapError.PteUpdateFault(0x0100_0000_0000_1403L), e.error());
            assertEquals(List.of(0L, 0x1000L), seen);
            assertEquals(0x0100_0000_0000_0403L, entry(2, 0));
            assertEquals(0x2403L, entry(2, 2));
        }
    }

    /**
     * An updater that throws a Java exception (no Rust counterpart): it comes out wrapped in an UpdaterException
     * naming the call it broke (range, level, the descriptor before the call), the exception as its cause; earlier
     * changes stay.
     */
    @Test
    void updaterExceptionIsWrappedWithTheCallItBroke() throws MapException {
        try (RootTable root = new RootTable(arena, 1, VaRange.LOWER)) {
            root.mapRange(MemoryRegion.of(0, 0x2000), new PhysicalAddress(0), Attributes.VALID);
            IllegalStateException boom = new IllegalStateException("boom");
            UpdaterException thrown = assertThrows(UpdaterException.class,
                    () -> root.modifyRange(MemoryRegion.of(0, 0x2000), (range, d, level) -> {
                        if (level == 3 && range.startValue() == 0x1000) {
                            throw boom;
                        }
                        d.modifyFlags(Attributes.SWFLAG_2, Attributes.empty());
                        return true;
                    }));
            assertSame(boom, thrown.getCause());
            assertEquals(MemoryRegion.of(0x1000, 0x2000), thrown.range());
            assertEquals(3, thrown.level());
            assertEquals(0x1403L, thrown.descriptor());
            assertEquals("the updater threw java.lang.IllegalStateException (boom) for "
                    + MemoryRegion.of(0x1000, 0x2000) + " at level 3, descriptor 0x1403", thrown.getMessage());
            assertEquals(0x0200_0000_0000_0403L, entry(2, 0));
            assertEquals(0x1403L, entry(2, 1));
        }
    }

    /** A CratePanic from an updater is a Rust panic in the callback: it unwinds unchanged, as in Rust. */
    @Test
    void updaterPanicPropagatesUnchanged() throws MapException {
        try (RootTable root = new RootTable(arena, 1, VaRange.LOWER)) {
            root.mapRange(MemoryRegion.of(0, 0x1000), new PhysicalAddress(0), Attributes.VALID);
            CratePanic panic = new CratePanic("called `Option::unwrap()` on a `None` value");
            assertSame(panic, assertThrows(CratePanic.class, () -> root.modifyRange(MemoryRegion.of(0, 0x1000),
                    (range, d, level) -> {
                        throw panic;
                    })));
        }
    }

    /** LinearMap computes the PA first: InvalidVirtualAddress precedes RegionBackwards and AddressRange. */
    @Test
    void linearMapInvalidVirtualAddressComesFirst() {
        try (LinearMap map = new LinearMap(1, 1, -0x2000, VaRange.LOWER)) {
            MapException e = assertThrows(MapException.class,
                    () -> map.mapRange(MemoryRegion.of(0x1000, 0), Attributes.VALID));
            assertEquals(new MapError.InvalidVirtualAddress(new VirtualAddress(0x1000)), e.error());
        }
    }

    /** An offset that gives the tables themselves no PA: the crate's {@code expect} panics when allocating the root. */
    @Test
    void linearMapWhoseTablesHaveNoPhysicalAddressPanicsLikeTheCrate() {
        CratePanic p = assertThrows(CratePanic.class,
                () -> new LinearMap(1, 1, Long.MAX_VALUE & ~0xFFFL, VaRange.LOWER));
        assertEquals("Allocated subtable with virtual address which doesn't correspond to any physical address.: "
                + "InvalidVirtualAddress(VirtualAddress(0x0000100000000000))", p.getMessage());
    }

    @Test
    void linearMapMisalignedOffsetPanicsLikeTheCrate() {
        CratePanic p = assertThrows(CratePanic.class, () -> new LinearMap(1, 1, 4095, VaRange.LOWER));
        assertEquals("Invalid offset 4095, must be a multiple of page size 4096.", p.getMessage());
    }

    @Test
    void arenaRejectsForeignAndDoubleFrees() {
        AllocatedTable t = arena.allocateTable();
        arena.deallocateTable(t.table());
        TranslationPanic e = assertThrows(TranslationPanic.class, () -> arena.deallocateTable(t.table()));
        assertEquals("arena slot 0 freed twice", e.getMessage());
        try (Arena other = Arena.ofConfined()) {
            assertEquals(TranslationPanic.Kind.BAD_FREE, assertThrows(TranslationPanic.class,
                    () -> arena.deallocateTable(other.allocate(4096, 4096))).kind());
        }
        assertEquals("physical address 0x0000000040000000 is free arena slot 0", assertThrows(
                TranslationPanic.class, () -> arena.physicalToVirtual(new PhysicalAddress(0x4000_0000L)))
                .getMessage());
    }
}
