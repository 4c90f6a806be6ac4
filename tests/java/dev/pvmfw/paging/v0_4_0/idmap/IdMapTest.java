package dev.pvmfw.paging.v0_4_0.idmap;

import static dev.pvmfw.paging.Geometry.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.MapError;
import dev.pvmfw.paging.v0_4_0.MapException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.VirtualAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The unit tests of aarch64-paging 0.4.0 {@code src/idmap.rs}, ported by name with the same assertions, plus the
 * crate's two doctests (the {@code lib.rs} example and the {@code IdMap} example).
 */
class IdMapTest {
    static final long MAX_ADDRESS_FOR_ROOT_LEVEL_1 = 1L << 39;
    static final Attributes NORMAL_VALID = Attributes.of(Attributes.NORMAL, Attributes.VALID);

    private static void assertMapsOk(long start, long end) {
        try (IdMap idmap = new IdMap(1, 1)) {
            assertDoesNotThrow(() -> idmap.mapRange(MemoryRegion.of(start, end), NORMAL_VALID));
        }
    }

    @Test
    void map_valid() {
        // A single byte at the start of the address space.
        assertMapsOk(0, 1);
        // Two pages at the start of the address space.
        assertMapsOk(0, PAGE_SIZE * 2);
        // A single byte at the end of the address space.
        assertMapsOk(MAX_ADDRESS_FOR_ROOT_LEVEL_1 - 1, MAX_ADDRESS_FOR_ROOT_LEVEL_1);
        // Two pages, on the boundary between two subtables.
        assertMapsOk(PAGE_SIZE * 1023L, PAGE_SIZE * 1025L);
        // The entire valid address space.
        assertMapsOk(0, MAX_ADDRESS_FOR_ROOT_LEVEL_1);
    }

    @Test
    void map_out_of_range() throws Exception {
        try (IdMap idmap = new IdMap(1, 1)) {
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

    static IdMap makeMap() throws MapException {
        IdMap idmap = new IdMap(1, 1);
        idmap.mapRange(MemoryRegion.of(0, PAGE_SIZE * 2), Attributes.of(Attributes.NORMAL, Attributes.NON_GLOBAL,
                Attributes.READ_ONLY, Attributes.VALID));
        return idmap;
    }

    @Test
    void update_backwards_range() throws Exception {
        try (IdMap idmap = makeMap()) {
            MapException e = assertThrows(MapException.class,
                    () -> idmap.modifyRange(MemoryRegion.of(PAGE_SIZE * 2, 1), (range, entry, level) -> {
                        entry.modifyFlags(Attributes.SWFLAG_0, Attributes.fromBits(0).orElseThrow());
                        return true;
                    }));
            assertInstanceOf(MapError.RegionBackwards.class, e.error());
        }
    }

    @Test
    void update_range() throws Exception {
        try (IdMap idmap = makeMap()) {
            idmap.modifyRange(MemoryRegion.of(1, PAGE_SIZE), (range, entry, level) -> {
                if (level == 3 || !entry.isTableOrPage()) {
                    entry.modifyFlags(Attributes.SWFLAG_0, Attributes.fromBits(0).orElseThrow());
                }
                return true;
            });
            AtomicInteger leaves = new AtomicInteger();
            idmap.modifyRange(MemoryRegion.of(1, PAGE_SIZE), (range, entry, level) -> {
                if (level == 3 || !entry.isTableOrPage()) {
                    assertTrue(entry.flags().orElseThrow().contains(Attributes.SWFLAG_0));
                    assertEquals(PAGE_SIZE, range.end().minus(range.start()));
                    leaves.incrementAndGet();
                }
                return true;
            });
            // Not in the crate's test: make sure the assertions above actually ran.
            assertEquals(1, leaves.get());
        }
    }

    @Test
    void breakup_invalid_block() throws Exception {
        final long blockRange = 0x200000;
        try (IdMap idmap = new IdMap(1, 1)) {
            idmap.mapRange(MemoryRegion.of(0, blockRange),
                    Attributes.of(Attributes.NORMAL, Attributes.NON_GLOBAL, Attributes.SWFLAG_0));
            idmap.mapRange(MemoryRegion.of(0, PAGE_SIZE),
                    Attributes.of(Attributes.NORMAL, Attributes.NON_GLOBAL, Attributes.VALID));
            AtomicInteger pages = new AtomicInteger();
            idmap.modifyRange(MemoryRegion.of(0, blockRange), (range, entry, level) -> {
                if (level == 3) {
                    boolean hasSwflag = entry.flags().orElseThrow().contains(Attributes.SWFLAG_0);
                    boolean isFirstPage = range.start().value() == 0L;
                    assertNotEquals(hasSwflag, isFirstPage);
                    pages.incrementAndGet();
                }
                return true;
            });
            assertEquals(512, pages.get());
        }
    }

    /** The crate-level doctest ({@code lib.rs}): map 2 MiB read-only; activation is aarch64-only. */
    @Test
    void doctest_lib_example() throws Exception {
        final long asid = 1;
        final int rootLevel = 1;
        try (IdMap idmap = new IdMap(asid, rootLevel)) {
            idmap.mapRange(MemoryRegion.of(0x80200000L, 0x80400000L), Attributes.of(Attributes.NORMAL,
                    Attributes.NON_GLOBAL, Attributes.READ_ONLY, Attributes.VALID));
        }
    }

    /** The {@code IdMap} doctest: map read-write, then (after the aarch64-only deactivate) remap read-only. */
    @Test
    void doctest_idmap_example() throws Exception {
        try (IdMap idmap = new IdMap(1, 1)) {
            idmap.mapRange(MemoryRegion.of(0x80200000L, 0x80400000L), Attributes.of(Attributes.NORMAL,
                    Attributes.NON_GLOBAL, Attributes.EXECUTE_NEVER, Attributes.VALID));
            long written = idmap.mapping().activate(0);
            assertEquals(idmap.mapping().ttbrValue(), written);
            assertEquals(0, idmap.mapping().deactivate());
            idmap.mapRange(MemoryRegion.of(0x80200000L, 0x80400000L), Attributes.of(Attributes.NORMAL,
                    Attributes.NON_GLOBAL, Attributes.READ_ONLY, Attributes.VALID));
        }
    }
}
