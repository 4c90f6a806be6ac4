package dev.pvmfw.tool;

import dev.pvmfw.catalog.Era;
import dev.pvmfw.cpu.AccessResult;
import dev.pvmfw.cpu.Cpu;
import dev.pvmfw.cpu.TakenException;
import dev.pvmfw.era.BootedPvmfw;
import dev.pvmfw.exceptions.ExceptionHandler;
import dev.pvmfw.exceptions.ExceptionOutcome;
import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.TableVisitor;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.port.CrateProfile;
import dev.pvmfw.paging.port.MmuOps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One era on one crate profile, the demo's scenario ({@link DemoCommand#TRACE}), recorded step by step for
 * {@code matrix} and {@code upgrade} ({@code docs/pvmfw-2024-05.md}, "The era × crate matrix"): the era's boot on the
 * crosvm layout over a recording pKVM (4 KiB granule), each guest access on the simulated CPU, then the era's exit
 * sequence. After each step: its outcome, its hypervisor calls, the tables allocated and freed, every non-zero entry of
 * the live table (by level and VA, so two crate versions compare), the guard map, and the invariants that step broke
 * ({@link Invariants}).
 *
 * <p>Where the CPU model reports that a retried access faulted again (it takes one exception per access), the run
 * executes the access once more, as the hardware would re-execute the instruction, so the second fault reaches the
 * handler too.
 */
final class EraRun {
    static final int SLOTS = DemoCommand.SLOTS;

    /** Which scenario runs. */
    enum Scenario {
        /** The demo's: the era's boot on the crosvm layout, {@link DemoCommand#TRACE}, the era's exit. */
        DEMO,
        /**
         * The seed's own (pvmfw-lazy-mmio, "Latent quirks a faithful simulation must decide about": "Lazy 2 MiB block, then a fault on page k"): the era's scenario
         * tracker over pKVM, {@code map_mmio_range(0x900_0000..0x920_0000)}, a guest read of 0x900_1000 on the CPU,
         * then the era's MMIO teardown and the drop.
         */
        SEED;

        /** The id people type. */
        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The seed scenario's lazy region and the page faulted in it. */
    static final long SEED_START = 0x900_0000L;
    static final long SEED_END = 0x920_0000L;
    static final long SEED_FAULT = 0x900_1000L;

    final Era era;
    final CrateProfile profile;
    final List<EraStep> steps = new ArrayList<>();
    final MmuConfig mmu = MmuConfig.pvmfw();

    final Scenario scenario;

    private EraRun(Era era, CrateProfile profile, Scenario scenario) {
        this.era = era;
        this.profile = profile;
        this.scenario = scenario;
    }

    /** Runs the demo's scenario with {@code era} on {@code profile}. Nothing of the run is left open. */
    static EraRun run(Era era, CrateProfile profile) {
        return run(era, profile, Scenario.DEMO);
    }

    /** Runs {@code scenario} with {@code era} on {@code profile}. Nothing of the run is left open. */
    static EraRun run(Era era, CrateProfile profile, Scenario scenario) {
        EraRun run = new EraRun(era, profile, scenario);
        if (scenario == Scenario.DEMO) {
            run.execute();
        } else {
            run.executeSeed();
        }
        return run;
    }

    private void executeSeed() {
        RecordingHypervisor hyp = new RecordingHypervisor();
        try (TableArena arena = TableArena.create(SLOTS)) {
            int events = arena.eventCount();
            MmuOps table = profile.newPvmfwPageTable(arena);
            dev.pvmfw.era.ScenarioTracker tracker;
            try {
                tracker = era.trackers().newTracker(table, hyp, dev.pvmfw.era.CrosvmLayout.RAM_START
                        + DemoCommand.RAM_SIZE, true);
            } catch (Exception e) {
                rethrowBug(e);
                table.close();
                record("tracker", "failed: " + e.getMessage(), hyp, 0, arena, events, null, List.of(), false);
                return;
            }
            record("tracker", "ok", hyp, 0, arena, events, table, List.of(), true);
            int calls = hyp.callCount();
            events = arena.eventCount();
            String name = "mmio-map 0x" + Long.toHexString(SEED_START) + "..0x" + Long.toHexString(SEED_END);
            try {
                tracker.mapMmioRange(SEED_START, SEED_END);
                record(name, "ok", hyp, calls, arena, events, table, List.of(), true);
            } catch (Exception e) {
                rethrowBug(e);
                record(name, "failed: " + e.getMessage(), hyp, calls, arena, events, table, List.of(), false);
            }
            dev.pvmfw.era.MemoryMutex<dev.pvmfw.era.ScenarioTracker> memory = new dev.pvmfw.era.MemoryMutex<>(tracker);
            Cpu cpu = new Cpu(table.memory(), mmu, table.rootPa(), new ExceptionHandler(memory),
                    hyp::allowsMmioAccess);
            access(cpu, hyp, arena, table, "read 0x" + Long.toHexString(SEED_FAULT), SEED_FAULT,
                    dev.pvmfw.cpu.Access.READ);
            calls = hyp.callCount();
            events = arena.eventCount();
            String exit;
            boolean exited;
            try (dev.pvmfw.era.MemoryMutex<dev.pvmfw.era.ScenarioTracker>.Guard g = memory.lock()) {
                java.util.Optional<dev.pvmfw.era.ScenarioTracker> t = g.take();
                if (t.isEmpty()) {
                    throw new IllegalStateException("the tracker is gone");
                }
                try {
                    t.get().mmioTeardown();
                    exit = "ok";
                    exited = true;
                } finally {
                    t.get().close();
                }
            } catch (Exception e) {
                rethrowBug(e);
                exit = "failed: " + e.getMessage();
                exited = false;
            }
            record("teardown", exit, hyp, calls, arena, events, null, List.of(), exited);
        }
    }

    /** One guest access as a step; whether the CPU is still running afterwards. */
    private boolean access(Cpu cpu, RecordingHypervisor hyp, TableArena arena, MmuOps table, String name, long va,
            dev.pvmfw.cpu.Access kind) {
        int calls = hyp.callCount();
        int events = arena.eventCount();
        int taken = cpu.exceptions().size();
        AccessResult r = cpu.access(va, kind);
        StringBuilder text = new StringBuilder(outcome(cpu, taken, r));
        if (r instanceof AccessResult.FaultedAgain) {
            int again = cpu.exceptions().size();
            AccessResult second = cpu.access(va, kind);
            text.append("; re-executed: ").append(outcome(cpu, again, second));
            r = second;
        }
        List<Long> faulted = new ArrayList<>();
        for (TakenException t : cpu.exceptions().subList(taken, cpu.exceptions().size())) {
            if (t.outcome() instanceof ExceptionOutcome.Return) {
                faulted.add(t.far() & ~0xfffL);
            }
        }
        record(name, text.toString(), hyp, calls, arena, events, table, faulted, r instanceof AccessResult.Completed);
        return !(r instanceof AccessResult.Rebooted || r instanceof AccessResult.Halted);
    }

    private void execute() {
        RecordingHypervisor hyp = new RecordingHypervisor();
        try (TableArena arena = TableArena.create(SLOTS)) {
            int events = arena.eventCount();
            BootedPvmfw pvmfw;
            try {
                pvmfw = era.boot().boot(hyp, profile, arena, DemoCommand.RAM_SIZE);
            } catch (Exception e) {
                rethrowBug(e);
                record("boot", "failed: " + e.getMessage(), hyp, 0, arena, events, null, List.of(), false);
                return;
            }
            MmuOps table = pvmfw.pageTable();
            record("boot", "ok", hyp, 0, arena, events, table, List.of(), true);
            Cpu cpu = new Cpu(table.memory(), mmu, table.rootPa(), new ExceptionHandler(pvmfw.memory()),
                    hyp::allowsMmioAccess);
            boolean halted = false;
            for (DemoCommand.Access_ a : DemoCommand.TRACE) {
                String name = a.kind().name().toLowerCase(Locale.ROOT) + " 0x" + Long.toHexString(a.va());
                if (halted) {
                    record(name, "not run: the CPU halted (pvmfw rebooted)", hyp, hyp.callCount(), arena,
                            arena.eventCount(), table, List.of(), false);
                    continue;
                }
                halted = !access(cpu, hyp, arena, table, name, a.va(), a.kind());
            }
            int calls = hyp.callCount();
            events = arena.eventCount();
            String exit;
            boolean exited;
            try {
                pvmfw.exit();
                exit = "ok";
                exited = true;
            } catch (Exception e) {
                rethrowBug(e);
                exit = "failed: " + e.getMessage();
                exited = false;
            }
            record("teardown", exit, hyp, calls, arena, events, null, List.of(), exited);
        }
    }

    /** A runtime exception other than a panic (the crate's, pvmfw's) is a bug of this project: it propagates. */
    private static void rethrowBug(Exception e) {
        if (e instanceof RuntimeException r && !(e instanceof dev.pvmfw.paging.CratePanic)) {
            throw r;
        }
    }

    private static String outcome(Cpu cpu, int taken, AccessResult r) {
        StringBuilder line = new StringBuilder();
        for (TakenException t : cpu.exceptions().subList(taken, cpu.exceptions().size())) {
            line.append(String.format("fault (ESR 0x%x), ", t.esr()));
        }
        line.append(switch (r) {
            case AccessResult.Completed c -> (c.faultsTaken() > 0 ? "retried: " : "") + "ok, PA 0x"
                    + Long.toHexString(c.pa()) + (c.device() ? " Device" : " Normal");
            case AccessResult.Rebooted b -> "reboot: " + b.reboot().cause();
            case AccessResult.FaultedAgain f -> "faulted again";
            case AccessResult.Halted h -> "halted";
        });
        return line.toString();
    }

    private void record(String name, String outcome, RecordingHypervisor hyp, int firstCall, TableArena arena,
            int firstEvent, MmuOps table, List<Long> faulted, boolean completed) {
        List<Integer> allocated = new ArrayList<>();
        List<Integer> freed = new ArrayList<>();
        for (int e : arena.eventsSince(firstEvent)) {
            if (e >= 0) {
                allocated.add(e);
            } else {
                freed.add(~e);
            }
        }
        NavigableMap<String, EraStep.Entry> entries = table == null ? Collections.emptyNavigableMap() : entries(table);
        NavigableSet<Long> guard = new TreeSet<>(hyp.guardMapped());
        EraStep step = new EraStep(name, outcome, List.copyOf(hyp.callsSince(firstCall)), allocated, freed, entries,
                guard, List.copyOf(faulted), completed, new ArrayList<>());
        step.broken().addAll(Invariants.broken(step, mmu,
                table == null ? null : va -> translatesToIdentityDevice(table, va)));
        steps.add(step);
    }

    /** Every non-zero entry of the live table, keyed by {@link #key}. */
    private NavigableMap<String, EraStep.Entry> entries(MmuOps table) {
        NavigableMap<String, EraStep.Entry> out = new TreeMap<>();
        Walker.traverse(table.memory(), mmu, table.rootPa(), new TableVisitor() {
            @Override
            public void entry(long tablePa, int index, int level, long va, long descriptor, DescriptorKind kind) {
                out.put(key(level, va), new EraStep.Entry(level, va, descriptor, kind));
            }
        });
        return out;
    }

    /** The key of an entry: level and VA, sorted by VA first. */
    static String key(int level, long va) {
        return String.format("%016x L%d", va, level);
    }

    /** Whether an access at {@code va} translates to {@code va} as Device memory now. */
    boolean translatesToIdentityDevice(MmuOps table, long va) {
        WalkResult w = Walker.walk(table.memory(), mmu, table.rootPa(), va);
        return w instanceof WalkResult.Translated t && t.leaf().pa() == va && mmu.isDevice(t.leaf().attrIndx());
    }

    /** The first broken invariant of the run, with its step, or empty if none. */
    java.util.Optional<String> firstBroken() {
        for (EraStep s : steps) {
            if (!s.broken().isEmpty()) {
                return java.util.Optional.of(s.broken().getFirst() + " (" + s.name() + ")");
            }
        }
        return java.util.Optional.empty();
    }
}
