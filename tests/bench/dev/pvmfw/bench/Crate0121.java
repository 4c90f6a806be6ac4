package dev.pvmfw.bench;

import static dev.pvmfw.bindings.v0_12_1.PvmfwPagingOracle0121.*;

import dev.pvmfw.bindings.v0_12_1.PvpResult;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real aarch64-paging 0.12.1 for the benchmarks: one El1And0 mapping (ASID 1, root level 1, lower range) of the
 * 0.12.1 oracle library ({@code native/aarch64-paging-0.12.1}, ABI 2) over its own arena, driven through the jextract
 * bindings and the library's whole-list entry points, so that one FFM call runs a whole list. Loaded from
 * {@code -Dpvmfw.oracle.lib.0.12.1} (the {@code bench} profile passes it to JMH's forks). One thread.
 */
final class Crate0121 implements AutoCloseable {
    static final String PROPERTY = "pvmfw.oracle.lib.0.12.1";
    private static boolean loaded;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment result = PvpResult.allocate(arena);
    private final MemorySegment table;

    /**
     * A fresh mapping over {@code slots} slots at {@code paBase}.
     *
     * @throws IllegalStateException if the library is absent or its ABI is not 2, or the mapping cannot be made
     */
    Crate0121(int slots, long paBase) {
        load();
        MemorySegment buffer = arena.allocate((long) slots * 4096, 4096);
        table = pvp0121_table_new(buffer, slots, paBase, PVP_REGIME_EL1_AND_0(), 1, PVP_VA_RANGE_LOWER(), 1, result);
        check(table.equals(MemorySegment.NULL) ? PvpResult.code(result) : PVP_OK(), "table_new");
    }

    private static synchronized void load() {
        if (loaded) {
            return;
        }
        String path = System.getProperty(PROPERTY);
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("the 0.12.1 oracle library is not built (-D" + PROPERTY + "=" + path
                    + "): run with -Poracle");
        }
        System.load(path);
        // The entry points the benchmarks use came at ABI 2; later ABIs only add entry points (the tracker's at 3), so
        // the library must be the one these bindings were made from.
        if (pvp0121_abi_version() != PVP_ABI_VERSION()) {
            throw new IllegalStateException("0.12.1 oracle ABI " + pvp0121_abi_version() + ", the bindings expect "
                    + PVP_ABI_VERSION());
        }
        loaded = true;
    }

    private void check(int code, String what) {
        if (code != PVP_OK()) {
            byte[] message = PvpResult.message(result).asSlice(0, PvpResult.message_len(result))
                    .toArray(ValueLayout.JAVA_BYTE);
            throw new IllegalStateException("pvp0121_" + what + ": code " + code + ": "
                    + new String(message, StandardCharsets.UTF_8));
        }
    }

    /** {@code map_range} page by page: {@code pages} pages from {@code start} to {@code pa}; how many were mapped. */
    long mapPages(long start, long pages, long pa, long flags, long constraints) {
        return pvp0121_table_map_pages(table, start, pages, pa, flags, constraints, result);
    }

    /** {@code map_range} once, checked. */
    void mapRange(long start, long end, long pa, long flags) {
        check(pvp0121_table_map_range(table, start, end, pa, flags, 0, result), "table_map_range");
    }

    /** Native memory holding {@code addresses}, for {@link #faultBatch}. */
    MemorySegment prepare(long[] addresses) {
        return arena.allocateFrom(ValueLayout.JAVA_LONG, addresses);
    }

    /** The corrected lazy fault flow for each prepared address; how many were handled. */
    long faultBatch(MemorySegment faults, long deviceFlags) {
        return pvp0121_table_fault_batch(table, faults, faults.byteSize() / Long.BYTES, deviceFlags, result);
    }

    /** {@code modify_flags(set, clear)} on every leaf of {@code start..end}; the number of calls. */
    long modifyFlags(long start, long end, long set, long clear) {
        check(pvp0121_table_modify_flags_builtin(table, start, end, set, clear, result), "modify_flags_builtin");
        return PvpResult.value0(result);
    }

    /** Frees the mapping (its tables) and the arena. */
    @Override
    public void close() {
        pvp0121_table_free(table);
        arena.close();
    }
}
