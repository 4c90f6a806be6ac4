package dev.pvmfw.era2023_05;

import dev.pvmfw.testing.Tables;

import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;

import dev.pvmfw.era2023_05.KvmHypervisor;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.paging.v0_4_0.RootTable;
import dev.pvmfw.paging.TableArena;

/**
 * A tracker on a deterministic arena, over a KVM hypervisor backed by a recording one: what most tests need. Public
 * for the exceptions and cpu tests.
 */
public final class TrackerRig implements AutoCloseable {
    public final TableArena arena;
    public final RecordingHypervisor rec;
    public final KvmHypervisor kvm;
    public final PvmfwPageTable pageTable;
    public final MemoryTracker tracker;

    public TrackerRig() {
        this(256, new RecordingHypervisor());
    }

    public TrackerRig(int slots, RecordingHypervisor rec) {
        this.arena = TableArena.create(slots);
        this.rec = rec;
        this.kvm = new KvmHypervisor(rec);
        this.pageTable = new PvmfwPageTable(arena);
        this.tracker = new MemoryTracker(pageTable, kvm);
    }

    public RootTable root() {
        return pageTable.rootTable();
    }

    /** The descriptor translating {@code va} at {@code level}. */
    public long entry(long va, int level) {
        return Tables.entry(root(), va, level);
    }

    @Override
    public void close() {
        tracker.close();
        arena.close();
    }
}
