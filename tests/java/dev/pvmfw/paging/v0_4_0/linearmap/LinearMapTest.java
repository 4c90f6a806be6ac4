package dev.pvmfw.paging.v0_4_0.linearmap;

import static dev.pvmfw.paging.Geometry.BITS_PER_LEVEL;
import static dev.pvmfw.paging.Geometry.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.AllocatedTable;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.v0_4_0.MapError;
import dev.pvmfw.paging.v0_4_0.MapException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.VirtualAddress;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The unit tests of aarch64-paging 0.4.0 {@code src/linearmap.rs}, ported by name with the same assertions. The
 * crate's {@code #[should_panic]} tests expect a {@link CratePanic}; its pointer comparisons compare the virtual
 * address {@link LinearTranslation#physicalToVirtualAddress} computes.
 */
class LinearMapTest {
    static final long MAX_ADDRESS_FOR_ROOT_LEVEL_1 = 1L << 39;
    static final long GIB_512_S = 512L * 1024 * 1024 * 1024;
    static final long GIB_512 = 512L * 1024 * 1024 * 1024;
    static final Attributes NORMAL_VALID = Attributes.of(Attributes.NORMAL, Attributes.VALID);

    private static void assertMapsOk(long offset, long start, long end) {
        try (LinearMap pagetable = new LinearMap(1, 1, offset, VaRange.LOWER)) {
            assertDoesNotThrow(() -> pagetable.mapRange(MemoryRegion.of(start, end), NORMAL_VALID));
        }
    }

    @Test
    void map_valid() {
        // A single byte at the start of the address space.
        assertMapsOk(4096, 0, 1);
        // Two pages at the start of the address space.
        assertMapsOk(4096, 0, PAGE_SIZE * 2);
        // A single byte at the end of the address space.
        assertMapsOk(4096, MAX_ADDRESS_FOR_ROOT_LEVEL_1 - 1, MAX_ADDRESS_FOR_ROOT_LEVEL_1);
        // The entire valid address space, with an offset that is a multiple of the level 2 block size.
        final long level2BlockSize = (long) PAGE_SIZE << BITS_PER_LEVEL;
        assertMapsOk(level2BlockSize, 0, MAX_ADDRESS_FOR_ROOT_LEVEL_1);
    }

    @Test
    void map_valid_negative_offset() {
        // A single byte which maps to IPA 0.
        assertMapsOk(-PAGE_SIZE, PAGE_SIZE, PAGE_SIZE + 1);
        // Two pages at the start of the address space.
        assertMapsOk(-PAGE_SIZE, PAGE_SIZE, PAGE_SIZE * 3);
        // A single byte at the end of the address space.
        assertMapsOk(-PAGE_SIZE, MAX_ADDRESS_FOR_ROOT_LEVEL_1 - 1, MAX_ADDRESS_FOR_ROOT_LEVEL_1);
        // The entire valid address space.
        final long level2BlockSize = (long) PAGE_SIZE << BITS_PER_LEVEL;
        assertMapsOk(-level2BlockSize, level2BlockSize, MAX_ADDRESS_FOR_ROOT_LEVEL_1);
    }

    @Test
    void map_out_of_range() {
        try (LinearMap pagetable = new LinearMap(1, 1, 4096, VaRange.LOWER)) {
            // One byte, just past the edge of the valid range.
            MapException e = assertThrows(MapException.class, () -> pagetable.mapRange(
                    MemoryRegion.of(MAX_ADDRESS_FOR_ROOT_LEVEL_1, MAX_ADDRESS_FOR_ROOT_LEVEL_1 + 1), NORMAL_VALID));
            assertEquals(new MapError.AddressRange(new VirtualAddress(MAX_ADDRESS_FOR_ROOT_LEVEL_1 + PAGE_SIZE)),
                    e.error());
            // From 0 to just past the valid range.
            e = assertThrows(MapException.class,
                    () -> pagetable.mapRange(MemoryRegion.of(0, MAX_ADDRESS_FOR_ROOT_LEVEL_1 + 1), NORMAL_VALID));
            assertEquals(new MapError.AddressRange(new VirtualAddress(MAX_ADDRESS_FOR_ROOT_LEVEL_1 + PAGE_SIZE)),
                    e.error());
        }
    }

    @Test
    void map_invalid_offset() {
        try (LinearMap pagetable = new LinearMap(1, 1, -4096, VaRange.LOWER)) {
            // One byte, with an offset which would map it to a negative IPA.
            MapException e = assertThrows(MapException.class,
                    () -> pagetable.mapRange(MemoryRegion.of(0, 1), Attributes.NORMAL));
            assertEquals(new MapError.InvalidVirtualAddress(new VirtualAddress(0)), e.error());
        }
    }

    @Test
    void physical_address_in_range_ttbr0() {
        try (LinearTranslation translation = new LinearTranslation(4096)) {
            assertEquals(new VirtualAddress(4096), translation.physicalToVirtualAddress(new PhysicalAddress(8192)));
            assertEquals(new VirtualAddress(GIB_512),
                    translation.physicalToVirtualAddress(new PhysicalAddress(GIB_512 + 4096)));
        }
    }

    @Test
    void physical_address_to_zero_ttbr0() {
        try (LinearTranslation translation = new LinearTranslation(4096)) {
            assertThrows(CratePanic.class, () -> translation.physicalToVirtual(new PhysicalAddress(4096)));
        }
    }

    @Test
    void physical_address_out_of_range_ttbr0() {
        try (LinearTranslation translation = new LinearTranslation(4096)) {
            assertThrows(CratePanic.class, () -> translation.physicalToVirtual(new PhysicalAddress(-4096L)));
        }
    }

    @Test
    void physical_address_in_range_ttbr1() {
        // Map the 512 GiB region at the top of virtual address space to one page above the bottom of physical
        // address space.
        try (LinearTranslation translation = new LinearTranslation(GIB_512_S + 4096)) {
            assertEquals(new VirtualAddress(4096 - GIB_512_S),
                    translation.physicalToVirtualAddress(new PhysicalAddress(8192)));
            assertEquals(new VirtualAddress(-4096L), translation.physicalToVirtualAddress(new PhysicalAddress(GIB_512)));
        }
    }

    @Test
    void physical_address_to_zero_ttbr1() {
        try (LinearTranslation translation = new LinearTranslation(GIB_512_S)) {
            assertThrows(CratePanic.class, () -> translation.physicalToVirtual(new PhysicalAddress(GIB_512)));
        }
    }

    @Test
    void physical_address_out_of_range_ttbr1() {
        try (LinearTranslation translation = new LinearTranslation(GIB_512_S)) {
            assertThrows(CratePanic.class, () -> translation.physicalToVirtual(new PhysicalAddress(-4096L)));
        }
    }

    @Test
    void virtual_address_out_of_range() {
        try (LinearTranslation translation = new LinearTranslation(-4096)) {
            VirtualAddress va = new VirtualAddress(1024);
            MapException e = assertThrows(MapException.class, () -> translation.virtualToPhysical(va));
            assertEquals(new MapError.InvalidVirtualAddress(va), e.error());
        }
    }

    @Test
    void virtual_address_range_ttbr1() throws Exception {
        try (LinearTranslation translation = new LinearTranslation(GIB_512_S)) {
            // The first page in the region covered by TTBR1.
            assertEquals(new PhysicalAddress(0),
                    translation.virtualToPhysical(new VirtualAddress(0xffff_ff80_0000_0000L)));
            // The last page in the region covered by TTBR1.
            assertEquals(new PhysicalAddress(0x7f_ffff_f000L),
                    translation.virtualToPhysical(new VirtualAddress(0xffff_ffff_ffff_f000L)));
        }
    }

    @Test
    void block_mapping() throws Exception {
        // Test that block mapping is used when the PA is appropriately aligned...
        try (LinearMap pagetable = new LinearMap(1, 1, 1L << 30, VaRange.LOWER)) {
            pagetable.mapRange(MemoryRegion.of(0, 1L << 30), NORMAL_VALID);
            assertEquals(OptionalInt.of(1), pagetable.mapping().root().mappingLevel(new VirtualAddress(0)));
        }
        // ...but not when it is not.
        try (LinearMap pagetable = new LinearMap(1, 1, 1L << 29, VaRange.LOWER)) {
            pagetable.mapRange(MemoryRegion.of(0, 1L << 30), NORMAL_VALID);
            assertEquals(OptionalInt.of(2), pagetable.mapping().root().mappingLevel(new VirtualAddress(0)));
        }
    }

    static LinearMap makeMap() throws MapException {
        LinearMap lmap = new LinearMap(1, 1, 4096, VaRange.LOWER);
        // Mapping VA range 0x0 - 0x2000 to PA range 0x1000 - 0x3000
        lmap.mapRange(MemoryRegion.of(0, PAGE_SIZE * 2), Attributes.NORMAL);
        return lmap;
    }

    @Test
    void update_backwards_range() throws Exception {
        try (LinearMap lmap = makeMap()) {
            MapException e = assertThrows(MapException.class,
                    () -> lmap.modifyRange(MemoryRegion.of(PAGE_SIZE * 2, 1), (range, entry, level) -> {
                        entry.modifyFlags(Attributes.SWFLAG_0, Attributes.fromBits(0).orElseThrow());
                        return true;
                    }));
            assertInstanceOf(MapError.RegionBackwards.class, e.error());
        }
    }

    @Test
    void update_range() throws Exception {
        try (LinearMap lmap = makeMap()) {
            lmap.modifyRange(MemoryRegion.of(1, PAGE_SIZE), (range, entry, level) -> {
                if (level == 3 || !entry.isTableOrPage()) {
                    entry.modifyFlags(Attributes.SWFLAG_0, Attributes.fromBits(0).orElseThrow());
                }
                return true;
            });
            AtomicInteger leaves = new AtomicInteger();
            lmap.modifyRange(MemoryRegion.of(1, PAGE_SIZE), (range, entry, level) -> {
                if (level == 3 || !entry.isTableOrPage()) {
                    assertTrue(entry.flags().orElseThrow().contains(Attributes.SWFLAG_0));
                    assertEquals(PAGE_SIZE, range.end().minus(range.start()));
                    leaves.incrementAndGet();
                }
                return true;
            });
            assertEquals(1, leaves.get());
        }
    }

    @Test
    void breakup_invalid_block() throws Exception {
        final long blockRange = 0x200000;
        try (LinearMap lmap = new LinearMap(1, 1, 0x1000, VaRange.LOWER)) {
            lmap.mapRange(MemoryRegion.of(0, blockRange),
                    Attributes.of(Attributes.NORMAL, Attributes.NON_GLOBAL, Attributes.SWFLAG_0));
            lmap.mapRange(MemoryRegion.of(0, PAGE_SIZE),
                    Attributes.of(Attributes.NORMAL, Attributes.NON_GLOBAL, Attributes.VALID));
            AtomicInteger pages = new AtomicInteger();
            lmap.modifyRange(MemoryRegion.of(0, blockRange), (range, entry, level) -> {
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

    /**
     * The crate's {@code physical_to_virtual} panics (0.4.0 {@code src/linearmap.rs}, {@code {:#018x}} of the PA),
     * and the MMU model's view of the same translation, which has no table exactly there.
     */
    @Test
    void theMmusViewMissesExactlyWhereTheCratesPhysicalToVirtualPanics() {
        try (LinearTranslation translation = new LinearTranslation(4096)) {
            CratePanic zero = assertThrows(CratePanic.class,
                    () -> translation.physicalToVirtualAddress(new PhysicalAddress(4096)));
            assertEquals("Invalid physical address 0x0000000000001000 for pagetable (translated to virtual address 0)",
                    zero.getMessage());
            assertNull(translation.table(4096));
            CratePanic negative = assertThrows(CratePanic.class,
                    () -> translation.physicalToVirtualAddress(new PhysicalAddress(-4096L)));
            assertEquals("Invalid physical address 0xfffffffffffff000 for pagetable", negative.getMessage());
            assertNull(translation.table(-4096L));
            AllocatedTable live = translation.allocateTable();
            assertEquals(live.table().address(), translation.table(live.pa().value()).address());
            assertTrue(translation.table(live.pa().value()).isReadOnly());
            assertNull(translation.table(live.pa().value() + 4096)); // no table allocated there
        }
        try (LinearTranslation translation = new LinearTranslation(-4096)) {
            long pa = 0x7fff_ffff_ffff_f000L; // pa - (-4096) overflows isize
            CratePanic overflow = assertThrows(CratePanic.class,
                    () -> translation.physicalToVirtualAddress(new PhysicalAddress(pa)));
            assertEquals("Invalid physical address 0x7ffffffffffff000 for pagetable", overflow.getMessage());
            assertNull(translation.table(pa));
        }
    }
}
