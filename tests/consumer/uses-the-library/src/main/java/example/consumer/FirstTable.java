package example.consumer;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.MapException;
import dev.pvmfw.paging.v0_4_0.idmap.IdMap;

/** What a user writes first: an identity map of 2 MiB of normal memory, and the MMU's reading of one address in it. */
public final class FirstTable {
    private FirstTable() {}

    /** Maps [0x8000_0000, 0x8020_0000) and returns the walk of {@code va}. */
    public static WalkResult mapAndWalk(long va) throws MapException {
        try (TableArena arena = TableArena.create(8); IdMap idmap = new IdMap(arena, 1, 1)) {
            idmap.mapRange(MemoryRegion.of(0x8000_0000L, 0x8020_0000L),
                    Attributes.VALID.union(Attributes.NORMAL).union(Attributes.ACCESSED));
            long root = idmap.mapping().root().toPhysical().value();
            return Walker.walk(arena, MmuConfig.of(1, VaRange.LOWER), root, va);
        }
    }
}
