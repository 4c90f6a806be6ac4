package dev.pvmfw.paging.v0_12_1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.AllocatedTable;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.VirtualAddress;
import dev.pvmfw.paging.internal.TableLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@code RootTable} beyond the crate's own tests: the crate-private {@code modify_range}'s TLB-maintenance result
 * (aarch64-paging 0.12.1 {@code src/paging.rs}, {@code PageTableWithLevel::modify_range}: {@code modified} is set only
 * when {@code live && desc.updated()}, through every level), the VA range it was made for, and the Java lifetime
 * contract of the class javadoc: once closed, or once the memory goes away (also part-way through an operation),
 * every operation fails with {@link MemoryLifetimeException} CLOSED; any other {@link IllegalStateException} is
 * rethrown as it is.
 */
class RootTableTest {
    static final long PA_BASE = 0x4000_0000L;
    /** VALID | TABLE_OR_PAGE-free page flags: ATTRIBUTE_INDEX_1 | INNER_SHAREABLE | ACCESSED | VALID. */
    static final El1Attributes MEMORY = El1Attributes.fromBitsRetain(0x705);
    static final long BLOCK_2M = 0x20_0000L;

    TableArena arena;

    @BeforeEach
    void setUp() {
        arena = TableArena.create(16, PA_BASE);
    }

    @AfterEach
    void tearDown() {
        arena.close();
    }

    RootTable<El1Attributes> lower() {
        return RootTable.withVaRange(arena, 1, El1And0.INSTANCE, VaRange.LOWER);
    }

    static Updater<El1Attributes> swflagOnlyAt(long start) {
        return (range, d) -> range.startValue() != start
                || d.modifyFlags(El1Attributes.SWFLAG_0, El1Attributes.fromBitsRetain(0));
    }

    @Test
    void modifyRangeReportsALiveChangeOfAnyPageOfTheRange() throws MapException {
        RootTable<El1Attributes> root = lower();
        root.mapRange(MemoryRegion.of(0, 0x3000), new PhysicalAddress(0x8000_0000L), MEMORY, Constraints.empty());
        MemoryRegion range = MemoryRegion.of(0, 0x3000);
        assertTrue(root.modifyRange(range, swflagOnlyAt(0), true), "first page changed");
        assertTrue(root.modifyRange(range, swflagOnlyAt(0x2000), true), "last page changed");
        assertFalse(root.modifyRange(range, swflagOnlyAt(0x2000), true), "SWFLAG_0 already set: no change");
        assertFalse(root.modifyRange(range, (r, d) -> true, true), "nothing changed");
        assertFalse(root.modifyRange(range, swflagOnlyAt(0x1000), false), "a change, but not live");
        assertEquals(0x8000_1707L | El1Attributes.SWFLAG_0.bits(),
                TableLayout.read(arena.table(arena.paOfSlot(2)), 1), "the non-live change was written");
        root.close();
    }

    @Test
    void modifyRangeReportsALiveChangeOfABlockAtEveryLevelOfTheWalk() throws MapException {
        RootTable<El1Attributes> root = lower();
        // Block 0 at level 2, then pages in the second 2 MiB: the walk meets a level-2 leaf and a level-3 table.
        root.mapRange(MemoryRegion.of(0, 2 * BLOCK_2M), new PhysicalAddress(0x8000_0000L), MEMORY,
                Constraints.empty());
        root.mapRange(MemoryRegion.of(BLOCK_2M, BLOCK_2M + 0x1000), new PhysicalAddress(0x9000_0000L), MEMORY,
                Constraints.empty());
        MemoryRegion both = MemoryRegion.of(0, BLOCK_2M + 0x1000);
        assertTrue(root.modifyRange(both, swflagOnlyAt(0), true), "the block, then an unchanged page");
        assertTrue(root.modifyRange(both, swflagOnlyAt(BLOCK_2M), true), "an unchanged block, then the page");
        assertFalse(root.modifyRange(both, (r, d) -> true, true));
        root.close();
    }

    @Test
    void vaRangeIsTheOneItWasMadeForAndLowerWithoutOne() {
        RootTable<El1Attributes> upper = RootTable.withVaRange(arena, 1, El1And0.INSTANCE, VaRange.UPPER);
        assertEquals(VaRange.UPPER, upper.vaRange());
        upper.close();
        RootTable<Stage2Attributes> stage2 = new RootTable<>(arena, 1, Stage2.INSTANCE);
        assertEquals(VaRange.LOWER, stage2.vaRange());
        stage2.close();
    }

    @Test
    void everyOperationOfAClosedTableFailsClosed() throws MapException {
        RootTable<El1Attributes> root = lower();
        root.mapRange(MemoryRegion.of(0, 0x1000), new PhysicalAddress(0x8000_0000L), MEMORY, Constraints.empty());
        root.close();
        assertTrue(root.isClosed());
        MemoryRegion page = MemoryRegion.of(0, 0x1000);
        List<Executable> operations = List.of(
                () -> root.mapRange(page, new PhysicalAddress(0), MEMORY, Constraints.empty()),
                () -> root.modifyRange(page, (r, d) -> true, false),
                () -> root.walkRange(page, (r, d, l) -> true),
                root::compactSubtables,
                () -> root.mappingLevel(new VirtualAddress(0)),
                root::rootSegment,
                root::debug);
        for (Executable operation : operations) {
            MemoryLifetimeException e = assertThrows(MemoryLifetimeException.class, operation);
            assertEquals(MemoryLifetimeException.Kind.CLOSED, e.kind());
        }
        assertTrue(root.toString().contains("dropped"), root.toString());
        root.close();
    }

    @Test
    void memoryReleasedDuringAnOperationFailsClosed() throws MapException {
        Arena memory = Arena.ofConfined(); // closed by the updater
        MemorySegment buffer = memory.allocate(8L * TableLayout.TABLE_SIZE, TableLayout.TABLE_ALIGNMENT);
        TableArena over = TableArena.over(buffer, PA_BASE);
        RootTable<El1Attributes> root = RootTable.withVaRange(over, 1, El1And0.INSTANCE, VaRange.LOWER);
        root.mapRange(MemoryRegion.of(0, 0x2000), new PhysicalAddress(0x8000_0000L), MEMORY, Constraints.empty());
        AtomicInteger calls = new AtomicInteger();
        MemoryLifetimeException e = assertThrows(MemoryLifetimeException.class,
                () -> root.modifyRange(MemoryRegion.of(0, 0x2000), (r, d) -> {
                    calls.incrementAndGet();
                    memory.close();
                    return true;
                }, false));
        assertEquals(MemoryLifetimeException.Kind.CLOSED, e.kind());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(1, calls.get(), "the second page was never reached");
        String text = root.toString();
        assertTrue(text.contains("level: 1") && text.contains(new PhysicalAddress(PA_BASE).toString()), text);
        root.close();
        assertTrue(root.isClosed());
    }

    /** A translation that fails as a bug would, with its memory alive: allocations after the root throw. */
    static class FailingAllocations implements Translation {
        final TableArena arena;
        final IllegalStateException failure = new IllegalStateException("not a lifetime failure");
        int allocations;

        FailingAllocations(TableArena arena) {
            this.arena = arena;
        }

        @Override
        public AllocatedTable allocateTable() {
            if (allocations++ > 0) {
                throw failure;
            }
            return arena.allocateTable();
        }

        @Override
        public void deallocateTable(MemorySegment table) {
            arena.deallocateTable(table);
        }

        @Override
        public MemorySegment physicalToVirtual(PhysicalAddress pa) {
            return arena.physicalToVirtual(pa);
        }

        @Override
        public MemorySegment table(long pa) {
            return arena.table(pa);
        }
    }

    @Test
    void anotherIllegalStateWithTheMemoryAliveIsRethrownAsItIs() {
        FailingAllocations translation = new FailingAllocations(arena);
        RootTable<El1Attributes> root = RootTable.withVaRange(translation, 1, El1And0.INSTANCE, VaRange.LOWER);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> root.mapRange(
                MemoryRegion.of(0, 0x1000), new PhysicalAddress(0x8000_0000L), MEMORY, Constraints.empty()));
        assertSame(translation.failure, e);
        root.close();
    }

    @Test
    void toStringIsTheDebugTextWhileOpen() {
        RootTable<El1Attributes> root = lower();
        assertEquals(root.debug(), root.toString());
        root.close();
    }

    /** {@code verify_region}: only {@code end < start} is backwards; an empty region passes and visits nothing. */
    @Test
    void anEmptyRegionIsNotBackwards() throws MapException {
        RootTable<El1Attributes> root = lower();
        AtomicInteger calls = new AtomicInteger();
        root.walkRange(MemoryRegion.of(0x1000, 0x1000), (r, d, l) -> calls.incrementAndGet() > 0);
        root.modifyRange(MemoryRegion.of(0x1000, 0x1000), (r, d) -> calls.incrementAndGet() > 0, false);
        assertEquals(0, calls.get());
        root.close();
    }

    /**
     * The Rust borrow of an {@code UpdatableDescriptor} ends with the updater's call, for the real descriptor and for
     * the dry run's live clone alike (the class javadoc of {@link UpdatableDescriptor}).
     */
    @Test
    void anUpdatableDescriptorIsUsableOnlyDuringItsCall() throws MapException {
        Mapping<El1Attributes> m = Mapping.withAsidAndVaRange(arena, 1, 1, El1And0.INSTANCE, VaRange.LOWER);
        m.mapRange(MemoryRegion.of(0, 0x1000), new PhysicalAddress(0x8000_0000L), MEMORY, Constraints.empty());
        List<UpdatableDescriptor<El1Attributes>> kept = new java.util.ArrayList<>();
        m.modifyRange(MemoryRegion.of(0, 0x1000), (r, d) -> kept.add(d));
        m.activate();
        m.modifyRange(MemoryRegion.of(0, 0x1000), (r, d) -> kept.add(d));
        m.deactivate(Mapping.NO_PREVIOUS_TTBR);
        assertEquals(3, kept.size(), "inactive: the real one; active: the clone, then the real one");
        assertTrue(kept.get(1).isDryRunClone());
        for (UpdatableDescriptor<El1Attributes> d : kept) {
            assertThrows(IllegalStateException.class, d::bits);
        }
        m.close();
    }
}
