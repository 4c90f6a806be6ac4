package dev.pvmfw.paging.v0_12_1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.VaRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worked byte images R1–R7 of the 0.12 reference ({@code docs/aarch64-paging-0.12.1.md}, "Worked images"), each
 * run against the real crate: every entry of every slot after every operation, the allocations and frees of each
 * operation, the callbacks of the modify operations, the SHA-256 prefix over the slots used, and the free order of
 * the drop.
 */
class ByteImageTest {
    static final long MEMORY = 0xf05;

    /** The arena, and the allocations and frees since the last call (allocated i → i, freed i → ~i). */
    static final class Run implements AutoCloseable {
        final TableArena arena;
        int seen;
        int highest;

        Run(long paBase) {
            arena = TableArena.create(8, paBase);
        }

        int[] events() {
            int[] events = arena.eventsSince(seen);
            seen = arena.eventCount();
            for (int e : events) {
                highest = Math.max(highest, e >= 0 ? e : ~e);
            }
            return events;
        }

        /** Asserts the op's allocations and frees, the slots, and the hash over slots 0..=highest ever used. */
        void assertOp(int[] allocated, int[] freed, String sha256Prefix, SlotImage... slots) {
            int[] events = events();
            assertArrayEquals(allocated, Arrays.stream(events).filter(e -> e >= 0).toArray(), "allocated");
            assertArrayEquals(freed, Arrays.stream(events).filter(e -> e < 0).map(e -> ~e).toArray(), "freed");
            for (int s = 0; s < slots.length; s++) {
                slots[s].assertIn(arena, s);
            }
            assertEquals(sha256Prefix, SlotImage.sha256Prefix(arena, highest), "sha256 over slots 0..=" + highest);
        }

        void assertFreeOrder(int... freed) {
            assertArrayEquals(freed, Arrays.stream(events()).map(e -> ~e).toArray(), "drop free order");
            assertEquals(0, arena.usedSlots());
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    static <A extends PagingAttributes<A>> Mapping<A> lower(TableArena arena, int level, AsidRegime<A> regime) {
        return Mapping.withAsidAndVaRange(arena, 1, level, regime, VaRange.LOWER);
    }

    @Test
    void r1_l0RootOnePageDeep() throws MapException {
        try (Run run = new Run(0x8_0000_0000L)) {
            Mapping<El1Attributes> m = lower(run.arena, 0, El1And0.INSTANCE);
            run.events();
            m.mapRange(MemoryRegion.of(0x12_3456_7000L, 0x12_3456_8000L), new PhysicalAddress(0x8765_4000L),
                    El1Attributes.fromBitsRetain(MEMORY), Constraints.empty());
            run.assertOp(new int[] {1, 2, 3}, new int[] {}, "b414d7e1436ea2e8",
                    SlotImage.zero().at(0, 0x8_0000_1003L), SlotImage.zero().at(72, 0x8_0000_2003L),
                    SlotImage.zero().at(418, 0x8_0000_3003L), SlotImage.zero().at(359, 0x8765_4f07L));
            m.close();
            run.assertFreeOrder(3, 2, 1, 0);
        }
    }

    @Test
    void r2_l1SplitOf1GBlockThenUnmapOfTheWholeEntry() throws MapException {
        try (Run run = new Run(0x10_0000L)) {
            Mapping<El1Attributes> m = lower(run.arena, 1, El1And0.INSTANCE);
            run.events();
            m.mapRange(MemoryRegion.of(0xc000_0000L, 0x1_0000_0000L), new PhysicalAddress(0x1_c000_0000L),
                    El1Attributes.fromBitsRetain(0x40_0000_0000_0f05L), Constraints.empty());
            run.assertOp(new int[] {}, new int[] {}, "e46a6aa27c4dae95",
                    SlotImage.zero().at(3, 0x40_0001_c000_0f05L));
            m.mapRange(MemoryRegion.of(0xc020_3000L, 0xc020_4000L), new PhysicalAddress(0x5000),
                    El1Attributes.fromBitsRetain(MEMORY), Constraints.empty());
            run.assertOp(new int[] {1, 2}, new int[] {}, "afcb28f7daa43fe6",
                    SlotImage.zero().at(3, 0x10_1003L),
                    SlotImage.zero().at(0, 0x40_0001_c000_0f05L).at(1, 0x10_2003L)
                            .run(2, 511, 0x40_0001_c040_0f05L, 0x20_0000L),
                    SlotImage.zero().run(0, 2, 0x40_0001_c020_0f07L, 0x1000).at(3, 0x5f07)
                            .run(4, 511, 0x40_0001_c020_4f07L, 0x1000));
            m.mapRange(MemoryRegion.of(0xc000_0000L, 0x1_0000_0000L), new PhysicalAddress(0),
                    El1Attributes.empty(), Constraints.empty());
            run.assertOp(new int[] {}, new int[] {2, 1}, "f3cc103136423a57", SlotImage.zero());
            m.close();
            run.assertFreeOrder(0);
        }
    }

    @Test
    void r3_stage2BlockSplit() throws MapException {
        try (Run run = new Run(0x10_0000L)) {
            Mapping<Stage2Attributes> m = new Mapping<>(run.arena, 1, Stage2.INSTANCE);
            run.events();
            m.mapRange(MemoryRegion.of(0x8000_0000L, 0x8020_0000L), new PhysicalAddress(0x4000_0000L),
                    Stage2Attributes.fromBitsRetain(0x7fd), Constraints.empty());
            run.assertOp(new int[] {1}, new int[] {}, "9d9cb3af2e892c48",
                    SlotImage.zero().at(2, 0x10_1003L), SlotImage.zero().at(0, 0x4000_07fdL));
            m.mapRange(MemoryRegion.of(0x8000_2000L, 0x8000_3000L), new PhysicalAddress(0x4000_2000L),
                    Stage2Attributes.fromBitsRetain(0x77d), Constraints.empty());
            run.assertOp(new int[] {2}, new int[] {}, "1c78944793d0e9fe",
                    SlotImage.zero().at(2, 0x10_1003L), SlotImage.zero().at(0, 0x10_2003L),
                    SlotImage.zero().at(0, 0x4000_07ffL).at(1, 0x4000_17ffL).at(2, 0x4000_277fL)
                            .run(3, 511, 0x4000_37ffL, 0x1000));
            m.close();
            run.assertFreeOrder(2, 1, 0);
        }
    }

    /** One callback: pass, chunk, level, bits before and after, what the write returned, updated, the result. */
    record Callback(String pass, long start, long end, int level, long before, long after, String write,
            boolean updated, boolean ok) {}

    @Test
    void r4_l3RootLazyTrickVersusCorrected() throws MapException {
        try (Run run = new Run(0x20_0000L)) {
            Mapping<El1Attributes> m = lower(run.arena, 3, El1And0.INSTANCE);
            run.events();
            El1Attributes deviceLazy = El1Attributes.fromBitsRetain(0xc0_0000_0000_0400L);
            m.mapRange(MemoryRegion.of(0x8000, 0xc000), new PhysicalAddress(0x8000), deviceLazy,
                    Constraints.empty());
            run.assertOp(new int[] {}, new int[] {}, "4c62d8cbe67a73b2",
                    SlotImage.zero().run(8, 11, 0xc0_0000_0000_0400L, 0));

            // The lazy trick of 0.4-era pvmfw, setting only VALID: PA 0 and 0b01 at level 3.
            List<Callback> calls = new ArrayList<>();
            m.modifyRange(MemoryRegion.of(0x8000, 0x9000), recording(calls,
                    d -> d.modifyFlags(El1Attributes.VALID, El1Attributes.empty())));
            assertEquals(List.of(new Callback("real", 0x8000, 0x9000, 3, 0xc0_0000_0000_0400L,
                    0xc0_0000_0000_0401L, "ok", true, true)), calls);
            run.assertOp(new int[] {}, new int[] {}, "30c75e95921236a1",
                    SlotImage.zero().at(8, 0xc0_0000_0000_0401L).run(9, 11, 0xc0_0000_0000_0400L, 0));

            // Corrected: the PA and the page bit set explicitly.
            calls.clear();
            m.modifyRange(MemoryRegion.of(0x9000, 0xa000), recording(calls, d -> d.set(new PhysicalAddress(0x9000),
                    d.flags().union(El1Attributes.VALID).union(El1Attributes.TABLE_OR_PAGE))));
            assertEquals(List.of(new Callback("real", 0x9000, 0xa000, 3, 0xc0_0000_0000_0400L,
                    0xc0_0000_0000_9403L, "ok", true, true)), calls);
            run.assertOp(new int[] {}, new int[] {}, "2e95af96ccc62003",
                    SlotImage.zero().at(8, 0xc0_0000_0000_0401L).at(9, 0xc0_0000_0000_9403L)
                            .at(10, 0xc0_0000_0000_0400L).at(11, 0xc0_0000_0000_0400L));
            m.close();
            run.assertFreeOrder(0);
        }
    }

    @Test
    void r5_el2NoBlockMappingsThenUnmapAndCompact() throws MapException {
        try (Run run = new Run(0x30_0000L)) {
            Mapping<El23Attributes> m = new Mapping<>(run.arena, 2, El2.INSTANCE);
            run.events();
            m.mapRange(MemoryRegion.of(0x20_0000L, 0x40_0000L), new PhysicalAddress(0x20_0000L),
                    El23Attributes.fromBitsRetain(0x40_0000_0000_0705L), Constraints.NO_BLOCK_MAPPINGS);
            run.assertOp(new int[] {1}, new int[] {}, "81597ee056b1f87b", SlotImage.zero().at(1, 0x30_1003L),
                    SlotImage.zero().run(0, 511, 0x40_0000_0020_0707L, 0x1000));
            m.mapRange(MemoryRegion.of(0x20_0000L, 0x40_0000L), new PhysicalAddress(0), El23Attributes.empty(),
                    Constraints.NO_BLOCK_MAPPINGS);
            run.assertOp(new int[] {}, new int[] {1}, "9f1dcbc35c350d60", SlotImage.zero());
            m.compactSubtables();
            run.assertOp(new int[] {}, new int[] {}, "9f1dcbc35c350d60", SlotImage.zero());
            m.close();
            run.assertFreeOrder(0);
        }
    }

    @Test
    void r6_activeNoOpModifySplitsALiveBlock() throws MapException {
        try (Run run = new Run(0x40_0000L)) {
            Mapping<El1Attributes> m = lower(run.arena, 1, El1And0.INSTANCE);
            run.events();
            m.mapRange(MemoryRegion.of(0x4000_0000L, 0x8000_0000L), new PhysicalAddress(0x4000_0000L),
                    El1Attributes.fromBitsRetain(MEMORY), Constraints.empty());
            run.assertOp(new int[] {}, new int[] {}, "23e304d05ec31aff", SlotImage.zero().at(1, 0x4000_0f05L));
            m.activate();
            run.assertOp(new int[] {}, new int[] {}, "23e304d05ec31aff", SlotImage.zero().at(1, 0x4000_0f05L));

            List<Callback> calls = new ArrayList<>();
            m.modifyRange(MemoryRegion.of(0x4020_0000L, 0x4020_1000L), recording(calls, null));
            assertEquals(List.of(
                    new Callback("dry", 0x4020_0000L, 0x4020_1000L, 1, 0x4000_0f05L, 0x4000_0f05L, "none", false,
                            true),
                    new Callback("real", 0x4020_0000L, 0x4020_1000L, 3, 0x4020_0f07L, 0x4020_0f07L, "none", false,
                            true)), calls);
            SlotImage[] after = {SlotImage.zero().at(1, 0x40_1003L),
                SlotImage.zero().at(0, 0x4000_0f05L).at(1, 0x40_2003L).run(2, 511, 0x4040_0f05L, 0x20_0000L),
                SlotImage.zero().run(0, 511, 0x4020_0f07L, 0x1000)};
            run.assertOp(new int[] {1, 2}, new int[] {}, "55dab5eb84d7fa85", after);
            m.markInactive();
            run.assertOp(new int[] {}, new int[] {}, "55dab5eb84d7fa85", after);
            m.close();
            run.assertFreeOrder(2, 1, 0);
        }
    }

    @Test
    void r7_upperL2RootPageAndFlagsOnlySplit() throws MapException {
        try (Run run = new Run(0x50_0000L)) {
            Mapping<El1Attributes> m = Mapping.withAsidAndVaRange(run.arena, 1, 2, El1And0.INSTANCE, VaRange.UPPER);
            run.events();
            m.mapRange(MemoryRegion.of(0xffff_ffff_c040_0000L, 0xffff_ffff_c060_0000L), new PhysicalAddress(0),
                    El1Attributes.fromBitsRetain(0x0400_0000_0000_0400L), Constraints.empty());
            run.assertOp(new int[] {}, new int[] {}, "65534f80b5de2955",
                    SlotImage.zero().at(2, 0x0400_0000_0000_0400L));
            m.mapRange(MemoryRegion.of(0xffff_ffff_c041_0000L, 0xffff_ffff_c041_1000L),
                    new PhysicalAddress(0x6000_1000L), El1Attributes.fromBitsRetain(0xf85), Constraints.empty());
            run.assertOp(new int[] {1}, new int[] {}, "8cee8e0d7aeb64a9", SlotImage.zero().at(2, 0x50_1003L),
                    SlotImage.zero().run(0, 15, 0x0400_0000_0000_0400L, 0).at(16, 0x6000_1f87L)
                            .run(17, 511, 0x0400_0000_0000_0400L, 0));
            m.close();
            run.assertFreeOrder(1, 0);
        }
    }

    /** An updater that records each call; {@code write} (or nothing, if null) is what it does to the entry. */
    static Updater<El1Attributes> recording(List<Callback> calls,
            java.util.function.Predicate<UpdatableDescriptor<El1Attributes>> write) {
        return (range, d) -> {
            long before = d.bits();
            String result = "none";
            if (write != null) {
                result = write.test(d) ? "ok" : "err";
            }
            calls.add(new Callback(d.isDryRunClone() ? "dry" : "real", range.startValue(), range.endValue(),
                    d.level(), before, d.bits(), result, d.updated(), true));
            return true;
        };
    }

    @Test
    void theHashesCoverEverySlotEverUsed() throws MapException {
        try (Run run = new Run(0x10_0000L)) {
            Mapping<El1Attributes> m = lower(run.arena, 1, El1And0.INSTANCE);
            run.events();
            m.mapRange(MemoryRegion.of(0xc020_3000L, 0xc020_4000L), new PhysicalAddress(0x5000),
                    El1Attributes.fromBitsRetain(MEMORY), Constraints.empty());
            run.events();
            assertTrue(run.highest == 2);
            m.close();
        }
    }
}
