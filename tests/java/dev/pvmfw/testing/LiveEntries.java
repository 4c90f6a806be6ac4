package dev.pvmfw.testing;

import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.TableVisitor;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.paging.port.MmuOps;
import java.util.HashMap;
import java.util.Map;

/** The entries of any crate version's pvmfw page table, by level and VA, as the MMU model reaches them. */
public final class LiveEntries {
    private LiveEntries() {}

    /** The entry at {@code level} covering {@code va}'s first address, or 0 if none is reachable. */
    public static long entry(MmuOps table, long va, int level) {
        Map<String, Long> found = new HashMap<>();
        Walker.traverse(table.memory(), MmuConfig.pvmfw(), table.rootPa(), new TableVisitor() {
            @Override
            public void entry(long tablePa, int index, int l, long v, long descriptor, DescriptorKind kind) {
                found.put(l + ":" + v, descriptor);
            }
        });
        return found.getOrDefault(level + ":" + va, 0L);
    }
}
