package dev.pvmfw.testing;

import dev.pvmfw.paging.v0_4_0.Descriptor;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.v0_4_0.RootTable;
import dev.pvmfw.paging.internal.TableLayout;
import java.lang.foreign.MemorySegment;

/** Test helpers: read descriptors by following the walk from the root. */
public final class Tables {
    private Tables() {}

    /** The table at {@code level} on the walk of {@code va} (1 = root), following table descriptors. */
    public static MemorySegment tableAt(RootTable root, long va, int level) {
        MemorySegment table = root.rootSegment();
        for (int l = root.level(); l < level; l++) {
            long d = TableLayout.read(table, index(va, l));
            if ((d & 3) != 3) {
                throw new AssertionError("no table at level " + (l + 1) + " for 0x" + Long.toHexString(va) + ": "
                        + Descriptor.debugString(d));
            }
            table = root.translation().physicalToVirtual(new PhysicalAddress(d & Descriptor.PHYSICAL_ADDRESS_BITMASK));
        }
        return table;
    }

    /** The descriptor translating {@code va} at {@code level}. */
    public static long entry(RootTable root, long va, int level) {
        return TableLayout.read(tableAt(root, va, level), index(va, level));
    }

    public static int index(long va, int level) {
        return (int) ((va >>> (12 + 9 * (3 - level))) & 511);
    }

    /** A copy of every table reachable from the root, for "table unchanged" checks: the Debug dump. */
    public static String snapshot(RootTable root) {
        return root.debug();
    }
}
