package dev.pvmfw.mmu;

import dev.pvmfw.testing.Mmus;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.VirtualAddress;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.MapException;
import dev.pvmfw.paging.v0_4_0.RootTable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hardware-rules software walker: results per level, faults, leaves, and that it never writes. */
class WalkerTest {
    static final Attributes DEVICE = Attributes.of(Attributes.VALID, Attributes.EXECUTE_NEVER, Attributes.SWFLAG_0);
    final TableArena arena = TableArena.create(16);
    final RootTable root = new RootTable(arena, 1, VaRange.LOWER);

    @AfterEach
    void tearDown() {
        root.close();
        arena.close();
    }

    void map(long start, long end, Attributes flags) throws MapException {
        root.mapRange(MemoryRegion.of(start, end), new PhysicalAddress(start), flags);
    }

    @Test
    void emptyTableFaultsAtTheRootLevel() {
        WalkResult.Faulted f = assertInstanceOf(WalkResult.Faulted.class, Mmus.walk(root, 0x1234));
        assertEquals(WalkResult.FaultKind.TRANSLATION, f.kind());
        assertEquals(1, f.level());
        assertEquals(List.of(new WalkResult.Step(1, 0, 0)), f.steps());
    }

    @Test
    void pageLeafWithStepsPerLevel() throws MapException {
        map(0x9000_1000L, 0x9000_2000L, DEVICE);
        WalkResult.Translated t = assertInstanceOf(WalkResult.Translated.class, Mmus.walk(root, 0x9000_1abcL));
        assertEquals(3, t.steps().size());
        assertEquals(new WalkResult.Step(1, 2, 0x4000_1003L), t.steps().get(0));
        assertEquals(new WalkResult.Leaf(3, 0x9000_1abcL, 0x9000_1abcL, 0x00E0_0000_9000_1403L), t.leaf());
        assertEquals(4096, t.leaf().size());
        assertEquals(0x00E0_0000_0000_0403L, t.leaf().attributeBits());
        assertEquals(0, t.leaf().attrIndx());
    }

    @Test
    void blockLeafTranslatesTheOffset() throws MapException {
        map(0x4000_0000L, 0x4020_0000L, Attributes.of(Attributes.VALID, Attributes.NORMAL));
        WalkResult.Leaf leaf = Mmus.walk(root, 0x4012_3456L).leafIfTranslated().orElseThrow();
        assertEquals(2, leaf.level());
        assertEquals(0x4012_3456L, leaf.pa());
        assertEquals(1, leaf.attrIndx());
    }

    @Test
    void invalidLazyBlockFaultsAtItsLevel() throws MapException {
        map(0x0900_0000L, 0x0920_0000L, Attributes.of(Attributes.EXECUTE_NEVER, Attributes.SWFLAG_0));
        WalkResult.Faulted f = assertInstanceOf(WalkResult.Faulted.class, Mmus.walk(root, 0x0900_1000L));
        assertEquals(2, f.level());
        assertEquals(0x00E0_0000_0900_0400L, f.steps().getLast().descriptor());
    }

    @Test
    void level3Descriptor0b01IsReservedAndFaults() throws MapException {
        map(0x5000, 0x6000, Attributes.VALID);
        var l3 = arena.physicalToVirtual(new PhysicalAddress(arena.paOfSlot(2)));
        TableLayout.write(l3, 5, 0x5401L); // bits[1:0] = 0b01 at level 3
        WalkResult.Faulted f = assertInstanceOf(WalkResult.Faulted.class, Mmus.walk(root, 0x5000));
        assertEquals(3, f.level());
        assertTrue(Mmus.validLeaves(root).stream().noneMatch(l -> l.va() == 0x5000));
    }

    @Test
    void vaBeyondTheTableFaultsAtLevel0WithoutSteps() {
        for (long va : new long[] {1L << 39, 1L << 40, -1L}) {
            WalkResult.Faulted f = assertInstanceOf(WalkResult.Faulted.class, Mmus.walk(root, va));
            assertEquals(0, f.level());
            assertTrue(f.steps().isEmpty());
        }
    }

    @Test
    void level0BlockWrittenByTheCrateIsReservedForTheMmu() throws MapException {
        try (RootTable l0 = new RootTable(arena, 0, VaRange.LOWER)) {
            l0.mapRange(MemoryRegion.of(0, 512L << 30), new PhysicalAddress(0), Attributes.VALID);
            WalkResult.Faulted f = assertInstanceOf(WalkResult.Faulted.class, Mmus.walk(l0, 0x1000));
            assertEquals(0, f.level());
            assertTrue(Mmus.validLeaves(l0).isEmpty());
        }
    }

    @Test
    void unreadableTableIsAnExternalAbortOnTheWalk() {
        var rootSeg = arena.physicalToVirtual(new PhysicalAddress(arena.paOfSlot(0)));
        TableLayout.write(rootSeg, 3, 0x7_0000_0003L); // a "table" outside the arena
        WalkResult.Faulted f = assertInstanceOf(WalkResult.Faulted.class, Mmus.walk(root, 3L << 30));
        assertEquals(WalkResult.FaultKind.EXTERNAL_ABORT_ON_WALK, f.kind());
        assertEquals(2, f.level());
        TableLayout.write(rootSeg, 3, 0); // or the crate's drop would panic following it
    }

    @Test
    void hardwareIgnoresUnknownBitsInTableDescriptors() throws MapException {
        map(0x9000_1000L, 0x9000_2000L, DEVICE);
        var rootSeg = arena.physicalToVirtual(new PhysicalAddress(arena.paOfSlot(0)));
        TableLayout.write(rootSeg, 2, TableLayout.read(rootSeg, 2) | 1L << 63); // NSTable: unknown to 0.4.0
        assertTrue(Mmus.walk(root, 0x9000_1000L).isTranslated());
        // The crate disagrees: with unknown flags it is no table, so a valid level-1 "block".
        assertEquals(java.util.OptionalInt.of(1), root.mappingLevel(new VirtualAddress(0x9000_1000L)));
    }

    @Test
    void validLeavesInVaOrderAndTheWalkNeverWrites() throws MapException {
        map(0x9000_1000L, 0x9000_2000L, DEVICE);
        map(0x4000_0000L, 0x4020_0000L, Attributes.of(Attributes.VALID, Attributes.NORMAL));
        map(0x9000_3000L, 0x9000_4000L, Attributes.NORMAL); // invalid: skipped
        byte[] before = arena.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        List<WalkResult.Leaf> leaves = Mmus.validLeaves(root);
        assertEquals(List.of(0x4000_0000L, 0x9000_1000L), leaves.stream().map(WalkResult.Leaf::va).toList());
        for (long va = 0; va < 0x1_0000_0000L; va += 0x0fff_f000L) {
            Mmus.walk(root, va);
        }
        assertTrue(java.util.Arrays.equals(before, arena.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
    }

    @Test
    void upperRangeWalk() throws MapException {
        try (RootTable upper = new RootTable(arena, 1, VaRange.UPPER)) {
            long va = -(1L << 39) + 0x1000;
            upper.mapRange(MemoryRegion.of(va, va + 0x1000), new PhysicalAddress(0x8000_0000L), Attributes.VALID);
            assertEquals(0x8000_0000L, Mmus.walk(upper, va).leafIfTranslated().orElseThrow().pa());
            assertEquals(0, Mmus.walk(upper, 0x1000).steps().size()); // a lower-range VA: out of range
            assertEquals(List.of(va), Mmus.validLeaves(upper).stream().map(WalkResult.Leaf::va).toList());
        }
    }
}
