package dev.pvmfw.oracle.rust;

import static dev.pvmfw.bindings.v0_4_0.PvmfwPagingOracle040.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.bindings.v0_4_0.PvpResult;
import dev.pvmfw.bindings.v0_4_0.PvpTraceEntry;
import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.testing.LiveOracle;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The oracle library's own contract (the header's doc comments), called through the bindings directly, as no engine
 * would misuse it: live only (skipped without the library, see {@link LiveOracle}).
 */
class LibraryContractTest {
    static final int SLOTS = 16;
    static final long PA_BASE = 0x4000_0000L;
    /** What the trace length holds before a call, so that a call that does not write it shows. */
    static final long STALE = 0x5741_1E;

    /** A table over an arena of ours, with the result, handle and trace memory its calls need. */
    static final class Table implements AutoCloseable {
        final Arena arena = Arena.ofConfined();
        final MemorySegment tables = arena.allocate(SLOTS * 4096L, 4096);
        final MemorySegment result = PvpResult.allocate(arena);
        final MemorySegment trace = arena.allocate(PvpTraceEntry.layout(), 64);
        final MemorySegment traceLen = arena.allocate(ValueLayout.JAVA_LONG);
        final MemorySegment handle;

        Table() {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            assertEquals(PVP_OK(), pvp040_table_new(tables, SLOTS, PA_BASE, 1, PVP_VA_RANGE_LOWER(), out, result));
            handle = out.get(ValueLayout.ADDRESS, 0);
        }

        long traceLen() {
            return traceLen.get(ValueLayout.JAVA_LONG, 0);
        }

        void staleTraceLen() {
            traceLen.set(ValueLayout.JAVA_LONG, 0, STALE);
        }

        int builtin(int which) {
            return pvp040_table_modify_range_builtin(handle, 0, 0x2000, which, trace, 64, traceLen, result);
        }

        @Override
        public void close() {
            try {
                pvp040_table_drop(handle, result);
            } finally {
                arena.close();
            }
        }
    }

    @Test
    void aModifyRefusedForItsArgumentsLeavesTraceLengthZeroNotThePreviousCallsLength() {
        LiveOracle.require();
        try (Table t = new Table()) {
            long flags = Attributes.of(Attributes.VALID, Attributes.NORMAL).bits();
            assertEquals(PVP_OK(), pvp040_table_map_range(t.handle, 0, 0x2000, 0x8000_0000L, flags, t.result));
            t.staleTraceLen();
            assertEquals(PVP_OK(), t.builtin(PVP_BUILTIN_SET_SWFLAG_0_ON_LEAVES()));
            assertTrue(t.traceLen() > 0 && t.traceLen() != STALE, "a modify that ran: " + t.traceLen());

            t.staleTraceLen();
            assertEquals(PVP_INVALID_ARGUMENT(), t.builtin(0x7fff), "unknown built-in");
            assertEquals(0, t.traceLen(), "unknown built-in");

            t.staleTraceLen();
            assertEquals(PVP_INVALID_ARGUMENT(), pvp040_table_modify_range(t.handle, 0, 0x2000, MemorySegment.NULL,
                    MemorySegment.NULL, t.trace, 64, t.traceLen, t.result), "NULL updater");
            assertEquals(0, t.traceLen(), "NULL updater");

            t.staleTraceLen();
            assertEquals(PVP_INVALID_ARGUMENT(), pvp040_table_modify_range_builtin(t.handle, 0, 0x2000,
                    PVP_BUILTIN_SET_SWFLAG_0_ON_LEAVES(), MemorySegment.NULL, 64, t.traceLen, t.result),
                    "NULL trace with a capacity");
            assertEquals(0, t.traceLen(), "NULL trace with a capacity");

            assertEquals(PVP_OK(), pvp040_table_drop_root(t.handle, t.result));
            t.staleTraceLen();
            assertEquals(PVP_INVALID_ARGUMENT(), t.builtin(PVP_BUILTIN_SET_SWFLAG_0_ON_LEAVES()), "root dropped");
            assertEquals(0, t.traceLen(), "root dropped");
        }
    }
}
