package dev.pvmfw.paging.v0_12_1;

import static dev.pvmfw.paging.Geometry.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.VirtualAddress;
import dev.pvmfw.paging.v0_12_1.target.TargetAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The unit tests of aarch64-paging 0.12.1 {@code src/paging.rs}, ported by name with the same assertions
 * ({@code docs/aarch64-paging-0.12.1.md}, "Tests ported").
 */
class PagingTest {

    @Test
    void display_memory_region() {
        MemoryRegion region = MemoryRegion.of(0x1234, 0x56789);
        assertEquals("0x0000000000001000..0x0000000000057000", region.toString());
        // Debug is Display for MemoryRegion.
        assertEquals("0x0000000000001000..0x0000000000057000", String.valueOf(region));
    }

    @Test
    void subtract_virtual_address() {
        VirtualAddress low = new VirtualAddress(0x12);
        VirtualAddress high = new VirtualAddress(0x1234);
        assertEquals(0x1222, high.minus(low));
    }

    /** {@code #[cfg(debug_assertions)] #[should_panic]}: the address types check their arithmetic as a debug build. */
    @Test
    void subtract_virtual_address_overflow() {
        VirtualAddress low = new VirtualAddress(0x12);
        VirtualAddress high = new VirtualAddress(0x1234);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> low.minus(high));
        assertEquals("attempt to subtract with overflow", e.getMessage());
    }

    @Test
    void add_virtual_address() {
        assertEquals(new VirtualAddress(0x1276), new VirtualAddress(0x1234).add(0x42));
    }

    @Test
    void subtract_physical_address() {
        PhysicalAddress low = new PhysicalAddress(0x12);
        PhysicalAddress high = new PhysicalAddress(0x1234);
        assertEquals(0x1222, high.minus(low));
    }

    /** {@code #[cfg(debug_assertions)] #[should_panic]}. */
    @Test
    void subtract_physical_address_overflow() {
        PhysicalAddress low = new PhysicalAddress(0x12);
        PhysicalAddress high = new PhysicalAddress(0x1234);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> low.minus(high));
        assertEquals("attempt to subtract with overflow", e.getMessage());
    }

    @Test
    void add_physical_address() {
        assertEquals(new PhysicalAddress(0x1276), new PhysicalAddress(0x1234).add(0x42));
    }

    @Test
    void invalid_descriptor() {
        Descriptor<El1Attributes> desc = Descriptor.detached(El1Attributes.TYPE, 0);
        assertFalse(desc.isValid());
        assertFalse(desc.flags().contains(El1Attributes.VALID));
    }

    @Test
    void set_descriptor() {
        final long physicalAddress = 0x12340000L;
        Descriptor<El1Attributes> desc = Descriptor.detached(El1Attributes.TYPE, 0);
        assertFalse(desc.isValid());
        desc.set(new PhysicalAddress(physicalAddress), El1Attributes.of(El1Attributes.TABLE_OR_PAGE,
                El1Attributes.USER, El1Attributes.SWFLAG_1, El1Attributes.VALID));
        assertTrue(desc.isValid());
        assertEquals(El1Attributes.of(El1Attributes.TABLE_OR_PAGE, El1Attributes.USER, El1Attributes.SWFLAG_1,
                El1Attributes.VALID), desc.flags());
        assertEquals(new PhysicalAddress(physicalAddress), desc.outputAddress());
    }

    @Test
    void modify_descriptor_flags() {
        Descriptor<El1Attributes> desc = Descriptor.detached(El1Attributes.TYPE, 0);
        assertFalse(desc.isValid());
        desc.set(new PhysicalAddress(0x12340000L),
                El1Attributes.of(El1Attributes.TABLE_OR_PAGE, El1Attributes.USER, El1Attributes.SWFLAG_1));
        Unwrap.unwrap(UpdatableDescriptor.of(desc, 3, true).modifyFlags(
                El1Attributes.of(El1Attributes.DBM, El1Attributes.SWFLAG_3),
                El1Attributes.of(El1Attributes.VALID, El1Attributes.SWFLAG_1)));
        assertFalse(desc.isValid());
        assertEquals(El1Attributes.of(El1Attributes.TABLE_OR_PAGE, El1Attributes.USER, El1Attributes.SWFLAG_3,
                El1Attributes.DBM), desc.flags());
    }

    /** {@code #[should_panic]}: modify_flags refuses to clear TABLE_OR_PAGE, and the unwrap panics. */
    @Test
    void modify_descriptor_table_or_page_flag() {
        Descriptor<El1Attributes> desc = Descriptor.detached(El1Attributes.TYPE, 0);
        assertFalse(desc.isValid());
        desc.set(new PhysicalAddress(0x12340000L),
                El1Attributes.of(El1Attributes.TABLE_OR_PAGE, El1Attributes.USER, El1Attributes.SWFLAG_1));
        long before = desc.bits();
        CratePanic panic = assertThrows(CratePanic.class, () -> Unwrap.unwrap(UpdatableDescriptor.of(desc, 3, false)
                .modifyFlags(El1Attributes.VALID, El1Attributes.TABLE_OR_PAGE)));
        assertEquals("called `Result::unwrap()` on an `Err` value: ()", panic.getMessage());
        // Not in the crate's test: the refusal wrote nothing.
        assertEquals(before, desc.bits());
    }

    @Test
    void unaligned_chunks() {
        MemoryRegion region = MemoryRegion.of(0x0000_2000, 0x0020_5000);
        List<MemoryRegion> chunks = region.split(Geometry.LEAF_LEVEL - 1);
        assertEquals(List.of(MemoryRegion.of(0x0000_2000, 0x0020_0000), MemoryRegion.of(0x0020_0000, 0x0020_5000)),
                chunks);
    }

    @Test
    void table_or_page() {
        // Invalid.
        assertFalse(Descriptor.detached(El1Attributes.TYPE, 0b00).isTableOrPage());
        assertFalse(Descriptor.detached(El1Attributes.TYPE, 0b10).isTableOrPage());
        // Block mapping.
        assertFalse(Descriptor.detached(El1Attributes.TYPE, 0b01).isTableOrPage());
        // Table or page.
        assertTrue(Descriptor.detached(El1Attributes.TYPE, 0b11).isTableOrPage());
    }

    @Test
    void table_or_page_unknown_bits() {
        // Some RES0 and IGNORED bits that we set for the sake of the test.
        final long unknown = 1L << 50 | 1L << 52;
        // Invalid.
        assertFalse(Descriptor.detached(El1Attributes.TYPE, unknown | 0b00).isTableOrPage());
        assertFalse(Descriptor.detached(El1Attributes.TYPE, unknown | 0b10).isTableOrPage());
        // Block mapping.
        assertFalse(Descriptor.detached(El1Attributes.TYPE, unknown | 0b01).isTableOrPage());
        // Table or page.
        assertTrue(Descriptor.detached(El1Attributes.TYPE, unknown | 0b11).isTableOrPage());
    }

    @Test
    void debug_roottable_empty() {
        try (TargetAllocator allocator = new TargetAllocator(0)) {
            RootTable<El1Attributes> table = RootTable.withVaRange(allocator, 1, El1And0.INSTANCE, VaRange.LOWER);
            assertEquals("""
                    RootTable { pa: 0x0000000000000000, translation_regime: \
                    PhantomData<aarch64_paging::paging::El1And0>, va_range: Lower, level: 1, table:
                    0  -511: 0
                    }""", table.debug());
            table.close();
        }
    }

    @Test
    void debug_roottable_contiguous() throws MapException {
        try (TargetAllocator allocator = new TargetAllocator(0)) {
            RootTable<El1Attributes> table = RootTable.withVaRange(allocator, 1, El1And0.INSTANCE, VaRange.LOWER);
            table.mapRange(MemoryRegion.of(PAGE_SIZE * 3L, PAGE_SIZE * 6L), new PhysicalAddress(PAGE_SIZE * 3L),
                    El1Attributes.of(El1Attributes.VALID, El1Attributes.NON_GLOBAL), Constraints.empty());
            table.mapRange(MemoryRegion.of(PAGE_SIZE * 6L, PAGE_SIZE * 7L), new PhysicalAddress(PAGE_SIZE * 6L),
                    El1Attributes.of(El1Attributes.VALID, El1Attributes.READ_ONLY), Constraints.empty());
            table.mapRange(MemoryRegion.of(PAGE_SIZE * 8L, PAGE_SIZE * 9L), new PhysicalAddress(PAGE_SIZE * 8L),
                    El1Attributes.of(El1Attributes.VALID, El1Attributes.READ_ONLY), Constraints.empty());
            assertEquals("""
                    RootTable { pa: 0x0000000000000000, translation_regime: \
                    PhantomData<aarch64_paging::paging::El1And0>, va_range: Lower, level: 1, table:
                    0      : 0x00000000001003 (0x0000000000001000, El1Attributes(VALID | TABLE_OR_PAGE))
                      0      : 0x00000000002003 (0x0000000000002000, El1Attributes(VALID | TABLE_OR_PAGE))
                        0  -2  : 0
                        3  -5  : 0x00000000003803 (0x0000000000003000, El1Attributes(VALID | TABLE_OR_PAGE | NON_GLOBAL))
                        6      : 0x00000000006083 (0x0000000000006000, El1Attributes(VALID | TABLE_OR_PAGE | READ_ONLY))
                        7      : 0
                        8      : 0x00000000008083 (0x0000000000008000, El1Attributes(VALID | TABLE_OR_PAGE | READ_ONLY))
                        9  -511: 0
                      1  -511: 0
                    1  -511: 0
                    }""", table.debug());
            table.close();
        }
    }

    @Test
    void debug_roottable_contiguous_block() throws MapException {
        try (TargetAllocator allocator = new TargetAllocator(0)) {
            RootTable<El1Attributes> table = RootTable.withVaRange(allocator, 1, El1And0.INSTANCE, VaRange.LOWER);
            final long blockSize = PAGE_SIZE * 512L;
            table.mapRange(MemoryRegion.of(blockSize * 3, blockSize * 6), new PhysicalAddress(blockSize * 3),
                    El1Attributes.of(El1Attributes.VALID, El1Attributes.NON_GLOBAL), Constraints.empty());
            table.mapRange(MemoryRegion.of(blockSize * 6, blockSize * 7), new PhysicalAddress(blockSize * 6),
                    El1Attributes.of(El1Attributes.VALID, El1Attributes.READ_ONLY), Constraints.empty());
            table.mapRange(MemoryRegion.of(blockSize * 8, blockSize * 9), new PhysicalAddress(blockSize * 8),
                    El1Attributes.of(El1Attributes.VALID, El1Attributes.READ_ONLY), Constraints.empty());
            assertEquals("""
                    RootTable { pa: 0x0000000000000000, translation_regime: \
                    PhantomData<aarch64_paging::paging::El1And0>, va_range: Lower, level: 1, table:
                    0      : 0x00000000001003 (0x0000000000001000, El1Attributes(VALID | TABLE_OR_PAGE))
                      0  -2  : 0
                      3  -5  : 0x00000000600801 (0x0000000000600000, El1Attributes(VALID | NON_GLOBAL))
                      6      : 0x00000000c00081 (0x0000000000c00000, El1Attributes(VALID | READ_ONLY))
                      7      : 0
                      8      : 0x00000001000081 (0x0000000001000000, El1Attributes(VALID | READ_ONLY))
                      9  -511: 0
                    1  -511: 0
                    }""", table.debug());
            table.close();
        }
    }
}
