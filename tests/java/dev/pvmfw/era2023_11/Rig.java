package dev.pvmfw.era2023_11;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.v0_4_0.RootTable;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import dev.pvmfw.testing.Tables;

/** A 2023-11 tracker on aarch64-paging 0.4.0 over a recording pKVM (or, detected, a regular KVM), as pvmfw makes it. */
final class Rig implements AutoCloseable {
    final TableArena arena;
    final RecordingHypervisor rec;
    final Hypervisor hypervisor;
    final PvmfwPageTable pageTable;
    final MemoryTracker tracker;

    Rig() {
        this(new RecordingHypervisor());
    }

    Rig(RecordingHypervisor rec) {
        this.arena = TableArena.create(256);
        this.rec = rec;
        this.hypervisor = Hypervisors.detect(rec);
        rec.clearLog();
        this.pageTable = new PvmfwPageTable(arena);
        this.tracker = new MemoryTracker(pageTable, new MemoryRange(CrosvmLayout.RAM_START, MainWrapper.MAX_VIRT_ADDR),
                CrosvmLayout.MMIO_WINDOW, CrosvmLayout.APPENDED_PAYLOAD, hypervisor);
    }

    RootTable root() {
        return pageTable.rootTable();
    }

    long entry(long va, int level) {
        return Tables.entry(root(), va, level);
    }

    @Override
    public void close() {
        tracker.close();
        arena.close();
    }
}
