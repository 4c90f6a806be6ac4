package dev.pvmfw.tool;

import picocli.CommandLine.Command;
import dev.pvmfw.cpu.Access;
import dev.pvmfw.cpu.AccessResult;
import dev.pvmfw.cpu.Cpu;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.cpu.TakenException;
import dev.pvmfw.exceptions.ExceptionHandler;
import dev.pvmfw.exceptions.ExceptionOutcome;
import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.image.Dumps;
import dev.pvmfw.image.ImageWalk;
import dev.pvmfw.image.TableImage;
import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.MemoryMutex;
import dev.pvmfw.catalog.Eras;
import dev.pvmfw.era.BootedPvmfw;
import dev.pvmfw.era.LazyMmioTracker;
import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.oracle.engine.Engine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.runner.Engines;
import dev.pvmfw.oracle.scenario.Dialect;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.VaRange;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The main job: pvmfw's lazy MMIO at work on the crosvm layout. Boot (RAM, the UART mapped eagerly, the PCI CAM and the
 * low MMIO window mapped lazily), a scripted guest access trace on the simulated CPU faulting device pages in, then
 * pvmfw's exit sequence; a summary, the page table, and this run cross-checked step by step against the real crate
 * ({@link OwnRunCheck}: every hypervisor call the run made, its arena, allocations, frees and guard-mapped IPAs), in
 * every era on every profile ({@link OwnRunSteps}: the steps, which make every call of the run).
 */
@Command(name = "demo", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"The main job: pvmfw's lazy MMIO guard mapping at work, cross-checked against the crate.", "",
            "Boots pvmfw's memory on the crosvm layout (RAM, the UART mapped eagerly, the PCI CAM and the low MMIO "
                + "window mapped lazily), runs a scripted guest access trace on the simulated CPU (each first touch "
                + "of a device page takes a translation fault, MMIO_GUARD_MAPs the page and maps it valid), then "
                + "pvmfw's exit sequence. Prints a summary, the page table, and this run checked step by step against "
                + "its steps replayed on the real crate of the profile with our Rust transcription of the era's "
                + "tracker when the oracle is available (-Dpvmfw.oracle.lib.0.4.0=…, -Dpvmfw.oracle.lib.0.12.1=…), "
                + "else (and for the corrected flows, which have no Rust side) on the Java engine: every hypervisor "
                + "call it made, one by one, and its arena, allocations, frees and guard-mapped IPAs after the boot, "
                + "each access and the teardown (in the later eras pvmfw's entry, detection and try_console_init, is "
                + "the tracker step's entry=on and the UART's UNMAP the step console-unmap). "
                + "Exit status 1 if they differ."})
final class DemoCommand extends ToolCommand {
    static final int SLOTS = 64;

    @picocli.CommandLine.Mixin
    ProfileOption profile = new ProfileOption();

    @picocli.CommandLine.Mixin
    EraOption era = new EraOption();

    @picocli.CommandLine.Option(names = "--save", paramLabel = "IMAGE",
            description = "write the page table as it is before teardown (an image for dump, check, translate)")
    java.nio.file.Path save;

    /** Where the cross-check learns whether the oracle of a profile is there (replaceable in tests). */
    final java.util.function.Function<Dialect, Engines.Availability> oracle;

    DemoCommand(PrintStream out, PrintStream err) {
        this(out, err, Engines::rustAvailability);
    }

    DemoCommand(PrintStream out, PrintStream err, java.util.function.Function<Dialect, Engines.Availability> oracle) {
        super(out, err);
        this.oracle = oracle;
    }

    static final long RAM_SIZE = 256L << 20;

    /** One scripted guest access. */
    record Access_(Access kind, long va, String what) {}

    static final List<Access_> TRACE = List.of(
            new Access_(Access.WRITE, CrosvmLayout.UART_BASE, "UART: print a character"),
            new Access_(Access.READ, 0x1_0000L, "PCI CAM: vendor ID of 00:00.0"),
            new Access_(Access.READ, 0x1_0004L, "PCI CAM: command register of 00:00.0"),
            new Access_(Access.READ, 0x1_8000L, "PCI CAM: vendor ID of 00:01.0"),
            new Access_(Access.WRITE, 0x200_0000L, "low MMIO: virtio BAR of 00:01.0"),
            new Access_(Access.READ, 0x200_0010L, "low MMIO: same page again"),
            new Access_(Access.WRITE, 0x200_1000L, "low MMIO: next page"),
            new Access_(Access.READ, 0x8000_1000L, "RAM: the device tree"));

    @Override
    int execute() throws Exception {
        dev.pvmfw.catalog.Era selected = era.selected();
        out.println("pvmfw-paging: pvmfw's lazy MMIO guard mapping (era " + selected.id() + ", " + selected.change()
                + ") on " + profile.profile.describe() + ", in Java");
        RecordingHypervisor hyp = new RecordingHypervisor();
        try (TableArena arena = TableArena.create(SLOTS)) {
            BootedPvmfw pvmfw = selected.boot().boot(hyp, profile.profile, arena, RAM_SIZE);
            OwnRunSteps runSteps = new OwnRunSteps(selected, profile.profile, pvmfw.lazyMmio(), SLOTS, RAM_SIZE);
            Scenario shape = runSteps.shape();
            Engines.Availability rust = Eras.isCorrected(selected)
                    ? new Engines.Availability(false, "the corrected flow " + selected.id() + " has no Rust side")
                    : oracle.apply(shape.dialect());
            try (Engine shadow = shadow(shape, selected, rust)) {
                return run(selected, hyp, arena, pvmfw, runSteps, shadow, rust);
            }
        }
    }

    /** The shadow engine of the own-run check: the real crate when it is there, else the Java engine. */
    private static Engine shadow(Scenario shape, dev.pvmfw.catalog.Era selected, Engines.Availability rust) {
        if (rust.available()) {
            try {
                return Engines.rust(shape);
            } catch (dev.pvmfw.oracle.rust.OracleUnavailableException e) {
                // reported below through the availability the caller holds: it said available, the load said not
                throw new IllegalStateException("the Rust oracle was reported available but did not load: "
                        + e.getMessage(), e);
            }
        }
        return Engines.java(shape, selected.trackers());
    }

    private int run(dev.pvmfw.catalog.Era selected, RecordingHypervisor hyp, TableArena arena, BootedPvmfw pvmfw,
            OwnRunSteps runSteps, Engine shadow, Engines.Availability rust) throws Exception {
        OwnRunCheck check = new OwnRunCheck(shadow, arena, hyp, profile.profile);
        List<PhaseLines> phases = new ArrayList<>();
        phases.add(new PhaseLines("boot", check.items("boot", runSteps.boot())));
        MemoryMutex<? extends LazyMmioTracker> memory = pvmfw.memory();
        MmuOps table = pvmfw.pageTable();
        out.println();
        out.println("boot (crosvm layout)");
        out.println("  hypervisor: " + calls(hyp.log()));
        out.printf("  page table: root level 1 at PA 0x%x, TTBR0 0x%x%n", table.rootPa(),
                table.writtenTtbr0().orElse(0));
        for (String r : pvmfw.ramRegions()) {
            out.println("  RAM   " + r + (r.startsWith("0x" + Long.toHexString(CrosvmLayout.FDT_BASE) + "..")
                    ? " (the device tree)" : ""));
        }
        for (MemoryRange r : pvmfw.mmioRegions()) {
            out.println("  MMIO  " + r + (pvmfw.lazyMmio()
                    ? " (lazy: written invalid with SWFLAG_0, nothing guard-mapped)" : " (mapped valid at once)"));
        }
        out.println("  UART  page 0x0 mapped valid (eagerly) and guard-mapped");

        out.println();
        out.println("guest accesses (simulated CPU, retried after each handled fault)");
        Cpu cpu = new Cpu(table.memory(), MmuConfig.pvmfw(), table.rootPa(), new ExceptionHandler(memory),
                hyp::allowsMmioAccess);
        for (Access_ a : TRACE) {
            int before = hyp.callCount();
            int faults = cpu.exceptions().size();
            AccessResult r = cpu.access(a.va(), a.kind());
            StringBuilder line = new StringBuilder(String.format("  %-5s 0x%-9x %-38s -> ",
                    a.kind().name().toLowerCase(java.util.Locale.ROOT), a.va(), a.what()));
            for (TakenException t : cpu.exceptions().subList(faults, cpu.exceptions().size())) {
                line.append(String.format("fault (ESR 0x%x), ", t.esr()));
            }
            List<HypCall> made = hyp.log().subList(before, hyp.callCount());
            if (!made.isEmpty()) {
                line.append(calls(made)).append(", ");
            }
            line.append(outcome(r));
            if (r instanceof AccessResult.FaultedAgain) {
                // The CPU model takes one exception per access; the hardware re-executes the access, so the
                // second fault reaches the handler too.
                int again = cpu.exceptions().size();
                int callsBefore = hyp.callCount();
                AccessResult second = cpu.access(a.va(), a.kind());
                line.append("; re-executed: ");
                for (TakenException t : cpu.exceptions().subList(again, cpu.exceptions().size())) {
                    line.append(String.format("fault (ESR 0x%x), ", t.esr()));
                }
                List<HypCall> more = hyp.log().subList(callsBefore, hyp.callCount());
                if (!more.isEmpty()) {
                    line.append(calls(more)).append(", ");
                }
                line.append(outcome(second));
            }
            String phase = String.format("%s 0x%x", a.kind().name().toLowerCase(java.util.Locale.ROOT), a.va());
            phases.add(new PhaseLines(phase, check.items(phase,
                    faultSteps(cpu.exceptions().subList(faults, cpu.exceptions().size())))));
            out.println(line);
        }
        byte[] beforeTeardown = arena.segment().toArray(ValueLayout.JAVA_BYTE);
        int faults = (int) cpu.exceptions().stream().filter(t -> t.outcome() instanceof ExceptionOutcome.Return)
                .count();
        int tablesUsed = arena.usedSlots();
        if (save != null) {
            try {
                java.nio.file.Files.write(save, beforeTeardown);
            } catch (java.io.IOException e) {
                throw new UsageException(save + ": cannot write: " + e.getMessage());
            }
        }
        List<MemoryRange> mmioRegions = List.copyOf(pvmfw.mmioRegions());

        out.println();
        out.println("teardown (pvmfw's exit sequence)");
        int beforeExit = hyp.callCount();
        pvmfw.exit();
        phases.add(new PhaseLines("teardown", check.items("teardown", runSteps.teardown())));
        out.println("  " + calls(hyp.log().subList(beforeExit, hyp.callCount())));
        out.println("  guard-mapped afterwards: " + (hyp.guardMapped().isEmpty() ? "none" : hyp.guardMapped()));

        out.println();
        out.printf("summary: %d MMIO regions, %d faults taken (%d device pages made valid), %d hypervisor calls "
                + "(%s), %d tables used of %d%n", mmioRegions.size(), faults, faults, hyp.callCount(),
                histogram(hyp.log()), tablesUsed, SLOTS);

        out.println();
        out.println("page table before teardown (lazy = mapped lazily, not touched yet):");
        TableImage image = TableImage.of(MemorySegment.ofArray(beforeTeardown), arena.paBase(), 1, VaRange.LOWER,
                0);
        out.print(Dumps.ranges(ImageWalk.walk(image, profile.profile)));

        out.println();
        report(check, phases, shadow, rust, selected, out);
        return check.divergence().isPresent() ? Main.FINDINGS : Main.OK;
    }

    /**
     * The {@code fault} steps of the exceptions one access took: one per exception the handler took to
     * {@code handle_mmio_fault} (returned, or rebooted with the tracker's error, which the shadow's step must return
     * too); an exception pvmfw rebooted on before the tracker (another ESR, a panic outside it) is no step.
     */
    static List<OwnRunCheck.Shadowed> faultSteps(List<TakenException> taken) {
        List<OwnRunCheck.Shadowed> items = new ArrayList<>();
        for (TakenException t : taken) {
            switch (t.outcome()) {
                case ExceptionOutcome.Return ret -> items.add(new OwnRunCheck.Shadowed(new Step.Fault(t.far())));
                case ExceptionOutcome.Reboot b when b.cause() instanceof ExceptionOutcome.Cause.Error e
                        && e.error() instanceof dev.pvmfw.exceptions.HandleExceptionError.InternalError i ->
                    items.add(new OwnRunCheck.Shadowed(new Step.Fault(t.far()),
                            java.util.Optional.of(i.error().toString())));
                default -> { }
            }
        }
        return items;
    }

    private static String outcome(AccessResult r) {
        return switch (r) {
            case AccessResult.Completed c -> (c.faultsTaken() > 0 ? "retried: ok" : "ok")
                    + (c.device() ? String.format(" (PA 0x%x, Device)", c.pa()) : "");
            case AccessResult.Rebooted b -> "reboot: " + b.reboot().cause();
            case AccessResult.FaultedAgain f -> "faulted again";
            case AccessResult.Halted h -> "halted";
        };
    }

    /** The items of one phase of the run that agreed with the shadow. */
    record PhaseLines(String name, List<OwnRunCheck.Agreed> lines) {}

    /** pvmfw's boot as tracker steps ({@link OwnRunSteps#bootSteps}, the demo's RAM). */
    static List<Step> bootSteps() {
        return OwnRunSteps.bootSteps(RAM_SIZE);
    }

    /** pvmfw's exit sequence as tracker steps ({@link OwnRunSteps#teardownSteps}). */
    static List<Step> teardownSteps() {
        return OwnRunSteps.teardownSteps();
    }

    static Step map(Step.PageTableSet set, MemoryRange r) {
        return OwnRunSteps.map(set, r);
    }

    /** Prints the check of this run against the shadow engine, phase by phase, and its verdict. */
    static void report(OwnRunCheck check, List<PhaseLines> phases, Engine shadow, Engines.Availability rust,
            dev.pvmfw.catalog.Era selected, PrintStream out) {
        boolean real = rust.available();
        out.println(real ? "this run, cross-checked against the Rust crate (" + rust.reason() + ") and our Rust "
                + "transcription of pvmfw's " + selected.id() + " tracker, step by step:"
                : "this run, checked step by step against its steps replayed on the Java engine (pvmfw's "
                + selected.id() + " tracker in Java):");
        int calls = 0;
        for (PhaseLines p : phases) {
            boolean first = true;
            for (OwnRunCheck.Agreed a : p.lines()) {
                String phase = first ? p.name() : "";
                first = false;
                out.printf("  %-15s %2d %-44s %s%n", phase, a.index(), a.step().text(), (a.calls().isEmpty()
                        ? "" : calls(a.calls()) + " ") + (a.outcome() instanceof Outcome.Ok
                        || a.outcome() instanceof Outcome.Value ? "identical" : a.outcome().text() + " identical"));
                calls += a.calls().size();
            }
        }
        int steps = check.agreed().size();
        out.println(check.divergence().map(d -> "  FIRST DIVERGENCE\n" + d.report()).orElse("  all " + steps
                + " steps identical: " + calls + " hypervisor calls one by one; the arena byte for byte, its "
                + "allocations and frees and the guard-mapped IPAs after the boot, every access and the teardown"));
        if (!real) {
            out.println("cross-check against the Rust crate skipped: " + rust.reason());
            if (!Eras.isCorrected(selected)) {
                out.println("  (with crates.io access: ./mvnw -q -Poracle compile exec:exec)");
            }
        }
    }

    static String calls(List<HypCall> calls) {
        List<String> out = new ArrayList<>();
        for (HypCall c : calls) {
            out.add(c.toString());
        }
        return out.isEmpty() ? "none" : String.join(", ", out);
    }

    static String histogram(List<HypCall> calls) {
        Map<String, Integer> counts = new TreeMap<>();
        for (HypCall c : calls) {
            counts.merge(Smccc.functionName(c.functionId()), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(v + " " + k));
        return String.join(", ", parts);
    }
}
