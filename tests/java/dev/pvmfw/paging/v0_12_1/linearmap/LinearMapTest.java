package dev.pvmfw.paging.v0_12_1.linearmap;

import static dev.pvmfw.paging.Geometry.BITS_PER_LEVEL;
import static dev.pvmfw.paging.Geometry.PAGE_SIZE;
import static dev.pvmfw.paging.v0_12_1.Unwrap.unwrap;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.VirtualAddress;
import dev.pvmfw.paging.v0_12_1.El1And0;
import dev.pvmfw.paging.v0_12_1.El1Attributes;
import dev.pvmfw.paging.v0_12_1.MapError;
import dev.pvmfw.paging.v0_12_1.MapException;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The unit tests of aarch64-paging 0.12.1 {@code src/linearmap.rs}, ported by name with the same assertions
 * ({@code docs/aarch64-paging-0.12.1.md}, "Tests ported"). The crate's {@code #[should_panic]} tests expect a
 * {@link CratePanic} with the crate's message; its pointer comparisons compare the virtual address
 * {@link LinearTranslation#physicalToVirtualAddress} computes.
 */
class LinearMapTest {
    static final long MAX_ADDRESS_FOR_ROOT_LEVEL_1 = 1L << 39;
    static final long GIB_512_S = 512L * 1024 * 1024 * 1024;
    static final long GIB_512 = 512L * 1024 * 1024 * 1024;
    static final El1Attributes NORMAL_CACHEABLE =
            El1Attributes.ATTRIBUTE_INDEX_1.union(El1Attributes.INNER_SHAREABLE);
    static final El1Attributes NORMAL_VALID =
            El1Attributes.of(NORMAL_CACHEABLE, El1Attributes.VALID, El1Attributes.ACCESSED);

    static LinearMap<El1Attributes> newMap(long offset) {
        return LinearMap.withAsid(1, 1, offset, El1And0.INSTANCE, VaRange.LOWER);
    }

    private static void assertMapsOk(long offset, long start, long end) {
        try (LinearMap<El1Attributes> pagetable = newMap(offset)) {
            assertDoesNotThrow(() -> pagetable.mapRange(MemoryRegion.of(start, end), NORMAL_VALID));
        }
    }

    @Test
    void map_valid() {
        // A single byte at the start of the address space.
        assertMapsOk(4096, 0, 1);
        // Two pages at the start of the address space.
        assertMapsOk(4096, 0, PAGE_SIZE * 2L);
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
        assertMapsOk(-PAGE_SIZE, PAGE_SIZE, PAGE_SIZE * 3L);
        // A single byte at the end of the address space.
        assertMapsOk(-PAGE_SIZE, MAX_ADDRESS_FOR_ROOT_LEVEL_1 - 1, MAX_ADDRESS_FOR_ROOT_LEVEL_1);
        // The entire valid address space.
        final long level2BlockSize = (long) PAGE_SIZE << BITS_PER_LEVEL;
        assertMapsOk(-level2BlockSize, level2BlockSize, MAX_ADDRESS_FOR_ROOT_LEVEL_1);
    }

    @Test
    void map_out_of_range() {
        try (LinearMap<El1Attributes> pagetable = newMap(4096)) {
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
        try (LinearMap<El1Attributes> pagetable = newMap(-4096)) {
            // One byte, with an offset which would map it to a negative IPA.
            MapException e = assertThrows(MapException.class,
                    () -> pagetable.mapRange(MemoryRegion.of(0, 1), NORMAL_CACHEABLE));
            assertEquals(new MapError.InvalidVirtualAddress(new VirtualAddress(0)), e.error());
        }
    }

    @Test
    void physical_address_in_range_ttbr0() {
        try (LinearTranslation translation = new LinearTranslation(4096)) {
            assertEquals(new VirtualAddress(4096),
                    translation.physicalToVirtualAddress(new PhysicalAddress(8192)));
            assertEquals(new VirtualAddress(GIB_512),
                    translation.physicalToVirtualAddress(new PhysicalAddress(GIB_512 + 4096)));
        }
    }

    /** {@code #[should_panic]}. */
    @Test
    void physical_address_to_zero_ttbr0() {
        try (LinearTranslation translation = new LinearTranslation(4096)) {
            CratePanic panic = assertThrows(CratePanic.class,
                    () -> translation.physicalToVirtual(new PhysicalAddress(4096)));
            assertEquals("Invalid physical address 0x0000000000001000 for pagetable (translated to virtual address 0)",
                    panic.getMessage());
        }
    }

    /** {@code #[should_panic]}. */
    @Test
    void physical_address_out_of_range_ttbr0() {
        try (LinearTranslation translation = new LinearTranslation(4096)) {
            CratePanic panic = assertThrows(CratePanic.class,
                    () -> translation.physicalToVirtual(new PhysicalAddress(-4096L)));
            assertEquals("Invalid physical address 0xfffffffffffff000 for pagetable", panic.getMessage());
        }
    }

    @Test
    void physical_address_in_range_ttbr1() {
        // Map the 512 GiB region at the top of virtual address space to one page above the bottom of physical
        // address space.
        try (LinearTranslation translation = new LinearTranslation(GIB_512_S + 4096)) {
            assertEquals(new VirtualAddress(4096 - GIB_512_S),
                    translation.physicalToVirtualAddress(new PhysicalAddress(8192)));
            assertEquals(new VirtualAddress(-4096L),
                    translation.physicalToVirtualAddress(new PhysicalAddress(GIB_512)));
        }
    }

    /** {@code #[should_panic]}. */
    @Test
    void physical_address_to_zero_ttbr1() {
        // Map the 512 GiB region at the top of virtual address space to the bottom of physical address space.
        try (LinearTranslation translation = new LinearTranslation(GIB_512_S)) {
            CratePanic panic = assertThrows(CratePanic.class,
                    () -> translation.physicalToVirtual(new PhysicalAddress(GIB_512)));
            assertEquals("Invalid physical address 0x0000008000000000 for pagetable (translated to virtual address 0)",
                    panic.getMessage());
        }
    }

    /** {@code #[should_panic]}. */
    @Test
    void physical_address_out_of_range_ttbr1() {
        // Map the 512 GiB region at the top of virtual address space to the bottom of physical address space.
        try (LinearTranslation translation = new LinearTranslation(GIB_512_S)) {
            CratePanic panic = assertThrows(CratePanic.class,
                    () -> translation.physicalToVirtual(new PhysicalAddress(-4096L)));
            assertEquals("Invalid physical address 0xfffffffffffff000 for pagetable", panic.getMessage());
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
    void virtual_address_range_ttbr1() throws MapException {
        // Map the 512 GiB region at the top of virtual address space to the bottom of physical address space.
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
    void block_mapping() throws MapException {
        // Test that block mapping is used when the PA is appropriately aligned...
        try (LinearMap<El1Attributes> pagetable = newMap(1L << 30)) {
            pagetable.mapRange(MemoryRegion.of(0, 1L << 30), NORMAL_VALID);
            assertEquals(OptionalInt.of(1), pagetable.mapping().root().mappingLevel(new VirtualAddress(0)));
        }
        // ...but not when it is not.
        try (LinearMap<El1Attributes> pagetable = newMap(1L << 29)) {
            pagetable.mapRange(MemoryRegion.of(0, 1L << 30), NORMAL_VALID);
            assertEquals(OptionalInt.of(2), pagetable.mapping().root().mappingLevel(new VirtualAddress(0)));
        }
    }

    static LinearMap<El1Attributes> makeMap() throws MapException {
        LinearMap<El1Attributes> lmap = newMap(4096);
        // Mapping VA range 0x0 - 0x2000 to PA range 0x1000 - 0x3000
        lmap.mapRange(MemoryRegion.of(0, PAGE_SIZE * 2L), NORMAL_CACHEABLE);
        return lmap;
    }

    @Test
    void update_backwards_range() throws MapException {
        try (LinearMap<El1Attributes> lmap = makeMap()) {
            MapException e = assertThrows(MapException.class, () -> lmap.modifyRange(MemoryRegion.of(PAGE_SIZE * 2L, 1),
                    (range, entry) -> entry.modifyFlags(El1Attributes.SWFLAG_0,
                            El1Attributes.fromBits(0).orElseThrow())));
            // Not in the crate's test (it asserts is_err): which error.
            assertInstanceOf(MapError.RegionBackwards.class, e.error());
        }
    }

    @Test
    void update_range() throws MapException {
        try (LinearMap<El1Attributes> lmap = makeMap()) {
            lmap.modifyRange(MemoryRegion.of(1, PAGE_SIZE), (range, entry) -> entry.isTable()
                    || entry.modifyFlags(El1Attributes.SWFLAG_0, El1Attributes.fromBits(0).orElseThrow()));
            AtomicInteger leaves = new AtomicInteger();
            lmap.modifyRange(MemoryRegion.of(1, PAGE_SIZE), (range, entry) -> {
                if (!entry.isTable()) {
                    assertTrue(entry.flags().contains(El1Attributes.SWFLAG_0));
                    assertEquals(PAGE_SIZE, range.end().minus(range.start()));
                    leaves.incrementAndGet();
                }
                return true;
            });
            // Not in the crate's test: the assertions ran.
            assertEquals(1, leaves.get());
        }
    }

    @Test
    void breakup_invalid_block() throws MapException {
        final long blockRange = 0x200000;
        try (LinearMap<El1Attributes> lmap = newMap(0x1000)) {
            lmap.mapRange(MemoryRegion.of(0, blockRange),
                    El1Attributes.of(NORMAL_CACHEABLE, El1Attributes.NON_GLOBAL, El1Attributes.SWFLAG_0));
            lmap.mapRange(MemoryRegion.of(0, PAGE_SIZE),
                    El1Attributes.of(NORMAL_CACHEABLE, El1Attributes.NON_GLOBAL, El1Attributes.VALID,
                            El1Attributes.ACCESSED));
            AtomicInteger pages = new AtomicInteger();
            lmap.modifyRange(MemoryRegion.of(0, blockRange), (range, entry) -> {
                if (entry.level() == 3) {
                    boolean hasSwflag = entry.flags().contains(El1Attributes.SWFLAG_0);
                    boolean isFirstPage = range.start().value() == 0L;
                    assertNotEquals(hasSwflag, isFirstPage);
                    pages.incrementAndGet();
                }
                return true;
            });
            // Not in the crate's test: every page was seen.
            assertEquals(512, pages.get());
        }
    }

    /**
     * {@code #[should_panic]}: on a live read-only block mapped at an offset of one block, identical remaps of its
     * first two pages pass, a remap of the second without READ_ONLY is a violation, and the final unwrap panics.
     */
    @Test
    void split_live_block_mapping() throws MapException {
        final long blockSize = (long) PAGE_SIZE << BITS_PER_LEVEL;
        El1Attributes readOnly = El1Attributes.of(NORMAL_CACHEABLE, El1Attributes.NON_GLOBAL,
                El1Attributes.READ_ONLY, El1Attributes.VALID, El1Attributes.ACCESSED);
        try (LinearMap<El1Attributes> lmap = newMap(blockSize)) {
            lmap.mapRange(MemoryRegion.of(0, blockSize), readOnly);
            long ttbr = lmap.activate();
            lmap.mapRange(MemoryRegion.of(0, PAGE_SIZE), readOnly);
            lmap.mapRange(MemoryRegion.of(PAGE_SIZE, 2 * PAGE_SIZE), readOnly);
            MapException r = null;
            try {
                lmap.mapRange(MemoryRegion.of(PAGE_SIZE, 2 * PAGE_SIZE), El1Attributes.of(NORMAL_CACHEABLE,
                        El1Attributes.NON_GLOBAL, El1Attributes.VALID, El1Attributes.ACCESSED));
            } catch (MapException e) {
                r = e;
            }
            lmap.deactivate(ttbr);
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
}
