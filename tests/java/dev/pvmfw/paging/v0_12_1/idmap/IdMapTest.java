package dev.pvmfw.paging.v0_12_1.idmap;

import static dev.pvmfw.paging.Geometry.PAGE_SIZE;
import static dev.pvmfw.paging.v0_12_1.Unwrap.unwrap;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.VirtualAddress;
import dev.pvmfw.paging.v0_12_1.Constraints;
import dev.pvmfw.paging.v0_12_1.El1And0;
import dev.pvmfw.paging.v0_12_1.El1Attributes;
import dev.pvmfw.paging.v0_12_1.MapError;
import dev.pvmfw.paging.v0_12_1.MapException;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The unit tests of aarch64-paging 0.12.1 {@code src/idmap.rs}, ported by name with the same assertions, and the
 * crate's two doctests that build an {@code IdMap} (the {@code lib.rs} example and the {@code IdMap} example;
 * {@code docs/aarch64-paging-0.12.1.md}, "Tests ported"). The crate's tests "activate" a table only to make it count
 * as live; so do these.
 */
class IdMapTest {
    static final long MAX_ADDRESS_FOR_ROOT_LEVEL_1 = 1L << 39;
    static final El1Attributes DEVICE_NGNRE = El1Attributes.ATTRIBUTE_INDEX_0;
    static final El1Attributes NORMAL_CACHEABLE =
            El1Attributes.ATTRIBUTE_INDEX_1.union(El1Attributes.INNER_SHAREABLE);
    static final El1Attributes VALID_ACCESSED = El1Attributes.of(El1Attributes.VALID, El1Attributes.ACCESSED);
    static final El1Attributes NORMAL_VALID = NORMAL_CACHEABLE.union(VALID_ACCESSED);

    static IdMap<El1Attributes> newMap() {
        return IdMap.withAsid(1, 1, El1And0.INSTANCE);
    }

    /** One case of map_valid: a fresh live map, {@code range} mapped Ok, deactivated. */
    private static void assertMapsWhileLive(long start, long end) {
        try (IdMap<El1Attributes> idmap = newMap()) {
            long ttbr = idmap.activate();
            assertDoesNotThrow(() -> idmap.mapRange(MemoryRegion.of(start, end), NORMAL_VALID));
            idmap.deactivate(ttbr);
        }
    }

    @Test
    void map_valid() {
        // A single byte at the start of the address space.
        assertMapsWhileLive(0, 1);
        // Two pages at the start of the address space.
        assertMapsWhileLive(0, PAGE_SIZE * 2L);
        // A single byte at the end of the address space.
        assertMapsWhileLive(MAX_ADDRESS_FOR_ROOT_LEVEL_1 - 1, MAX_ADDRESS_FOR_ROOT_LEVEL_1);
        // Two pages, on the boundary between two subtables.
        assertMapsWhileLive(PAGE_SIZE * 1023L, PAGE_SIZE * 1025L);
        // The entire valid address space.
        assertMapsWhileLive(0, MAX_ADDRESS_FOR_ROOT_LEVEL_1);
    }

    static void assertBbmViolation(long start, long end, MapException e) {
        assertEquals(new MapError.BreakBeforeMakeViolation(MemoryRegion.of(start, end)), e.error());
    }

    @Test
    void map_break_before_make() throws Exception {
        final long blockSize = (long) PAGE_SIZE << 9;
        try (IdMap<El1Attributes> idmap = newMap()) {
            idmap.mapRangeWithConstraints(MemoryRegion.of(blockSize, 2 * blockSize), NORMAL_VALID,
                    Constraints.NO_BLOCK_MAPPINGS);
            long ttbr = idmap.activate();
            // Splitting a range is permitted if it was mapped down to pages
            idmap.mapRange(MemoryRegion.of(blockSize, blockSize + PAGE_SIZE), NORMAL_VALID);
            idmap.deactivate(ttbr);
        }

        try (IdMap<El1Attributes> idmap = newMap()) {
            try {
                idmap.mapRange(MemoryRegion.of(blockSize, 2 * blockSize), NORMAL_VALID);
            } catch (MapException ignored) {
                // `.ok()`
            }
            long ttbr = idmap.activate();

            // Extending a range is fine even if there are block mappings in the middle
            idmap.mapRange(MemoryRegion.of(blockSize - PAGE_SIZE, 2 * blockSize + PAGE_SIZE), NORMAL_VALID);

            // Remapping a region that intersects a block mapping is permitted if it does not result in a split.
            idmap.mapRange(MemoryRegion.of(blockSize, blockSize + PAGE_SIZE), NORMAL_VALID);

            // Splitting a range is not permitted
            assertBbmViolation(blockSize, blockSize + PAGE_SIZE, assertThrows(MapException.class, () -> idmap.mapRange(
                    MemoryRegion.of(blockSize, blockSize + PAGE_SIZE),
                    NORMAL_VALID.union(El1Attributes.READ_ONLY))));

            // Partially remapping a live range read-only is only permitted if it does not require splitting
            assertBbmViolation(blockSize, blockSize + PAGE_SIZE, assertThrows(MapException.class, () -> idmap.mapRange(
                    MemoryRegion.of(0, blockSize + PAGE_SIZE), NORMAL_VALID.union(El1Attributes.READ_ONLY))));
            idmap.mapRange(MemoryRegion.of(0, blockSize), NORMAL_VALID.union(El1Attributes.READ_ONLY));

            // Changing the memory type is not permitted
            assertBbmViolation(0, PAGE_SIZE, assertThrows(MapException.class, () -> idmap.mapRange(
                    MemoryRegion.of(0, blockSize),
                    El1Attributes.of(DEVICE_NGNRE, VALID_ACCESSED, El1Attributes.NON_GLOBAL))));

            // Making a range invalid is only permitted if it does not require splitting
            assertBbmViolation(blockSize, blockSize + PAGE_SIZE, assertThrows(MapException.class, () -> idmap.mapRange(
                    MemoryRegion.of(PAGE_SIZE, blockSize + PAGE_SIZE), NORMAL_CACHEABLE)));
            idmap.mapRange(MemoryRegion.of(PAGE_SIZE, blockSize), NORMAL_CACHEABLE);

            // Creating a new valid entry is always permitted
            idmap.mapRange(MemoryRegion.of(0, 2 * PAGE_SIZE), NORMAL_VALID);

            // Setting the non-global attribute is permitted
            idmap.mapRange(MemoryRegion.of(0, PAGE_SIZE), NORMAL_VALID.union(El1Attributes.NON_GLOBAL));

            // Removing the non-global attribute from a live mapping is not permitted
            assertBbmViolation(0, PAGE_SIZE, assertThrows(MapException.class,
                    () -> idmap.mapRange(MemoryRegion.of(0, PAGE_SIZE), NORMAL_VALID)));

            idmap.deactivate(ttbr);
            // Removing the non-global attribute from an inactive mapping is permitted
            idmap.mapRange(MemoryRegion.of(0, PAGE_SIZE), NORMAL_VALID);
        }
    }

    @Test
    void map_out_of_range() {
        try (IdMap<El1Attributes> idmap = newMap()) {
            // One byte, just past the edge of the valid range.
            MapException e = assertThrows(MapException.class, () -> idmap.mapRange(
                    MemoryRegion.of(MAX_ADDRESS_FOR_ROOT_LEVEL_1, MAX_ADDRESS_FOR_ROOT_LEVEL_1 + 1), NORMAL_VALID));
            assertEquals(new MapError.AddressRange(new VirtualAddress(MAX_ADDRESS_FOR_ROOT_LEVEL_1 + PAGE_SIZE)),
                    e.error());
            // From 0 to just past the valid range.
            e = assertThrows(MapException.class,
                    () -> idmap.mapRange(MemoryRegion.of(0, MAX_ADDRESS_FOR_ROOT_LEVEL_1 + 1), NORMAL_VALID));
            assertEquals(new MapError.AddressRange(new VirtualAddress(MAX_ADDRESS_FOR_ROOT_LEVEL_1 + PAGE_SIZE)),
                    e.error());
        }
    }

    /**
     * {@code #[should_panic]}: on a live read-only block, an identical remap of its first page passes, a remap of the
     * second page without READ_ONLY is a violation, and the final {@code unwrap} panics.
     */
    @Test
    void split_live_block_mapping() throws Exception {
        El1Attributes readOnly = El1Attributes.of(NORMAL_CACHEABLE, El1Attributes.NON_GLOBAL, El1Attributes.READ_ONLY,
                VALID_ACCESSED);
        try (IdMap<El1Attributes> idmap = newMap()) {
            idmap.mapRange(MemoryRegion.of(0, (long) PAGE_SIZE << 9), readOnly);
            long ttbr = idmap.activate();
            idmap.mapRange(MemoryRegion.of(0, PAGE_SIZE), readOnly);
            MapException r = null;
            try {
                idmap.mapRange(MemoryRegion.of(PAGE_SIZE, 2 * PAGE_SIZE),
                        El1Attributes.of(NORMAL_CACHEABLE, El1Attributes.NON_GLOBAL, VALID_ACCESSED));
            } catch (MapException e) {
                r = e;
            }
            idmap.deactivate(ttbr);
            MapException result = r;
            CratePanic panic = assertThrows(CratePanic.class, () -> unwrap(() -> {
                if (result != null) {
                    throw result;
                }
            }));
            assertEquals("called `Result::unwrap()` on an `Err` value: BreakBeforeMakeViolation("
                    + "0x0000000000001000..0x0000000000002000)", panic.getMessage());
        }
    }

    static IdMap<El1Attributes> makeMap() throws MapException {
        IdMap<El1Attributes> idmap = newMap();
        idmap.mapRange(MemoryRegion.of(0, PAGE_SIZE * 2L),
                El1Attributes.of(NORMAL_CACHEABLE, El1Attributes.NON_GLOBAL, El1Attributes.READ_ONLY, VALID_ACCESSED));
        idmap.activate();
        return idmap;
    }

    @Test
    void update_backwards_range() throws Exception {
        try (IdMap<El1Attributes> idmap = makeMap()) {
            MapException e = assertThrows(MapException.class, () -> idmap.modifyRange(
                    MemoryRegion.of(PAGE_SIZE * 2L, 1), (range, entry) -> entry.modifyFlags(El1Attributes.SWFLAG_0,
                            El1Attributes.fromBits(0).orElseThrow())));
            // Not in the crate's test (it asserts is_err): which error.
            assertInstanceOf(MapError.RegionBackwards.class, e.error());
            idmap.deactivate(-1L);
        }
    }

    @Test
    void update_range() throws Exception {
        try (IdMap<El1Attributes> idmap = makeMap()) {
            MapException e = assertThrows(MapException.class, () -> idmap.modifyRange(MemoryRegion.of(1, PAGE_SIZE),
                    (range, entry) -> entry.isTable()
                            || entry.modifyFlags(El1Attributes.SWFLAG_0, El1Attributes.NON_GLOBAL)));
            // Not in the crate's test (it asserts is_err): clearing NON_GLOBAL on the live page fails the dry run.
            assertEquals(new MapError.BreakBeforeMakeViolation(MemoryRegion.of(0, PAGE_SIZE)), e.error());
            idmap.modifyRange(MemoryRegion.of(1, PAGE_SIZE), (range, entry) -> entry.isTable()
                    || entry.modifyFlags(El1Attributes.SWFLAG_0, El1Attributes.fromBits(0).orElseThrow()));
            AtomicInteger leaves = new AtomicInteger();
            idmap.modifyRange(MemoryRegion.of(1, PAGE_SIZE), (range, entry) -> {
                if (!entry.isTable()) {
                    assertTrue(entry.flags().contains(El1Attributes.SWFLAG_0));
                    assertEquals(PAGE_SIZE, range.end().minus(range.start()));
                    leaves.incrementAndGet();
                }
                return true;
            });
            // Not in the crate's test: the assertions ran, once in the dry run and once for real.
            assertEquals(2, leaves.get());
            idmap.deactivate(-1L);
        }
    }

    @Test
    void breakup_invalid_block() throws Exception {
        final long blockRange = 0x200000;
        try (IdMap<El1Attributes> idmap = newMap()) {
            long ttbr = idmap.activate();
            idmap.mapRange(MemoryRegion.of(0, blockRange),
                    El1Attributes.of(NORMAL_CACHEABLE, El1Attributes.NON_GLOBAL, El1Attributes.SWFLAG_0));
            idmap.mapRange(MemoryRegion.of(0, PAGE_SIZE),
                    El1Attributes.of(NORMAL_CACHEABLE, El1Attributes.NON_GLOBAL, VALID_ACCESSED));
            AtomicInteger pages = new AtomicInteger();
            idmap.modifyRange(MemoryRegion.of(0, blockRange), (range, entry) -> {
                if (entry.level() == 3) {
                    boolean hasSwflag = entry.flags().contains(El1Attributes.SWFLAG_0);
                    boolean isFirstPage = range.start().value() == 0L;
                    assertNotEquals(hasSwflag, isFirstPage);
                    pages.incrementAndGet();
                }
                return true;
            });
            // Not in the crate's test: every page was seen, in the dry run and for real.
            assertEquals(2 * 512, pages.get());
            idmap.deactivate(ttbr);
        }
    }

    /** Every leaf of the root's range: a zero level-1 entry. */
    static void assertRootAllZero(IdMap<El1Attributes> idmap) throws MapException {
        AtomicInteger entries = new AtomicInteger();
        idmap.walkRange(MemoryRegion.of(0, idmap.size()), (region, descriptor, level) -> {
            assertEquals((long) PAGE_SIZE * 512 * 512, region.len());
            assertEquals(0, descriptor.bits());
            assertEquals(1, level);
            entries.incrementAndGet();
            return true;
        });
        // Not in the crate's test: the walk saw all 512 entries.
        assertEquals(512, entries.get());
    }

    @Test
    void unmap_subtable() throws Exception {
        try (IdMap<El1Attributes> idmap = newMap()) {
            assertEquals((long) PAGE_SIZE * 512 * 512 * 512, idmap.size());
            long ttbr = idmap.activate();
            // Map one page, which will cause subtables to be split out.
            idmap.mapRange(MemoryRegion.of(0, PAGE_SIZE), NORMAL_VALID);
            // Unmap the whole table's worth of address space.
            idmap.mapRange(MemoryRegion.of(0, (long) PAGE_SIZE * 512 * 512), El1Attributes.empty());
            // All entries in the top-level table should be 0.
            assertRootAllZero(idmap);
            idmap.deactivate(ttbr);
        }
    }

    @Test
    void unmap_subtable_higher() throws Exception {
        try (IdMap<El1Attributes> idmap = newMap()) {
            assertEquals((long) PAGE_SIZE * 512 * 512 * 512, idmap.size());
            long ttbr = idmap.activate();
            final long rootGranularity = (long) PAGE_SIZE * 512 * 512;
            // Map one page in the second entry of the root table.
            idmap.mapRange(MemoryRegion.of(rootGranularity, rootGranularity + PAGE_SIZE), NORMAL_VALID);
            // Unmap the second entry of the root table.
            idmap.mapRange(MemoryRegion.of(rootGranularity, rootGranularity * 2), El1Attributes.empty());
            // All entries in the top-level table should be 0.
            assertRootAllZero(idmap);
            idmap.deactivate(ttbr);
        }
    }

    @Test
    void compact() throws Exception {
        try (IdMap<El1Attributes> idmap = newMap()) {
            assertEquals((long) PAGE_SIZE * 512 * 512 * 512, idmap.size());
            long ttbr = idmap.activate();
            // Map two pages, which will cause subtables to be split out.
            idmap.mapRange(MemoryRegion.of(0, PAGE_SIZE * 2L), NORMAL_VALID);
            // Unmap the pages again.
            idmap.mapRange(MemoryRegion.of(0, PAGE_SIZE * 2L), El1Attributes.empty());
            // Compact to remove the subtables.
            idmap.compactSubtables();
            // All entries in the top-level table should be 0.
            assertRootAllZero(idmap);
            idmap.deactivate(ttbr);
        }
    }

    @Test
    void compact_blocks() throws Exception {
        try (IdMap<El1Attributes> idmap = newMap()) {
            assertEquals((long) PAGE_SIZE * 512 * 512 * 512, idmap.size());
            long ttbr = idmap.activate();
            // Map two blocks at level 2, which will cause subtables to be split out.
            final long blockSize = PAGE_SIZE * 512L;
            idmap.mapRange(MemoryRegion.of(0, blockSize * 2), NORMAL_VALID);
            // Unmap the blocks again.
            idmap.mapRange(MemoryRegion.of(0, blockSize * 2), El1Attributes.empty());
            // Compact to remove the subtables.
            idmap.compactSubtables();
            // All entries in the top-level table should be 0.
            assertRootAllZero(idmap);
            idmap.deactivate(ttbr);
        }
    }

    /** When an unmapped entry is split into a table, all entries should be zero. */
    @Test
    void split_table_zero() throws Exception {
        try (IdMap<El1Attributes> idmap = newMap()) {
            idmap.mapRange(MemoryRegion.of(0, PAGE_SIZE), NORMAL_VALID);
            AtomicInteger seen = new AtomicInteger();
            idmap.walkRange(MemoryRegion.of(PAGE_SIZE, PAGE_SIZE * 20L), (region, descriptor, level) -> {
                assertFalse(descriptor.isValid());
                assertEquals(0, descriptor.bits());
                assertEquals(El1Attributes.empty(), descriptor.flags());
                assertEquals(new PhysicalAddress(0), descriptor.outputAddress());
                seen.incrementAndGet();
                return true;
            });
            // Not in the crate's test: the walk saw the 19 pages.
            assertEquals(19, seen.get());
        }
    }

    @Test
    void modify_unmap_compact() throws Exception {
        try (IdMap<El1Attributes> idmap = newMap()) {
            assertEquals((long) PAGE_SIZE * 512 * 512 * 512, idmap.size());
            long ttbr = idmap.activate();
            // Map two pages, which will cause subtables to be split out.
            idmap.mapRange(MemoryRegion.of(PAGE_SIZE, PAGE_SIZE * 3L), NORMAL_VALID);
            // Use `modify_range` to unmap the pages.
            idmap.modifyRange(MemoryRegion.of(PAGE_SIZE, PAGE_SIZE * 3L),
                    (range, descriptor) -> descriptor.set(new PhysicalAddress(0), El1Attributes.empty()));
            // Compact to remove the subtables.
            idmap.compactSubtables();
            // All entries in the top-level table should be 0.
            assertRootAllZero(idmap);
            idmap.deactivate(ttbr);
        }
    }

    @Test
    void table_sizes() {
        long[] sizes = {1L << 48, 1L << 39, 1L << 30, 1L << 21};
        for (int level = 0; level <= 3; level++) {
            try (IdMap<El1Attributes> idmap = IdMap.withAsid(1, level, El1And0.INSTANCE)) {
                assertEquals(sizes[level], idmap.size());
            }
        }
    }

    @Test
    void dont_use_l0_block_mapping() throws Exception {
        // We don't currently support FEAT_LPA2; test that the mappings do not attempt to use huge tables
        try (IdMap<El1Attributes> idmap = IdMap.withAsid(1, 0, El1And0.INSTANCE)) {
            final long blockSize = (long) PAGE_SIZE * 512 * 512 * 512; // 512 GiB, corresponding to Level 0
            MemoryRegion range = MemoryRegion.of(0, blockSize);

            // The range should map at Level 1 even though it's big enough for Level 0
            idmap.mapRange(range, NORMAL_VALID);
            assertEquals(OptionalInt.of(1), idmap.mapping().root().mappingLevel(range.start()));

            // The subtable should be cleaned up correctly after unmapping
            idmap.mapRange(range, El1Attributes.empty());
            idmap.compactSubtables();
            assertEquals(OptionalInt.empty(), idmap.mapping().root().mappingLevel(range.start()));
        }
    }

    /**
     * The crate-level doctest ({@code lib.rs}, {@code no_run}: compiled, not run, by cargo; run here, where
     * {@code activate} writes no register). The mapping is left active, as the example leaves it; dropping it then
     * panics, which the example never reaches because it never returns on a device.
     */
    @Test
    void doctest_lib_example() throws Exception {
        final long asid = 1;
        final int rootLevel = 1;
        final El1Attributes normalCacheable = El1Attributes.ATTRIBUTE_INDEX_1.union(El1Attributes.INNER_SHAREABLE);
        IdMap<El1Attributes> idmap = IdMap.withAsid(asid, rootLevel, El1And0.INSTANCE);
        idmap.mapRange(MemoryRegion.of(0x80200000L, 0x80400000L), El1Attributes.of(normalCacheable,
                El1Attributes.NON_GLOBAL, El1Attributes.VALID, El1Attributes.ACCESSED));
        idmap.activate();
        CratePanic drop = assertThrows(CratePanic.class, idmap::close);
        assertEquals("Dropping active page table mapping!", drop.getMessage());
    }

    /**
     * The {@code IdMap} doctest ({@code no_run}): map read-write, activate, deactivate, remap read-only and
     * executable, activate again. Run here; it ends active, like the crate-level example.
     */
    @Test
    void doctest_idmap_example() throws Exception {
        final El1Attributes normalCacheable = El1Attributes.ATTRIBUTE_INDEX_1.union(El1Attributes.INNER_SHAREABLE);
        IdMap<El1Attributes> idmap = IdMap.withAsid(1, 1, El1And0.INSTANCE);
        idmap.mapRange(MemoryRegion.of(0x80200000L, 0x80400000L), El1Attributes.of(normalCacheable,
                El1Attributes.NON_GLOBAL, El1Attributes.VALID, El1Attributes.ACCESSED));
        long ttbr = idmap.activate();
        assertEquals(-1L, ttbr, "usize::MAX off aarch64");
        idmap.deactivate(ttbr);
        idmap.mapRange(MemoryRegion.of(0x80200000L, 0x80400000L), El1Attributes.of(normalCacheable,
                El1Attributes.NON_GLOBAL, El1Attributes.READ_ONLY, El1Attributes.VALID, El1Attributes.ACCESSED));
        idmap.activate();
        assertTrue(idmap.mapping().active());
        assertThrows(CratePanic.class, idmap::close);
    }
}
