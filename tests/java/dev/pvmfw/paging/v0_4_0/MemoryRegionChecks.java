package dev.pvmfw.paging.v0_4_0;

import dev.pvmfw.paging.internal.TableLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;

/** Shared assertions on table contents. */
final class MemoryRegionChecks {
    private MemoryRegionChecks() {}

    /** An L2 made by splitting a zero root entry at VA 0: {@code i·2MiB | 0x400} (0.4.0 garbage fill, S1). */
    static void assertL2Garbage(MemorySegment table) {
        for (int i = 0; i < 512; i++) {
            assertEquals(i * 0x20_0000L | 0x400, TableLayout.read(table, i), "L2[" + i + "]");
        }
    }
}
