package dev.pvmfw.paging.v0_12_1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.UpdaterException;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.internal.TableLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A 0.12.1 callback that throws a Java exception (no Rust counterpart) comes out wrapped in the project's
 * {@link UpdaterException}, naming the call it broke, as 0.4.0's does ({@code BadInputTest}); a {@link CratePanic}
 * unwinds unchanged. Covers the real pass of {@code modify_range}, its break-before-make dry run, and
 * {@code walk_range}'s visitor.
 */
class UpdaterExceptionTest {
    static final long PA_BASE = 0x4000_0000L;
    static final El1Attributes MEMORY = El1Attributes.fromBitsRetain(0xf05);

    TableArena arena;

    @BeforeEach
    void setUp() {
        arena = TableArena.create(8, PA_BASE);
    }

    @AfterEach
    void tearDown() {
        arena.close();
    }

    Mapping<El1Attributes> mapped() throws MapException {
        Mapping<El1Attributes> m = Mapping.withAsidAndVaRange(arena, 1, 1, El1And0.INSTANCE, VaRange.LOWER);
        m.mapRange(MemoryRegion.of(0, 0x2000), new PhysicalAddress(0x8000_0000L), MEMORY, Constraints.empty());
        return m;
    }

    /** The real pass: wrapped with the leaf's range, level and bits; the leaf changed before stays changed. */
    @Test
    void modifyRangeUpdaterExceptionIsWrappedWithTheCallItBroke() throws MapException {
        try (Mapping<El1Attributes> m = mapped()) {
            IllegalStateException boom = new IllegalStateException("boom");
            UpdaterException thrown = assertThrows(UpdaterException.class,
                    () -> m.modifyRange(MemoryRegion.of(0, 0x2000), (range, d) -> {
                        if (range.startValue() == 0x1000) {
                            throw boom;
                        }
                        return d.modifyFlags(El1Attributes.fromBitsRetain(1L << 55), El1Attributes.empty());
                    }));
            assertSame(boom, thrown.getCause());
            assertEquals(MemoryRegion.of(0x1000, 0x2000), thrown.range());
            assertEquals(3, thrown.level());
            assertEquals(0x8000_1f07L, thrown.descriptor());
            assertEquals("the updater threw java.lang.IllegalStateException (boom) for "
                    + MemoryRegion.of(0x1000, 0x2000) + " at level 3, descriptor 0x80001f07", thrown.getMessage());
            // Slot 2 is the level-3 table: entry 0 was changed before the throw, entry 1 was not.
            assertEquals(0x0080_0000_8000_0f07L, TableLayout.read(arena.segment().asSlice(2 * 4096L, 4096), 0));
            assertEquals(0x8000_1f07L, TableLayout.read(arena.segment().asSlice(2 * 4096L, 4096), 1));
        }
    }

    /** The dry run of an active mapping calls the updater too: its exception is wrapped the same way. */
    @Test
    void dryRunUpdaterExceptionIsWrapped() throws MapException {
        Mapping<El1Attributes> m = mapped();
        m.activate();
        RuntimeException boom = new UnsupportedOperationException();
        UpdaterException thrown = assertThrows(UpdaterException.class,
                () -> m.modifyRange(MemoryRegion.of(0, 0x1000), (range, d) -> {
                    throw boom;
                }));
        assertSame(boom, thrown.getCause());
        assertEquals(3, thrown.level());
        assertEquals(0x8000_0f07L, thrown.descriptor());
        m.deactivate(Mapping.NO_PREVIOUS_TTBR);
        m.close();
    }

    /** A walk_range visitor's exception is wrapped, with the clipped range the visitor was given. */
    @Test
    void walkRangeVisitorExceptionIsWrapped() throws MapException {
        try (Mapping<El1Attributes> m = mapped()) {
            RuntimeException boom = new IllegalArgumentException("no");
            UpdaterException thrown = assertThrows(UpdaterException.class,
                    () -> m.walkRange(MemoryRegion.of(0x1000, 0x2000), (range, d, level) -> {
                        throw boom;
                    }));
            assertSame(boom, thrown.getCause());
            assertEquals(MemoryRegion.of(0x1000, 0x2000), thrown.range());
            assertEquals(0x8000_1f07L, thrown.descriptor());
        }
    }

    /** A CratePanic from an updater is a Rust panic in the callback: it unwinds unchanged. */
    @Test
    void updaterPanicPropagatesUnchanged() throws MapException {
        try (Mapping<El1Attributes> m = mapped()) {
            CratePanic panic = new CratePanic("called `Option::unwrap()` on a `None` value");
            assertSame(panic, assertThrows(CratePanic.class, () -> m.modifyRange(MemoryRegion.of(0, 0x1000),
                    (range, d) -> {
                        throw panic;
                    })));
        }
    }
}
