package dev.pvmfw.era2023_05;

import dev.pvmfw.testing.Tables;

import java.lang.foreign.MemorySegment;

/** Table access for tests in other packages. */
public final class TrackerRigAccess {
    private TrackerRigAccess() {}

    /** The level-3 table on the walk of {@code va}. */
    public static MemorySegment level3Table(TrackerRig rig, long va) {
        return Tables.tableAt(rig.root(), va, 3);
    }

    /** The descriptor translating {@code va} at {@code level}. */
    public static long entry(TrackerRig rig, long va, int level) {
        return Tables.entry(rig.root(), va, level);
    }
}
