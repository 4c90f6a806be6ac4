package dev.pvmfw.paging.v0_12_1.target;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pvmfw.paging.AllocatedTable;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.v0_12_1.Constraints;
import dev.pvmfw.paging.v0_12_1.El1And0;
import dev.pvmfw.paging.v0_12_1.El1Attributes;
import dev.pvmfw.paging.v0_12_1.MapException;
import dev.pvmfw.paging.v0_12_1.RootTable;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The unit test of aarch64-paging 0.12.1 {@code src/target.rs}, ported by name, and the {@code TargetAllocator}
 * doctest ({@code docs/aarch64-paging-0.12.1.md}, "Tests ported").
 */
class TargetAllocatorTest {
    static final int TABLE = 4096;
    static final int ROOT_LEVEL = 1;

    static El1Attributes deviceUxn() {
        return El1Attributes.of(El1Attributes.VALID, El1Attributes.ATTRIBUTE_INDEX_0, El1Attributes.INNER_SHAREABLE,
                El1Attributes.UXN);
    }

    static void assertZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            assertEquals(0, bytes[i], "byte " + i);
        }
    }

    @Test
    void map_one_page() throws MapException {
        try (TargetAllocator allocator = new TargetAllocator(0x1_0000)) {
            RootTable<El1Attributes> map = RootTable.withVaRange(allocator, ROOT_LEVEL, El1And0.INSTANCE,
                    VaRange.LOWER);
            map.mapRange(MemoryRegion.of(0x0, 0x1000), new PhysicalAddress(0x4_2000), deviceUxn(),
                    Constraints.empty());

            byte[] bytes = ((TargetAllocator) map.translation()).asBytes();
            assertEquals(3 * TABLE, bytes.length);
            // Table mapping for table at 0x01_1000
            assertArrayEquals(new byte[] {0x03, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00},
                    Arrays.copyOfRange(bytes, 0, 8));
            assertZero(bytes, 8, TABLE);
            // Table mapping for table at 0x01_2000
            assertArrayEquals(new byte[] {0x03, 0x20, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00},
                    Arrays.copyOfRange(bytes, TABLE, TABLE + 8));
            assertZero(bytes, TABLE + 8, 2 * TABLE);
            // Page mapping for 0x04_2000 with the attributes given above.
            assertArrayEquals(new byte[] {0x03, 0x23, 0x04, 0x00, 0x00, 0x00, 0x40, 0x00},
                    Arrays.copyOfRange(bytes, 2 * TABLE, 2 * TABLE + 8));
            assertZero(bytes, 2 * TABLE + 8, 3 * TABLE);
            map.close();
        }
    }

    /** The {@code TargetAllocator} doctest: map one page and take the bytes to build into an image. */
    @Test
    void doctest_target_allocator_example() throws MapException {
        try (TargetAllocator allocator = new TargetAllocator(0x1_0000)) {
            RootTable<El1Attributes> map = RootTable.withVaRange(allocator, ROOT_LEVEL, El1And0.INSTANCE,
                    VaRange.LOWER);
            map.mapRange(MemoryRegion.of(0x0, 0x1000), new PhysicalAddress(0x4_2000), deviceUxn(),
                    Constraints.empty());
            byte[] bytes = allocator.asBytes();
            // Build the bytes into a binary image for the target device...
            // Not in the doctest: what they are.
            assertEquals(3 * TABLE, bytes.length);
            map.close();
            // Not in the doctest: freed places stay in the list, as zeros.
            assertArrayEquals(new byte[3 * TABLE], allocator.asBytes());
        }
    }

    /** Not a crate test: the base address given to {@code new}. */
    @Test
    void baseAddressIsTheOneGiven() {
        try (TargetAllocator allocator = new TargetAllocator(0x1_0000)) {
            assertEquals(0x1_0000, allocator.baseAddress());
        }
    }

    /**
     * Not a crate test: {@code physical_to_virtual} indexes {@code allocations} by {@code (pa - base) / 4096}, so
     * the second place is found at {@code base + 4096}, the place after the list's end panics as a {@code Vec} index
     * does, and a freed place as {@code Option::unwrap} of {@code None}.
     */
    @Test
    void physicalToVirtualFindsThePlaceOfThePa() {
        try (TargetAllocator allocator = new TargetAllocator(0x1_0000)) {
            AllocatedTable first = allocator.allocateTable();
            AllocatedTable second = allocator.allocateTable();
            assertEquals(0x1_1000, second.pa().value());
            second.table().set(ValueLayout.JAVA_LONG, 0, 0x1234L);
            assertEquals(0x1234L, allocator.physicalToVirtual(new PhysicalAddress(0x1_1000))
                    .get(ValueLayout.JAVA_LONG, 0));
            assertEquals(0x1234L, allocator.table(0x1_1000).get(ValueLayout.JAVA_LONG, 0));
            assertEquals(0, allocator.table(0x1_0000).get(ValueLayout.JAVA_LONG, 0));
            assertEquals("index out of bounds: the len is 2 but the index is 2", assertThrows(CratePanic.class,
                    () -> allocator.physicalToVirtual(new PhysicalAddress(0x1_2000))).getMessage());
            assertNull(allocator.table(0x1_2000));
            assertNull(allocator.table(0x1_5000));
            allocator.deallocateTable(first.table());
            assertEquals("called `Option::unwrap()` on a `None` value", assertThrows(CratePanic.class,
                    () -> allocator.physicalToVirtual(new PhysicalAddress(0x1_0000))).getMessage());
            assertNull(allocator.table(0x1_0000));
            assertEquals(0x1234L, allocator.physicalToVirtual(new PhysicalAddress(0x1_1000))
                    .get(ValueLayout.JAVA_LONG, 0), "the second place, with the first one free");
        }
    }

    /** Not a crate test (its Drop frees the tables): after {@code close} the tables are gone, a typed error. */
    @Test
    void closeFreesTheTables() {
        TargetAllocator allocator = new TargetAllocator(0x1_0000);
        allocator.allocateTable();
        allocator.close();
        assertEquals(MemoryLifetimeException.Kind.CLOSED,
                assertThrows(MemoryLifetimeException.class, allocator::asBytes).kind());
    }
}
