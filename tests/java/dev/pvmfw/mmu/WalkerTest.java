package dev.pvmfw.mmu;

import dev.pvmfw.testing.Mmus;
import dev.pvmfw.testing.Property;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.DescriptorBits;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.PhysicalMemory;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.SlotMemory;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.VirtualAddress;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.MapException;
import dev.pvmfw.paging.v0_4_0.RootTable;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

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

    // Hand-written tables, independent of any crate: slot i of the memory is the table at PA IMAGE_BASE + 4096·i.

    static final long IMAGE_BASE = 0x4000_0000L;
    /** A valid level-3 page or table descriptor's low bits (0b11) and a leaf's AF: {@code 0x403}. */
    static final long PAGE_AF = 0x403;
    static final long BLOCK_AF = 0x401;
    static final long TABLE = 0b11;

    static MemorySegment slots(int n) {
        return MemorySegment.ofArray(new byte[n * 4096]);
    }

    static void put(MemorySegment bytes, int slot, int index, long descriptor) {
        TableLayout.write(bytes.asSlice(slot * 4096L, 4096), index, descriptor);
    }

    static long pa(int slot) {
        return IMAGE_BASE + slot * 4096L;
    }

    static SlotMemory memory(MemorySegment bytes) {
        return new SlotMemory(bytes, IMAGE_BASE);
    }

    @Test
    void validLeavesListASharedTableAtEveryVaThatReachesIt() {
        // root[2] and root[3] point at the same level-2 table; under it, one page at +0x1000.
        MemorySegment b = slots(3);
        put(b, 0, 2, pa(1) | TABLE);
        put(b, 0, 3, pa(1) | TABLE);
        put(b, 1, 0, pa(2) | TABLE);
        long page = 0x0900_1000L | PAGE_AF | DescriptorKind.SOFTWARE_BIT_55;
        put(b, 2, 1, page);
        MmuConfig config = MmuConfig.pvmfw();
        // root[2] covers VA 2 GiB.., root[3] 3 GiB..; L2[0] adds 0, L3[1] adds 4 KiB.
        assertEquals(0x0900_1234L, Walker.walk(memory(b), config, pa(0), 0xC000_1234L)
                .leafIfTranslated().orElseThrow().pa());
        assertEquals(List.of(new WalkResult.Leaf(3, 0x8000_1000L, 0x0900_1000L, page),
                new WalkResult.Leaf(3, 0xC000_1000L, 0x0900_1000L, page)),
                Walker.validLeaves(memory(b), config, pa(0)));
    }

    @Test
    void validLeavesFollowACycleAsTheHardwareDoesOneLevelDownAndEnd() {
        // root[0] points back at the root: the walk reads the root again as a level-2 table, then as a level-3 one.
        MemorySegment b = slots(1);
        put(b, 0, 0, pa(0) | TABLE);
        put(b, 0, 1, 0x4000_0000L | BLOCK_AF);
        MmuConfig config = MmuConfig.pvmfw();
        SlotMemory m = memory(b);
        // As level 1: root[1] is a 1 GiB block at VA 1 GiB. As level 2 (VA 0..1 GiB): entry 1 is a 2 MiB block at VA
        // 2 MiB. As level 3 (VA 0..2 MiB): entry 0 (0b11) is a page whose output address is the root's own PA, and
        // entry 1 (0b01) is reserved.
        List<WalkResult.Leaf> expected = List.of(new WalkResult.Leaf(3, 0, pa(0), pa(0) | TABLE),
                new WalkResult.Leaf(2, 0x20_0000L, 0x4000_0000L, 0x4000_0000L | BLOCK_AF),
                new WalkResult.Leaf(1, 0x4000_0000L, 0x4000_0000L, 0x4000_0000L | BLOCK_AF));
        assertEquals(expected, Walker.validLeaves(m, config, pa(0)));
        assertEquals(pa(0) + 0x234, Walker.walk(m, config, pa(0), 0x234).leafIfTranslated().orElseThrow().pa());
        assertEquals(0x4000_1234L, Walker.walk(m, config, pa(0), 0x20_1234L).leafIfTranslated().orElseThrow().pa());
        assertEquals(WalkResult.FaultKind.TRANSLATION,
                assertInstanceOf(WalkResult.Faulted.class, Walker.walk(m, config, pa(0), 0x1000)).kind());
        // The traversal, which reads each table once, reports the cycle and does not follow it.
        List<TableVisitor.NotFollowed> notFollowed = new java.util.ArrayList<>();
        Walker.traverse(m, config, pa(0), new TableVisitor() {
            @Override
            public void notFollowed(long tablePa, int index, int level, long va, long descriptor, NotFollowed why,
                    long otherParentPa, int otherParentIndex) {
                notFollowed.add(why);
            }
        });
        assertEquals(List.of(TableVisitor.NotFollowed.CYCLE), notFollowed);
    }

    @Test
    void validLeavesOfATableWhoseEveryEntryPointsAtItselfEndAtLevel3() {
        // The worst cycle: every root entry points at the root. Root level 2 keeps it small: 512 × 512 pages.
        MemorySegment b = slots(1);
        for (int i = 0; i < 512; i++) {
            put(b, 0, i, pa(0) | TABLE);
        }
        List<WalkResult.Leaf> leaves = Walker.validLeaves(memory(b), MmuConfig.of(2, VaRange.LOWER), pa(0));
        assertEquals(512 * 512, leaves.size());
        assertEquals(new WalkResult.Leaf(3, 0x3fff_f000L, pa(0), pa(0) | TABLE), leaves.getLast());
    }

    /**
     * On random small images (table pointers into the image, cycles and sharing included, at every root level, both
     * VA ranges, 48- and 36-bit output addresses, either answer outside the tables), {@link Walker#validLeaves} is
     * exactly what {@link Walker#walk} ends in: every leaf listed translates at its first and last byte to itself,
     * leaves are in VA order without overlap, and every VA the walk translates lies in the listed leaf it names.
     */
    @Test
    void validLeavesAreExactlyTheLeavesTheWalkEndsIn() {
        Property.forAll("WalkerTest#validLeavesAreExactlyTheLeavesTheWalkEndsIn", 300,
                r -> new long[] {r.nextLong()}, in -> {
                    java.util.SplittableRandom r = new java.util.SplittableRandom(in[0]);
                    int n = 1 + r.nextInt(3);
                    int[] used = {0, 1, 2 + r.nextInt(509), 511};
                    MemorySegment b = slots(n);
                    for (int slot = 0; slot < n; slot++) {
                        for (int index : used) {
                            put(b, slot, index, switch (r.nextInt(6)) {
                                case 0 -> 0;
                                case 1 -> pa(r.nextInt(n + 1)) | TABLE | (r.nextLong() & 0xfff0_0000_0000_0ffcL);
                                case 2 -> (r.nextLong() & 0x0000_ffff_ffe0_0000L) | BLOCK_AF;
                                case 3 -> (r.nextLong() & 0x0000_ffff_ffff_f000L) | PAGE_AF;
                                case 4 -> pa(r.nextInt(n)) | TABLE;
                                default -> r.nextLong();
                            });
                        }
                    }
                    MmuConfig config = MmuConfig.of(r.nextInt(4), r.nextBoolean() ? VaRange.LOWER : VaRange.UPPER)
                            .withOutputBits(r.nextBoolean() ? 48 : 36)
                            .withOutsideTables(r.nextBoolean() ? MmuConfig.OutsideTables.EXTERNAL_ABORT
                                    : MmuConfig.OutsideTables.READS_AS_ZERO);
                    SlotMemory m = memory(b);
                    List<WalkResult.Leaf> leaves = Walker.validLeaves(m, config, pa(0));
                    for (int k = 0; k < leaves.size(); k++) {
                        WalkResult.Leaf l = leaves.get(k);
                        if (k > 0) {
                            WalkResult.Leaf prev = leaves.get(k - 1);
                            assertTrue(Long.compareUnsigned(prev.va() + prev.size() - 1, l.va()) < 0, prev + " " + l);
                        }
                        assertEquals(l, Walker.walk(m, config, pa(0), l.va()).leafIfTranslated().orElseThrow());
                        WalkResult.Leaf last = Walker.walk(m, config, pa(0), l.va() + l.size() - 1)
                                .leafIfTranslated().orElseThrow();
                        assertEquals(l.descriptor(), last.descriptor());
                        assertEquals(l.pa() + l.size() - 1, last.pa());
                    }
                    for (int t = 0; t < 64; t++) {
                        long va = config.vaBase();
                        for (int level = config.rootLevel(); level <= 3; level++) {
                            va += used[r.nextInt(used.length)] * Geometry.granularityAtLevel(level);
                        }
                        va += r.nextInt(4096);
                        WalkResult w = Walker.walk(m, config, pa(0), va);
                        if (w instanceof WalkResult.Translated tr) {
                            long at = va;
                            WalkResult.Leaf home = leaves.stream().filter(l -> Long.compareUnsigned(at, l.va()) >= 0
                                    && Long.compareUnsigned(at - l.va(), l.size()) < 0).findFirst().orElseThrow(
                                            () -> new AssertionError("0x" + Long.toHexString(at) + " not listed"));
                            assertEquals(home.descriptor(), tr.leaf().descriptor());
                            assertEquals(home.pa() + (va - home.va()), tr.leaf().pa());
                        }
                    }
                });
    }

    // Memory that is gone is a lifetime error for every walker, never a fault.

    static void assertClosed(Executable call) {
        MemoryLifetimeException e = assertThrows(MemoryLifetimeException.class, call);
        assertEquals(MemoryLifetimeException.Kind.CLOSED, e.kind(), e.getMessage());
    }

    /** Walk, access, traverse and validLeaves of {@code memory} all throw CLOSED. */
    static void assertEveryWalkerSaysClosed(PhysicalMemory memory, long rootPa) {
        MmuConfig config = MmuConfig.pvmfw();
        assertClosed(() -> Walker.walk(memory, config, rootPa, 0x1000));
        assertClosed(() -> Walker.access(memory, config, rootPa, 0x1000, true));
        assertClosed(() -> Walker.traverse(memory, config, rootPa, new TableVisitor() {}));
        assertClosed(() -> Walker.validLeaves(memory, config, rootPa));
    }

    @Test
    void aClosedArenaIsALifetimeErrorForEveryWalker() throws MapException {
        TableArena own = TableArena.create(4);
        RootTable table = new RootTable(own, 1, VaRange.LOWER);
        table.mapRange(MemoryRegion.of(0x1000, 0x2000), new PhysicalAddress(0x1000), Attributes.VALID);
        long rootPa = table.toPhysical().value();
        own.close();
        assertEveryWalkerSaysClosed(own, rootPa);
        table.close();
    }

    @Test
    void aDroppedPageTableIsALifetimeErrorNotAnAbortOnTheWalk() throws Exception {
        TableArena own = TableArena.create(8);
        try (own) {
            PvmfwPageTable pt = new PvmfwPageTable(own);
            pt.mapDevice(0x1000, 0x2000);
            PhysicalMemory memory = pt.memory();
            long rootPa = pt.rootPa();
            assertTrue(Walker.walk(memory, MmuConfig.pvmfw(), rootPa, 0x1000).isTranslated());
            pt.close();
            assertEveryWalkerSaysClosed(memory, rootPa);
            assertEveryWalkerSaysClosed(Mmus.memory(pt.rootTable()), rootPa);
            // The arena itself is open and only knows that its slot is free: to a walk given the arena, no table.
            assertEquals(WalkResult.FaultKind.EXTERNAL_ABORT_ON_WALK, assertInstanceOf(WalkResult.Faulted.class,
                    Walker.walk(own, MmuConfig.pvmfw(), rootPa, 0x1000)).kind());
        }
    }

    @Test
    void aClosedIdTranslationIsALifetimeError() throws Exception {
        PvmfwPageTable pt = new PvmfwPageTable(); // its own IdTranslation, whose heap the page table closes
        pt.mapDevice(0x1000, 0x2000);
        long rootPa = pt.rootPa();
        PhysicalMemory heap = pt.rootTable().translation();
        pt.close();
        assertEveryWalkerSaysClosed(heap, rootPa);
    }

    @Test
    void releasedImageMemoryIsALifetimeErrorAndAnotherThreadsIsWrongThread() throws Exception {
        long rootPa = IMAGE_BASE;
        java.lang.foreign.Arena confined = java.lang.foreign.Arena.ofConfined();
        MemorySegment b = confined.allocate(4096, 4096);
        TableLayout.write(b, 0, 0x4000_0000L | BLOCK_AF);
        SlotMemory m = new SlotMemory(b, IMAGE_BASE);
        assertTrue(Walker.walk(m, MmuConfig.pvmfw(), rootPa, 0x1000).isTranslated());
        AtomicReference<Throwable> other = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                Walker.walk(m, MmuConfig.pvmfw(), rootPa, 0x1000);
            } catch (Throwable e) {
                other.set(e);
            }
        });
        t.join();
        MemoryLifetimeException e = assertInstanceOf(MemoryLifetimeException.class, other.get());
        assertEquals(MemoryLifetimeException.Kind.WRONG_THREAD, e.kind());
        confined.close();
        assertEveryWalkerSaysClosed(m, rootPa);
    }

    @Test
    void aRootPaWithNoTableIsTheHardwaresBusinessAtTheRootLevel() {
        SlotMemory m = memory(slots(1));
        long nowhere = pa(1);
        MmuConfig abort = MmuConfig.pvmfw();
        WalkResult.Faulted f = assertInstanceOf(WalkResult.Faulted.class, Walker.walk(m, abort, nowhere, 0x4000_1000L));
        assertEquals(WalkResult.FaultKind.EXTERNAL_ABORT_ON_WALK, f.kind());
        assertEquals(1, f.level());
        assertEquals(List.of(), f.steps());
        MmuConfig zero = abort.withOutsideTables(MmuConfig.OutsideTables.READS_AS_ZERO);
        f = assertInstanceOf(WalkResult.Faulted.class, Walker.walk(m, zero, nowhere, 0x4000_1000L));
        assertEquals(WalkResult.FaultKind.TRANSLATION, f.kind());
        assertEquals(1, f.level());
        assertEquals(List.of(new WalkResult.Step(1, 1, 0)), f.steps());
        List<String> reports = new java.util.ArrayList<>();
        Walker.traverse(m, abort, nowhere, new TableVisitor() {
            @Override
            public void rootNotFollowed(long rootPa, int level, NotFollowed why) {
                reports.add(Long.toHexString(rootPa) + " L" + level + " " + why);
            }

            @Override
            public void enterTable(long pa, int level, long baseVa, long parentPa, int parentIndex) {
                reports.add("entered");
            }
        });
        assertEquals(List.of("40001000 L1 OUTSIDE_MEMORY"), reports);
        assertEquals(List.of(), Walker.validLeaves(m, abort, nowhere));
    }

    // The MMU's options, each against the Arm ARM's rules (DDI 0487, D8 "The AArch64 Virtual Memory System
    // Architecture"; the pseudocode AArch64.TranslationTableWalk checks, in order: the walk's translation faults, the
    // address size of each table and output address, then the Access flag, then permissions).

    static MmuConfig config(int outputBits, boolean ha, boolean hd) {
        return MmuConfig.of(1, VaRange.LOWER).withOutputBits(outputBits).withHardwareManagement(ha, hd);
    }

    /** Root (slot 0) -> root[0] -> L2 (slot 1) -> L2[0] -> L3 (slot 2), whose entry 5 (VA 0x5000) is {@code leaf}. */
    static SlotMemory pageAt0x5000(long leaf) {
        MemorySegment b = slots(3);
        put(b, 0, 0, pa(1) | TABLE);
        put(b, 1, 0, pa(2) | TABLE);
        put(b, 2, 5, leaf);
        return memory(b);
    }

    static WalkResult.Faulted faulted(WalkResult r) {
        return assertInstanceOf(WalkResult.Faulted.class, r);
    }

    @Test
    void accessFlagClearFaultsAtTheLeafLevelUnlessTheHardwareManagesIt() {
        SlotMemory m = pageAt0x5000(0x0900_0000L | 0b11); // a valid page, AF (bit 10) clear
        assertTrue(Walker.walk(m, config(48, false, false), pa(0), 0x5000).isTranslated()); // the walk itself is fine
        WalkResult.Faulted f = faulted(Walker.access(m, config(48, false, false), pa(0), 0x5000, false));
        assertEquals(WalkResult.FaultKind.ACCESS_FLAG, f.kind());
        assertEquals(3, f.level());
        assertEquals(0x9600000BL, Syndrome.of(f, false)); // DFSC 0b001011: Access flag fault, level 3
        assertTrue(Walker.access(m, config(48, true, false), pa(0), 0x5000, false).isTranslated()); // HA = 1
        assertTrue(Walker.access(m, config(48, true, false), pa(0), 0x5000, true).isTranslated());
        // A 2 MiB block: the same at level 2.
        MemorySegment b = slots(2);
        put(b, 0, 0, pa(1) | TABLE);
        put(b, 1, 0, 0x0900_0000L | 0b01); // a block, AF clear
        f = faulted(Walker.access(memory(b), config(48, false, false), pa(0), 0x1234, false));
        assertEquals(WalkResult.FaultKind.ACCESS_FLAG, f.kind());
        assertEquals(2, f.level());
    }

    @Test
    void writeToAReadOnlyPageIsAllowedOnlyWithHardwareDirtyStateAndDbm() {
        long readOnlyDbm = 0x0900_0000L | PAGE_AF | DescriptorBits.AP2_READ_ONLY | DescriptorBits.DBM;
        SlotMemory dbm = pageAt0x5000(readOnlyDbm);
        WalkResult.Faulted f = faulted(Walker.access(dbm, config(48, false, false), pa(0), 0x5000, true));
        assertEquals(WalkResult.FaultKind.PERMISSION, f.kind());
        assertEquals(3, f.level());
        assertEquals(0x9600004FL, Syndrome.of(f, true)); // DFSC 0b001111, WnR
        assertTrue(Walker.access(dbm, config(48, true, true), pa(0), 0x5000, true).isTranslated()); // HA, HD, DBM
        assertTrue(Walker.access(dbm, config(48, false, false), pa(0), 0x5000, false).isTranslated()); // a read
        SlotMemory noDbm = pageAt0x5000(readOnlyDbm & ~DescriptorBits.DBM);
        assertEquals(WalkResult.FaultKind.PERMISSION,
                faulted(Walker.access(noDbm, config(48, true, true), pa(0), 0x5000, true)).kind());
        // The Access flag comes first: AF clear on the same page is an Access flag fault, whatever HD says.
        SlotMemory noAf = pageAt0x5000(readOnlyDbm & ~DescriptorBits.AF);
        assertEquals(WalkResult.FaultKind.ACCESS_FLAG,
                faulted(Walker.access(noAf, config(48, false, true), pa(0), 0x5000, true)).kind());
    }

    @Test
    void anAddressAtOrAboveTheOutputSizeIsAnAddressSizeFaultAtTheLevelThatHoldsIt() {
        long tooFar = 1L << 40; // fits 48 bits, not 40
        MmuConfig bits40 = config(40, false, false);
        // A page's output address: level 3.
        SlotMemory page = pageAt0x5000(tooFar | PAGE_AF);
        WalkResult.Faulted f = faulted(Walker.walk(page, bits40, pa(0), 0x5000));
        assertEquals(WalkResult.FaultKind.ADDRESS_SIZE, f.kind());
        assertEquals(3, f.level());
        assertEquals(3, f.steps().size());
        assertEquals(0x96000003L, Syndrome.of(f, false)); // DFSC 0b000011
        assertTrue(Walker.walk(page, config(48, false, false), pa(0), 0x5000).isTranslated());
        assertTrue(Walker.walk(pageAt0x5000((tooFar - 4096) | PAGE_AF), bits40, pa(0), 0x5000).isTranslated());
        // A next-level table's address: reported at the level of the table descriptor (here 1).
        MemorySegment b = slots(1);
        put(b, 0, 0, tooFar | TABLE);
        put(b, 0, 1, tooFar | BLOCK_AF);
        f = faulted(Walker.walk(memory(b), bits40, pa(0), 0x1000));
        assertEquals(WalkResult.FaultKind.ADDRESS_SIZE, f.kind());
        assertEquals(1, f.level());
        assertEquals(List.of(new WalkResult.Step(1, 0, tooFar | TABLE)), f.steps());
        // A 1 GiB block's output address: level 1.
        f = faulted(Walker.walk(memory(b), bits40, pa(0), 0x4000_1000L));
        assertEquals(WalkResult.FaultKind.ADDRESS_SIZE, f.kind());
        assertEquals(1, f.level());
        assertEquals(List.of(), Walker.validLeaves(memory(b), bits40, pa(0)));
        // The root's own address: level 0, nothing read, whatever the root level.
        f = faulted(Walker.walk(memory(b), bits40, tooFar, 0x1000));
        assertEquals(WalkResult.FaultKind.ADDRESS_SIZE, f.kind());
        assertEquals(0, f.level());
        assertEquals(List.of(), f.steps());
        assertEquals(0x96000000L, Syndrome.of(f, false));
    }

    @Test
    void aTablePointerToNoTableIsAnExternalAbortOrReadsAsZeroAtTheNextLevel() {
        MemorySegment b = slots(1);
        put(b, 0, 0, pa(5) | TABLE); // no slot 5
        SlotMemory m = memory(b);
        MmuConfig abort = MmuConfig.pvmfw();
        WalkResult.Faulted f = faulted(Walker.walk(m, abort, pa(0), 0x1234));
        assertEquals(WalkResult.FaultKind.EXTERNAL_ABORT_ON_WALK, f.kind());
        assertEquals(2, f.level());
        assertEquals(List.of(new WalkResult.Step(1, 0, pa(5) | TABLE)), f.steps());
        assertEquals(0x96000016L, Syndrome.of(f, false)); // DFSC 0b010110: external abort on the walk, level 2
        MmuConfig zero = abort.withOutsideTables(MmuConfig.OutsideTables.READS_AS_ZERO);
        f = faulted(Walker.walk(m, zero, pa(0), 0x1234));
        assertEquals(WalkResult.FaultKind.TRANSLATION, f.kind());
        assertEquals(2, f.level());
        assertEquals(List.of(new WalkResult.Step(1, 0, pa(5) | TABLE), new WalkResult.Step(2, 0, 0)), f.steps());
        assertEquals(0x96000006L, Syndrome.of(f, false)); // DFSC 0b000110: translation fault, level 2
    }

    @Test
    void theTraversalReportsASharedTableAndPointersItDoesNotFollowOnceEach() {
        MemorySegment b = slots(2);
        put(b, 0, 2, pa(1) | TABLE);
        put(b, 0, 3, pa(1) | TABLE);          // shared with root[2]
        put(b, 0, 4, (1L << 40) | TABLE);     // beyond a 40-bit output size
        put(b, 0, 5, pa(7) | TABLE);          // no table there
        put(b, 1, 0, 0x0900_0000L | BLOCK_AF);
        List<String> seen = new java.util.ArrayList<>();
        Walker.traverse(memory(b), config(40, false, false), pa(0), new TableVisitor() {
            @Override
            public void enterTable(long pa, int level, long baseVa, long parentPa, int parentIndex) {
                seen.add("enter " + Long.toHexString(pa) + " L" + level + " from " + parentIndex);
            }

            @Override
            public void notFollowed(long tablePa, int index, int level, long va, long descriptor, NotFollowed why,
                    long otherParentPa, int otherParentIndex) {
                seen.add(index + " " + why + " va " + Long.toHexString(va) + " other "
                        + (otherParentPa < 0 ? "-" : Long.toHexString(otherParentPa) + "[" + otherParentIndex + "]"));
            }
        });
        assertEquals(List.of("enter 40000000 L1 from -1", "enter 40001000 L2 from 2",
                "3 SHARED va c0000000 other 40000000[2]", "4 ADDRESS_SIZE va 100000000 other -",
                "5 OUTSIDE_MEMORY va 140000000 other -"), seen);
        // What the hardware does with the shared one: the same block at both VAs.
        assertEquals(List.of(0x8000_0000L, 0xC000_0000L), Walker.validLeaves(memory(b), config(40, false, false),
                pa(0)).stream().map(WalkResult.Leaf::va).toList());
    }

    // The configuration as an input: TnSZ, the core's features, the machine's memory map; hierarchical attributes;
    // the external abort on the access. Expected values from the Arm ARM (DDI 0487) and from QEMU 7.2's answers to
    // the same tables (tests/qemu, QemuProbesTest).

    @Test
    void tnszAbove39WithoutSmallTranslationTablesFaultsEveryVaAtLevel0() {
        // T0SZ 43: a 2 MiB VA range with a level-3 root. Entry 1 maps VA 0x1000.
        MemorySegment b = slots(1);
        put(b, 0, 1, 0x4800_1000L | PAGE_AF);
        MmuConfig t43 = MmuConfig.forTnsz(43, VaRange.LOWER);
        assertEquals(3, t43.rootLevel());
        assertEquals(1L << 21, t43.vaSize());
        assertEquals(0x4800_1000L, Walker.walk(memory(b), t43, pa(0), 0x1000).leafIfTranslated().orElseThrow().pa());
        assertEquals(WalkResult.FaultKind.TRANSLATION, faulted(Walker.walk(memory(b), t43, pa(0), 1L << 21)).kind());
        // Cortex-A57 has no FEAT_TTST: 43 > 39, and QEMU's IMPLEMENTATION DEFINED choice is the level-0 fault.
        MmuConfig a57 = t43.withFeatures(CpuFeatures.CORTEX_A57);
        assertTrue(a57.tnszOutOfRange());
        WalkResult.Faulted f = faulted(Walker.walk(memory(b), a57, pa(0), 0x1000));
        assertEquals(WalkResult.FaultKind.TRANSLATION, f.kind());
        assertEquals(0, f.level());
        assertEquals(List.of(), f.steps());
        assertEquals(List.of(), Walker.validLeaves(memory(b), a57, pa(0)));
        assertTrue(!t43.withTnsz(39).withFeatures(CpuFeatures.CORTEX_A57).tnszOutOfRange());
    }

    @Test
    void aTnszBetweenLevelsGivesASmallerRootTableIndexedByItsOwnBits() {
        // T1SZ 39: a 2^25-byte upper range, root level 2 with 16 entries. VA -2^25 is root index 0, not 496.
        MemorySegment b = slots(1);
        put(b, 0, 0, 0x4000_0000L | BLOCK_AF);
        put(b, 0, 15, 0x4020_0000L | BLOCK_AF);
        MmuConfig t39 = MmuConfig.forTnsz(39, VaRange.UPPER);
        assertEquals(2, t39.rootLevel());
        assertEquals(16, t39.rootEntries());
        long base = -(1L << 25);
        assertEquals(base, t39.vaBase());
        assertEquals(0x4000_1234L, Walker.walk(memory(b), t39, pa(0), base + 0x1234).leafIfTranslated().orElseThrow()
                .pa());
        assertEquals(0x4020_0000L, Walker.walk(memory(b), t39, pa(0), -(1L << 21)).leafIfTranslated().orElseThrow()
                .pa());
        assertEquals(List.of(base, -(1L << 21)), Walker.validLeaves(memory(b), t39, pa(0)).stream()
                .map(WalkResult.Leaf::va).toList());
    }

    @Test
    void aptableReadOnlyRefusesWritesAtTheLeafLevelAndAptableNoEl0RefusesEl0Only() {
        // Root[0] (APTable = 0b10, bit 62), root[1] (0b01, bit 61), root[2] (UXNTable, PXNTable), root[3] (0b11)
        // all point at the same level-2 table, whose entry 0 leads to a page at +0x1000 that EL0 may read and write.
        MemorySegment b = slots(3);
        put(b, 0, 0, pa(1) | TABLE | 1L << 62);
        put(b, 0, 1, pa(1) | TABLE | 1L << 61);
        put(b, 0, 2, pa(1) | TABLE | 3L << 59);
        put(b, 0, 3, pa(1) | TABLE | 3L << 61);
        put(b, 1, 0, pa(2) | TABLE);
        put(b, 2, 1, 0x4800_1000L | PAGE_AF | DescriptorBits.AP1_USER);
        SlotMemory m = memory(b);
        MmuConfig c = MmuConfig.pvmfw();
        long gib = 1L << 30;
        for (int i = 0; i < 4; i++) {
            assertTrue(Walker.access(m, c, pa(0), i * gib + 0x1000, AccessKind.READ).isTranslated(), "root " + i);
        }
        WalkResult.Faulted f = faulted(Walker.access(m, c, pa(0), 0x1000, AccessKind.WRITE));
        assertEquals(WalkResult.FaultKind.PERMISSION, f.kind());
        assertEquals(3, f.level()); // the leaf's level, not the table descriptor's
        assertEquals(0x9600004FL, Syndrome.of(f, true));
        assertEquals(1L << 62, Walker.walk(m, c, pa(0), 0x1000).hierarchicalAttributes());
        assertTrue(Walker.access(m, c, pa(0), gib + 0x1000, AccessKind.WRITE).isTranslated());
        assertEquals(WalkResult.FaultKind.PERMISSION,
                faulted(Walker.access(m, c, pa(0), gib + 0x1000, AccessKind.UNPRIVILEGED_READ)).kind());
        assertTrue(Walker.access(m, c, pa(0), 0x1000, AccessKind.UNPRIVILEGED_READ).isTranslated());
        assertEquals(WalkResult.FaultKind.PERMISSION,
                faulted(Walker.access(m, c, pa(0), 0x1000, AccessKind.UNPRIVILEGED_WRITE)).kind());
        assertEquals(WalkResult.FaultKind.PERMISSION,
                faulted(Walker.access(m, c, pa(0), 3 * gib + 0x1000, AccessKind.WRITE)).kind());
        // XNTable: data accesses are not affected; fetches are, each at its own EL.
        assertTrue(Walker.access(m, c, pa(0), 2 * gib + 0x1000, AccessKind.WRITE).isTranslated());
        assertTrue(Walker.access(m, c, pa(0), 2 * gib + 0x1000, AccessKind.UNPRIVILEGED_WRITE).isTranslated());
        assertEquals(WalkResult.FaultKind.PERMISSION,
                faulted(Walker.access(m, c, pa(0), 2 * gib + 0x1000, AccessKind.UNPRIVILEGED_EXECUTE)).kind());
        f = faulted(Walker.access(m, c, pa(0), 2 * gib + 0x1000, AccessKind.EXECUTE));
        assertEquals(WalkResult.FaultKind.PERMISSION, f.kind());
        assertEquals(0x8600000FL, Syndrome.of(f, AccessKind.EXECUTE)); // EC 0x21, IL, IFSC permission level 3
    }

    @Test
    void anEl1FetchFromMemoryEl0CanWriteIsAPermissionFaultWhateverPxnSays() {
        SlotMemory el0rw = pageAt0x5000(0x4800_5000L | PAGE_AF | DescriptorBits.AP1_USER);
        assertEquals(WalkResult.FaultKind.PERMISSION,
                faulted(Walker.access(el0rw, MmuConfig.pvmfw(), pa(0), 0x5000, AccessKind.EXECUTE)).kind());
        SlotMemory el0ro = pageAt0x5000(0x4800_5000L | PAGE_AF | DescriptorBits.AP1_USER
                | DescriptorBits.AP2_READ_ONLY);
        assertTrue(Walker.access(el0ro, MmuConfig.pvmfw(), pa(0), 0x5000, AccessKind.EXECUTE).isTranslated());
        SlotMemory pxn = pageAt0x5000(0x4800_5000L | PAGE_AF | DescriptorBits.PXN);
        assertEquals(WalkResult.FaultKind.PERMISSION,
                faulted(Walker.access(pxn, MmuConfig.pvmfw(), pa(0), 0x5000, AccessKind.EXECUTE)).kind());
        // EL0 execute-only: no EL0 data access, but UXN clear (Armv8.0's execute-only memory).
        assertTrue(Walker.access(pxn, MmuConfig.pvmfw(), pa(0), 0x5000, AccessKind.UNPRIVILEGED_EXECUTE)
                .isTranslated());
    }

    @Test
    void hardwareDirtyStateNeedsTheAccessFlagManagedToo() {
        // TCR_EL1.HD: "enabled only if the HA bit is also set"; QEMU -cpu max gives a Permission fault for HD alone.
        SlotMemory dbm = pageAt0x5000(0x4800_5000L | PAGE_AF | DescriptorBits.AP2_READ_ONLY | DescriptorBits.DBM);
        assertEquals(WalkResult.FaultKind.PERMISSION,
                faulted(Walker.access(dbm, config(48, false, true), pa(0), 0x5000, true)).kind());
        assertTrue(Walker.access(dbm, config(48, true, true), pa(0), 0x5000, true).isTranslated());
    }

    @Test
    void withoutHafdbsTheHaAndHdBitsDoNothing() {
        MmuConfig a57 = config(48, true, true).withFeatures(CpuFeatures.CORTEX_A57);
        assertTrue(!a57.accessFlagManaged() && !a57.dirtyStateManaged());
        SlotMemory noAf = pageAt0x5000(0x4800_5000L | 0b11);
        assertEquals(WalkResult.FaultKind.ACCESS_FLAG, faulted(Walker.access(noAf, a57, pa(0), 0x5000, false)).kind());
        SlotMemory dbm = pageAt0x5000(0x4800_5000L | PAGE_AF | DescriptorBits.AP2_READ_ONLY | DescriptorBits.DBM);
        assertEquals(WalkResult.FaultKind.PERMISSION, faulted(Walker.access(dbm, a57, pa(0), 0x5000, true)).kind());
    }

    @Test
    void ipsAbovePaRangeIsTreatedAsPaRange() {
        // Cortex-A57's PARange is 44 bits: IPS 48 gives 44, so a page at 2^44 is an Address size fault at level 3.
        SlotMemory far = pageAt0x5000((1L << 44) | PAGE_AF);
        MmuConfig a57 = MmuConfig.pvmfw().withFeatures(CpuFeatures.CORTEX_A57);
        assertEquals(44, a57.effectiveOutputBits());
        WalkResult.Faulted f = faulted(Walker.walk(far, a57, pa(0), 0x5000));
        assertEquals(WalkResult.FaultKind.ADDRESS_SIZE, f.kind());
        assertEquals(3, f.level());
        assertTrue(Walker.walk(far, MmuConfig.pvmfw().withFeatures(CpuFeatures.QEMU_MAX), pa(0), 0x5000)
                .isTranslated());
        assertEquals(48, MmuConfig.pvmfw().withFeatures(CpuFeatures.QEMU_MAX).withOutputBits(52)
                .effectiveOutputBits()); // no FEAT_LPA2 with the 4 KiB granule: 48 at most
    }

    @Test
    void theFeaturesAreReadFromTheIdRegistersAsQemuReportsThem() {
        // ID_AA64MMFR0/1/2_EL1 as QEMU 7.2 reports them for -cpu max and -cpu cortex-a57.
        assertEquals(CpuFeatures.QEMU_MAX,
                CpuFeatures.fromIdRegisters(0x0000032310201126L, 0x0000011010211122L, 0x1021011010011011L));
        assertEquals(CpuFeatures.CORTEX_A57, CpuFeatures.fromIdRegisters(0x1124, 0, 0));
    }

    @Test
    void aLeafWhosePaHasNothingBehindItIsASynchronousExternalAbortOnTheAccess() {
        SlotMemory m = pageAt0x5000(0x8000_0000L | PAGE_AF);
        MmuConfig virt = MmuConfig.pvmfw().withMemoryMap(PhysicalMap.qemuVirt(1L << 30));
        assertTrue(Walker.walk(m, virt, pa(0), 0x5000).isTranslated()); // the walk is fine
        WalkResult.Faulted f = faulted(Walker.access(m, virt, pa(0), 0x5008, false));
        assertEquals(WalkResult.FaultKind.EXTERNAL_ABORT, f.kind());
        // What QEMU's CPU reports for LDR and STR there: DFSC 0x10, EA 0, FnV 0, WnR for the store.
        assertEquals(0x96000010L, Syndrome.of(f, false));
        assertEquals(0x96000050L, Syndrome.of(f, true));
        // An undescribed machine has something everywhere; RAM and devices exist on the board.
        assertTrue(Walker.access(m, MmuConfig.pvmfw(), pa(0), 0x5008, true).isTranslated());
        assertTrue(Walker.access(pageAt0x5000(0x0900_0000L | PAGE_AF), virt, pa(0), 0x5000, true).isTranslated());
    }

    @Test
    void aTableReadOutsideTheTablesGetsTheMemoryMapsAnswer() {
        MemorySegment b = slots(1);
        put(b, 0, 0, 0x0010_0000L | TABLE);    // flash: reads as zero
        put(b, 0, 1, 0x0800_0000L | TABLE);    // the GIC: registers the model does not know
        put(b, 0, 2, 0x8000_0000L | TABLE);    // nothing
        MmuConfig virt = MmuConfig.pvmfw().withMemoryMap(PhysicalMap.qemuVirt(1L << 30));
        SlotMemory m = memory(b);
        WalkResult.Faulted f = faulted(Walker.walk(m, virt, pa(0), 0x1000));
        assertEquals(WalkResult.FaultKind.TRANSLATION, f.kind());
        assertEquals(2, f.level());
        UnmodelledMemoryException e = assertThrows(UnmodelledMemoryException.class,
                () -> Walker.walk(m, virt, pa(0), (1L << 30) + 0x1000));
        assertEquals(0x0800_0000L, e.pa());
        assertEquals(2, e.level());
        assertEquals("devices", e.region().name());
        f = faulted(Walker.walk(m, virt, pa(0), (2L << 30) + 0x1000));
        assertEquals(WalkResult.FaultKind.EXTERNAL_ABORT_ON_WALK, f.kind());
        assertEquals(2, f.level());
        // What QEMU 7.2's AT S1E1R takes for it at EL2: a Data Abort with CM and WnR, 0x96000156.
        assertEquals(0x96000156L, Syndrome.ofAddressTranslation(f));
        // The leaves through flash are none, through the devices unknown (none listed), through nothing none.
        assertEquals(List.of(), Walker.validLeaves(m, virt, pa(0)));
    }

    @Test
    void aRegionLaidOverAMapCutsTheOthersBack() {
        PhysicalMap virt = PhysicalMap.qemuVirt(1L << 30).with(new PhysicalMap.Region(0x6000_0000L, 0x8000_0000L,
                PhysicalMap.Contents.UNKNOWN, "harness"));
        assertEquals("RAM", virt.regionAt(0x5fff_ffffL).orElseThrow().name());
        assertEquals("harness", virt.regionAt(0x6000_0000L).orElseThrow().name());
        assertTrue(virt.regionAt(0x8000_0000L).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> PhysicalMap.of(new PhysicalMap.Region(0, 0x2000,
                PhysicalMap.Contents.ZERO, "a"), new PhysicalMap.Region(0x1000, 0x3000, PhysicalMap.Contents.ZERO, "b")));
    }

    @Test
    void theSyndromeFieldsDecodeEveryBit() {
        Syndrome.Fields f = Syndrome.Fields.of(0x96000156L);
        assertEquals(new Syndrome.Fields(0x25, true, false, false, false, true, false, true, 0x16), f);
        assertEquals("EC=0x25 IL=1 ISV=0 FnV=0 EA=0 CM=1 S1PTW=0 WnR=1 FSC=0x16", f.toString());
    }
}
