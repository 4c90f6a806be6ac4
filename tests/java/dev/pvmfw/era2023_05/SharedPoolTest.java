package dev.pvmfw.era2023_05;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The shared pool against buddy_system_allocator's {@code FrameAllocator} (src/frame.rs): {@code dealloc} merges a
 * block with its free buddy, so once both halves of a block are back, the whole block can be allocated again,
 * whichever half came back first. Expected values worked out from frame.rs: {@code add_frame(0x10000, 0x20000)} is one
 * order-16 block; two 32 KiB {@code alloc_aligned} split it and return 0x10000, then 0x18000.
 */
class SharedPoolTest {
    static final long POOL = 0x1_0000;
    static final long HALF = 0x8000;

    static SharedPool splitInHalves() {
        SharedPool pool = new SharedPool();
        pool.addFrame(POOL, 2 * POOL);
        assertEquals(OptionalLong.of(POOL), pool.allocAligned(HALF, 1));
        assertEquals(OptionalLong.of(POOL + HALF), pool.allocAligned(HALF, 1));
        assertEquals(OptionalLong.empty(), pool.allocAligned(POOL, POOL));
        return pool;
    }

    @Test
    void freedBuddiesMergeWhenTheLowerHalfComesBackFirst() {
        SharedPool pool = splitInHalves();
        pool.deallocAligned(POOL, HALF, 1);
        pool.deallocAligned(POOL + HALF, HALF, 1);
        assertEquals(POOL, pool.freeBytes());
        assertEquals(OptionalLong.of(POOL), pool.allocAligned(POOL, POOL));
    }

    @Test
    void freedBuddiesMergeWhenTheUpperHalfComesBackFirst() {
        SharedPool pool = splitInHalves();
        pool.deallocAligned(POOL + HALF, HALF, 1);
        pool.deallocAligned(POOL, HALF, 1);
        assertEquals(POOL, pool.freeBytes());
        assertEquals(OptionalLong.of(POOL), pool.allocAligned(POOL, POOL));
    }

    @Test
    void theAlignmentGapBeforeABlockStaysFree() {
        // frame.rs: add_frame(0x1000, 0x20000) is blocks of 4, 8, 16, 32 and 64 KiB at 0x1000, 0x2000, 0x4000, 0x8000
        // and 0x10000; taking the 64 KiB one leaves the others.
        SharedPool pool = new SharedPool();
        pool.addFrame(0x1000, 0x2_0000);
        assertEquals(OptionalLong.of(0x1_0000), pool.allocAligned(0x1_0000, 0x1_0000));
        assertEquals(0xf000, pool.freeBytes());
        assertEquals(OptionalLong.of(0x1000), pool.allocAligned(0x1000, 0x1000));
        assertEquals(OptionalLong.of(0x2000), pool.allocAligned(0x2000, 0x2000));
        assertEquals(OptionalLong.of(0x4000), pool.allocAligned(0x4000, 0x4000));
        assertEquals(OptionalLong.of(0x8000), pool.allocAligned(0x8000, 0x8000));
        assertEquals(0, pool.freeBytes());
    }

    /** frame.rs rounds the count up with {@code next_power_of_two}: 1 for both 0 and 1, then the alignment if larger. */
    @Test
    void zeroAndOneByteLayoutsTakeTheSmallestBlockOrTheirAlignment() {
        SharedPool pool = new SharedPool();
        pool.addFrame(0x1000, 0x2000);
        assertEquals(OptionalLong.of(0x1000), pool.allocAligned(1, 1));
        assertEquals(0xfff, pool.freeBytes());
        assertEquals(OptionalLong.of(0x1008), pool.allocAligned(0, 8));
        assertEquals(0xfff - 8, pool.freeBytes());
        pool.deallocAligned(0x1000, 1, 1);
        assertEquals(0x1000 - 8, pool.freeBytes());
    }

    /** No Rust Layout has alignment 0 or a negative size: such a request takes nothing and frees nothing. */
    @Test
    void aRequestThatIsNoLayoutTakesNothing() {
        SharedPool pool = new SharedPool();
        pool.addFrame(0x1000, 0x2000);
        assertEquals(OptionalLong.empty(), pool.allocAligned(8, 0));
        assertEquals(OptionalLong.empty(), pool.allocAligned(-1, 8));
        assertEquals(0x1000, pool.freeBytes());
    }
}
