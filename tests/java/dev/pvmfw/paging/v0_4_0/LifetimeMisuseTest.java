package dev.pvmfw.paging.v0_4_0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.VaRange;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Misuse of the table memory's lifetime (issue 13, case 7 and 8): every such call is a {@link MemoryLifetimeException}
 * that changes nothing — no slot taken on a failed allocation, a close from a foreign thread refused — and memory too
 * large to allocate is refused before any is taken.
 */
class LifetimeMisuseTest {
    /** What {@code action} throws on another thread, or "returned". */
    static Object elsewhere(Supplier<Object> action) throws Exception {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return action.get();
                } catch (RuntimeException e) {
                    return e;
                }
            }).get();
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    static void assertLifetime(MemoryLifetimeException.Kind kind, Object outcome) {
        assertTrue(outcome instanceof MemoryLifetimeException, String.valueOf(outcome));
        assertEquals(kind, ((MemoryLifetimeException) outcome).kind());
    }

    /** Issue 13 case 7: the slot used to be taken, then a raw WrongThreadException thrown. */
    @Test
    void allocatingFromAForeignThreadTakesNoSlot() throws Exception {
        try (Arena confined = Arena.ofConfined()) {
            TableArena over = TableArena.over(confined.allocate(4 * 4096, 4096), TableArena.DEFAULT_PA_BASE);
            assertLifetime(MemoryLifetimeException.Kind.WRONG_THREAD, elsewhere(() -> over.allocateTable()));
            assertEquals(0, over.usedSlots());
            assertEquals(0, over.eventCount());
            assertEquals(0, over.allocateTable().pa().value() - TableArena.DEFAULT_PA_BASE, "slot 0 is still free");
        }
    }

    /** Issue 13 case 7: a foreign close used to mark the root closed without freeing, so the arena ended full. */
    @Test
    void closingFromAForeignThreadIsRefusedAndChangesNothing() throws Exception {
        try (Arena confined = Arena.ofConfined()) {
            TableArena over = TableArena.over(confined.allocate(4 * 4096, 4096), TableArena.DEFAULT_PA_BASE);
            RootTable root = new RootTable(over, 1, VaRange.LOWER);
            root.mapRange(MemoryRegion.of(0, 0x1000), new PhysicalAddress(0), Attributes.VALID);
            assertEquals(3, over.usedSlots());
            assertLifetime(MemoryLifetimeException.Kind.WRONG_THREAD, elsewhere(() -> {
                root.close();
                return "closed";
            }));
            assertFalse(root.isClosed());
            assertLifetime(MemoryLifetimeException.Kind.WRONG_THREAD, elsewhere(() -> {
                over.close();
                return "closed";
            }));
            assertFalse(over.isClosed());
            root.close();
            assertEquals(0, over.usedSlots(), "the owner's close frees every table");
            over.close();
            assertTrue(over.isClosed());
        }
    }

    /** Issue 13 case 8: a Descriptor kept after its arena closed used to throw a raw IllegalStateException. */
    @Test
    void aDescriptorKeptAfterTheArenaClosedIsALifetimeError() throws Exception {
        TableArena arena = TableArena.create(4);
        RootTable root = new RootTable(arena, 1, VaRange.LOWER);
        List<Descriptor> kept = new ArrayList<>();
        root.mapRange(MemoryRegion.of(0, 0x1000), new PhysicalAddress(0), Attributes.VALID);
        root.modifyRange(MemoryRegion.of(0, 0x1000), (range, d, level) -> kept.add(d));
        arena.close();
        Descriptor d = kept.getLast();
        assertEquals(MemoryLifetimeException.Kind.CLOSED, assertThrows(MemoryLifetimeException.class, d::bits).kind());
        assertThrows(MemoryLifetimeException.class, d::flags);
        assertThrows(MemoryLifetimeException.class, () -> d.modifyFlags(Attributes.SWFLAG_0, Attributes.empty()));
    }

    /** A Descriptor used from a thread its confined memory is not confined to. */
    @Test
    void aDescriptorUsedFromAForeignThreadIsALifetimeError() throws Exception {
        try (Arena confined = Arena.ofConfined()) {
            TableArena over = TableArena.over(confined.allocate(4 * 4096, 4096), TableArena.DEFAULT_PA_BASE);
            RootTable root = new RootTable(over, 1, VaRange.LOWER);
            List<Descriptor> kept = new ArrayList<>();
            root.modifyRange(MemoryRegion.of(0, 0x1000), (range, d, level) -> kept.add(d));
            assertLifetime(MemoryLifetimeException.Kind.WRONG_THREAD, elsewhere(() -> kept.getFirst().bits()));
            root.close();
        }
    }

    /** Issue 13 case 8: TableArena.create(Integer.MAX_VALUE) used to throw OutOfMemoryError. */
    @Test
    void anArenaTooLargeIsRefusedBeforeAnyMemoryIsTaken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TableArena.create(Integer.MAX_VALUE));
        assertEquals("an arena has 1.." + TableArena.MAX_SLOTS + " slots, not " + Integer.MAX_VALUE, e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TableArena.create(0));
    }
}
