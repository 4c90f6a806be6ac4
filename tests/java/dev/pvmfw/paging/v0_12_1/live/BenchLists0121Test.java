package dev.pvmfw.paging.v0_12_1.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pvmfw.bindings.v0_12_1.PvmfwPagingOracle0121;
import dev.pvmfw.bindings.v0_12_1.PvpResult;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.v0_12_1.Constraints;
import dev.pvmfw.paging.v0_12_1.El1And0;
import dev.pvmfw.paging.v0_12_1.El1Attributes;
import dev.pvmfw.paging.v0_12_1.MapError;
import dev.pvmfw.paging.v0_12_1.MapException;
import dev.pvmfw.paging.v0_12_1.Mapping;
import dev.pvmfw.paging.v0_12_1.Updater;
import dev.pvmfw.paging.v0_12_1.profile.PvmfwPageTable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' lists ({@code tests/bench}, {@code Paging0121Benchmark}) on both engines, whole: the crate through
 * ABI 2's whole-list entry points ({@code pvp0121_table_map_pages}, {@code pvp0121_table_fault_batch},
 * {@code pvp0121_table_modify_flags_builtin}), Java through the engine with the same updaters; the arenas must be
 * identical byte for byte and the counts the list's length, so that the benchmark compares the same work. Skipped
 * without the library ({@code -Poracle} builds it).
 */
class BenchLists0121Test {
    static final int SLOTS = 520;
    static final long PA_BASE = 0x4000_0000L;
    static final int PAGES = 262_144;
    static final long WINDOW = 0x200_0000L;
    static final int FAULTS = (64 << 20) / 4096;
    static final El1Attributes DEVICE_PAGE = PvmfwPageTable.DEVICE.union(El1Attributes.TABLE_OR_PAGE);
    /** R4 op 2's corrected flow, as the benchmark's Java side does it. */
    static final Updater<El1Attributes> FAULT = (range, d) -> {
        long bits = d.flags().bits();
        return d.level() == 3 && (bits & El1Attributes.SWFLAG_0.bits()) != 0 && (bits & 1) == 0
                && d.set(new PhysicalAddress(range.startValue()), DEVICE_PAGE);
    };

    static Oracle0121 oracle() {
        Oracle0121 o = Oracle0121.get();
        if (o == null && Boolean.getBoolean("pvmfw.oracle.required")) {
            throw new AssertionError("the 0.12.1 oracle is required but unavailable: " + Oracle0121.unavailable());
        }
        assumeTrue(o != null, () -> "0.12.1 oracle unavailable: " + Oracle0121.unavailable());
        return o;
    }

    /** Both engines on fresh El1And0 mappings (ASID 1, level 1, lower): Java's arena and the crate's. */
    record Pair(TableArena java, Mapping<El1Attributes> mapping, MemorySegment rustArena, MemorySegment handle,
            MemorySegment result) {}

    static Pair pair(Oracle0121 o, Arena mem) {
        TableArena java = TableArena.create(SLOTS, PA_BASE);
        Mapping<El1Attributes> m = Mapping.withAsidAndVaRange(java, 1, 1, El1And0.INSTANCE, VaRange.LOWER);
        MemorySegment rustArena = mem.allocate((long) SLOTS * 4096, 4096);
        MemorySegment result = PvpResult.allocate(mem);
        MemorySegment h = o.tableNew(rustArena, SLOTS, PA_BASE, PvmfwPagingOracle0121.PVP_REGIME_EL1_AND_0(), 1,
                false, 1, result);
        assertEquals(0, PvpResult.code(result));
        return new Pair(java, m, rustArena, h, result);
    }

    static void assertSameArena(Pair p) {
        assertEquals(-1, p.java().segment().mismatch(p.rustArena()), "the arenas differ");
    }

    static void mapOneGib(Pair p, Oracle0121 o) throws MapException {
        for (long va = 0; va < (long) PAGES << 12; va += 4096) {
            p.mapping().mapRange(MemoryRegion.of(va, va + 4096), new PhysicalAddress(va), PvmfwPageTable.MEMORY,
                    Constraints.empty());
        }
        assertEquals(PAGES, o.mapPages(p.handle(), 0, PAGES, 0, PvmfwPageTable.MEMORY.bits(), 0, p.result()));
        assertEquals(0, PvpResult.code(p.result()));
    }

    @Test
    void mapPagesIsMapRangePageByPage() throws MapException {
        Oracle0121 o = oracle();
        try (Arena mem = Arena.ofConfined()) {
            Pair p = pair(o, mem);
            mapOneGib(p, o);
            assertSameArena(p);
            o.free(p.handle());
            p.mapping().close();
            p.java().close();
        }
    }

    @Test
    void faultBatchIsTheCorrectedFaultFlowAndStopsAtTheFirstRefusal() throws MapException {
        Oracle0121 o = oracle();
        try (Arena mem = Arena.ofConfined()) {
            Pair p = pair(o, mem);
            long end = WINDOW + ((long) FAULTS << 12);
            p.mapping().mapRange(MemoryRegion.of(WINDOW, end), new PhysicalAddress(WINDOW),
                    PvmfwPageTable.DEVICE_LAZY, Constraints.empty());
            assertEquals(0, o.mapRange(p.handle(), WINDOW, end, WINDOW, PvmfwPageTable.DEVICE_LAZY.bits(), 0,
                    p.result()));
            long[] faults = new long[FAULTS + 1];
            for (int i = 0; i < FAULTS; i++) {
                faults[i] = WINDOW + ((long) i << 12) + (i & 0xfff);
                p.mapping().modifyRange(MemoryRegion.of(faults[i], faults[i] + 1), FAULT);
            }
            // A second fault on the first page: no longer lazy, so the updater refuses (PteUpdateFault).
            faults[FAULTS] = WINDOW;
            MapException e = assertThrows(MapException.class,
                    () -> p.mapping().modifyRange(MemoryRegion.of(WINDOW, WINDOW + 1), FAULT));
            MemorySegment list = mem.allocateFrom(ValueLayout.JAVA_LONG, faults);
            assertEquals(FAULTS, o.faultBatch(p.handle(), list, DEVICE_PAGE.bits(), p.result()));
            assertEquals(PvmfwPagingOracle0121.PVP_ERR_PTE_UPDATE_FAULT(), PvpResult.code(p.result()));
            assertEquals(((MapError.PteUpdateFault) e.error()).descriptor(), PvpResult.value0(p.result()));
            assertSameArena(p);
            // R4 op 2's page: DEVICE | TABLE_OR_PAGE at its own PA.
            assertEquals(0x00c0_0000_0200_0403L, p.java().segment().get(ValueLayout.JAVA_LONG_UNALIGNED,
                    2 * 4096 + 0));
            o.free(p.handle());
            p.mapping().close();
            p.java().close();
        }
    }

    @Test
    void modifyFlagsBuiltinCallsModifyFlagsOnEveryLeaf() throws MapException {
        Oracle0121 o = oracle();
        try (Arena mem = Arena.ofConfined()) {
            Pair p = pair(o, mem);
            mapOneGib(p, o);
            long[] calls = {0};
            p.mapping().modifyRange(MemoryRegion.of(0, (long) PAGES << 12), (range, d) -> {
                calls[0]++;
                return d.modifyFlags(El1Attributes.SWFLAG_0, El1Attributes.empty());
            });
            assertEquals(0, o.modifyFlagsBuiltin(p.handle(), 0, (long) PAGES << 12, El1Attributes.SWFLAG_0.bits(), 0,
                    p.result()));
            assertEquals(PAGES, calls[0], "0.12 calls the updater on leaves only");
            assertEquals(PAGES, PvpResult.value0(p.result()));
            assertSameArena(p);
            o.free(p.handle());
            p.mapping().close();
            p.java().close();
        }
    }
}
