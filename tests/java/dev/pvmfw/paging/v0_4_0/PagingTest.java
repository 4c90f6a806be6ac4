package dev.pvmfw.paging.v0_4_0;

import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.VirtualAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The unit tests of aarch64-paging 0.4.0 {@code src/paging.rs}, ported by name with the same assertions. */
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

    /** {@code #[cfg(debug_assertions)] #[should_panic]}: our address arithmetic is checked like a debug build. */
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
        Descriptor desc = Descriptor.detached(0);
        assertFalse(desc.isValid());
        assertFalse(desc.flags().orElseThrow().contains(Attributes.VALID));
    }

    @Test
    void set_descriptor() {
        final long physicalAddress = 0x12340000L;
        Descriptor desc = Descriptor.detached(0);
        assertFalse(desc.isValid());
        desc.set(new PhysicalAddress(physicalAddress),
                Attributes.of(Attributes.TABLE_OR_PAGE, Attributes.USER, Attributes.SWFLAG_1, Attributes.VALID));
        assertTrue(desc.isValid());
        assertEquals(Attributes.of(Attributes.TABLE_OR_PAGE, Attributes.USER, Attributes.SWFLAG_1, Attributes.VALID),
                desc.flags().orElseThrow());
        assertEquals(new PhysicalAddress(physicalAddress), desc.outputAddress());
    }

    @Test
    void modify_descriptor_flags() {
        Descriptor desc = Descriptor.detached(0);
        assertFalse(desc.isValid());
        desc.set(new PhysicalAddress(0x12340000L),
                Attributes.of(Attributes.TABLE_OR_PAGE, Attributes.USER, Attributes.SWFLAG_1));
        desc.modifyFlags(Attributes.of(Attributes.DBM, Attributes.SWFLAG_3),
                Attributes.of(Attributes.VALID, Attributes.SWFLAG_1));
        assertFalse(desc.isValid());
        assertEquals(Attributes.of(Attributes.TABLE_OR_PAGE, Attributes.USER, Attributes.SWFLAG_3, Attributes.DBM),
                desc.flags().orElseThrow());
    }

    @Test
    void unaligned_chunks() {
        MemoryRegion region = MemoryRegion.of(0x0000_2000, 0x0020_5000);
        List<MemoryRegion> chunks = region.split(Geometry.LEAF_LEVEL - 1);
        assertEquals(List.of(MemoryRegion.of(0x0000_2000, 0x0020_0000), MemoryRegion.of(0x0020_0000, 0x0020_5000)),
                chunks);
    }
}
