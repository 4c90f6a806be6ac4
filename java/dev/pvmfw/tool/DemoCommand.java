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
import dev.pvmfw.era2023_05.KvmHypervisor;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.image.Dumps;
import dev.pvmfw.image.ImageWalk;
import dev.pvmfw.image.TableImage;
import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.MemoryMutex;
import dev.pvmfw.era2023_05.MainWrapper;
import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.era2023_05.MemoryTracker;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import dev.pvmfw.era2023_05.TrackedRegion;
import dev.pvmfw.oracle.runner.Differential;
import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.rust.OracleLibrary;
import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
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
 * pvmfw's exit sequence; a summary, the page table, and the cross-check of the tracker's steps against the real crate.
 */
@Command(name = "demo", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"The main job: pvmfw's lazy MMIO guard mapping at work, cross-checked against the crate.", "",
            "Boots pvmfw's memory on the crosvm layout (RAM, the UART mapped eagerly, the PCI CAM and the low MMIO "
                + "window mapped lazily), runs a scripted guest access trace on the simulated CPU (each first touch "
                + "of a device page takes a translation fault, MMIO_GUARD_MAPs the page and maps it valid), then "
                + "pvmfw's exit sequence. Prints a summary, the page table, and, when the Rust oracle is available "
                + "(-Dpvmfw.oracle.lib.0.4.0=…), the cross-check of every tracker step against the real crate."})
final class DemoCommand extends ToolCommand {
    static final int SLOTS = 64;

    @picocli.CommandLine.Mixin
    ProfileOption profile = new ProfileOption();

    @picocli.CommandLine.Mixin
    EraOption era = new EraOption();

    @picocli.CommandLine.Option(names = "--save", paramLabel = "IMAGE",
            description = "write the page table as it is before teardown (an image for dump, check, translate)")
    java.nio.file.Path save;

    /** Where the cross-check learns whether the oracle is there (replaceable in tests). */
    final java.util.function.Supplier<OracleLibrary.Availability> oracle;

    DemoCommand(PrintStream out, PrintStream err) {
        this(out, err, OracleLibrary::availability);
    }

    DemoCommand(PrintStream out, PrintStream err, java.util.function.Supplier<OracleLibrary.Availability> oracle) {
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
        out.println("pvmfw-paging: pvmfw's lazy MMIO guard mapping (era " + era.era.id() + ", " + era.era.change()
                + ") on " + profile.profile.describe() + ", in Java");
        RecordingHypervisor hyp = new RecordingHypervisor();
        KvmHypervisor kvm = new KvmHypervisor(hyp);
        try (TableArena arena = TableArena.create(SLOTS)) {
            MemoryTracker tracker = MainWrapper.boot(kvm, profile.profile, arena, RAM_SIZE);
            MemoryMutex<MemoryTracker> memory = new MemoryMutex<>(tracker);
            MmuOps table = tracker.pageTable();
            out.println();
            out.println("boot (crosvm layout)");
            out.println("  hypervisor: " + calls(hyp.log()));
            out.printf("  page table: root level 1 at PA 0x%x, TTBR0 0x%x%n", table.rootPa(),
                    table.writtenTtbr0().orElse(0));
            for (TrackedRegion r : tracker.regions()) {
                out.println("  RAM   " + r.range() + " " + r.type().name().toLowerCase(java.util.Locale.ROOT)
                        .replace('_', '-') + (r.range().start() == CrosvmLayout.FDT_BASE ? " (the device tree)" : ""));
            }
            for (MemoryRange r : tracker.mmioRegions()) {
                out.println("  MMIO  " + r + " (lazy: written invalid with SWFLAG_0, nothing guard-mapped)");
            }
            out.println("  UART  page 0x0 mapped valid (eagerly) and guard-mapped");
            int bootCalls = hyp.callCount();

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
                line.append(switch (r) {
                    case AccessResult.Completed c -> c.faultsTaken() > 0 ? "retried: ok" : "ok";
                    case AccessResult.Rebooted b -> "reboot: " + b.reboot().cause();
                    case AccessResult.FaultedAgain f -> "faulted again";
                    case AccessResult.Halted h -> "halted";
                });
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
            List<MemoryRange> mmioRegions = List.copyOf(tracker.mmioRegions());

            out.println();
            out.println("teardown (pvmfw's exit sequence)");
            int beforeExit = hyp.callCount();
            MainWrapper.exit(memory, kvm);
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
            Scenario scenario = crossCheckScenario(cpu, mmioRegions);
            checkScenarioMatchesTheBoot(scenario, beforeTeardown, out);
            crossCheck(scenario, out, oracle.get());
            return 0;
        }
    }

    /**
     * The tracker's steps of this run, as an oracle scenario: the page-table mappings of the boot, the lazy MMIO
     * regions, one {@code fault} per handled translation fault (with its FAR), then {@code mmio_unmap_all}. The
     * hypervisor calls outside the tracker (ENROLL, INFO, the UART's MAP, MEMINFO) are not part of it.
     */
    static Scenario crossCheckScenario(Cpu cpu, List<MemoryRange> mmioRegions) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.NewTracker(CrosvmLayout.RAM_START + RAM_SIZE, true));
        steps.add(map(CrosvmLayout.TEXT, PvmfwPageTable.CODE));
        steps.add(map(CrosvmLayout.SCRATCH, PvmfwPageTable.DATA));
        steps.add(map(CrosvmLayout.STACK, PvmfwPageTable.DATA));
        steps.add(map(CrosvmLayout.RODATA, PvmfwPageTable.RODATA));
        steps.add(map(CrosvmLayout.APPENDED_PAYLOAD, PvmfwPageTable.DATA));
        steps.add(new Step.PageTableMap(Step.PageTableSet.DEVICE, CrosvmLayout.UART_BASE,
                CrosvmLayout.UART_BASE + CrosvmLayout.CONSOLE_LEN));
        steps.add(map(new MemoryRange(CrosvmLayout.FDT_BASE, CrosvmLayout.FDT_BASE + CrosvmLayout.FDT_SIZE),
                PvmfwPageTable.DATA));
        for (MemoryRange r : mmioRegions) {
            steps.add(new Step.MmioMap(r.start(), r.end()));
        }
        for (TakenException t : cpu.exceptions()) {
            if (t.outcome() instanceof ExceptionOutcome.Return) {
                steps.add(new Step.Fault(t.far()));
            }
        }
        steps.add(new Step.MmioUnmapAll());
        return new Scenario("demo-crosvm", SLOTS, TableArena.DEFAULT_PA_BASE, steps);
    }

    static Step map(MemoryRange r, Attributes flags) {
        return new Step.MapRange(r.start(), r.end(), r.start(),
                new dev.pvmfw.oracle.scenario.FlagSet(flags.bits(), Profile040.INSTANCE));
    }

    /** The scenario, replayed on the Java engine, must leave the arena the boot and the accesses left. */
    static void checkScenarioMatchesTheBoot(Scenario scenario, byte[] arenaBeforeTeardown, PrintStream out) {
        try (JavaEngine engine = new JavaEngine(scenario)) {
            for (Step step : scenario.steps()) {
                if (step instanceof Step.MmioUnmapAll) {
                    break;
                }
                engine.apply(step);
            }
            long mismatch = engine.image().mismatch(MemorySegment.ofArray(arenaBeforeTeardown));
            out.println(mismatch < 0 ? "the tracker's " + scenario.steps().size() + " steps, replayed on the Java "
                    + "engine, rebuild this page table byte for byte"
                    : "WARNING: the tracker's steps do not rebuild this page table (first difference at byte "
                    + mismatch + ")");
        }
    }

    static void crossCheck(Scenario scenario, PrintStream out, OracleLibrary.Availability oracle) {
        if (!oracle.available()) {
            out.println("cross-check against the Rust crate skipped: " + oracle.reason());
            out.println("  (with crates.io access: ./mvnw -q -Poracle compile exec:exec)");
            return;
        }
        out.println("cross-check against the Rust crate (" + oracle.reason() + "):");
        try {
            Differential.Report report = Differential.run(scenario, Differential.DumpCheck.AT_END,
                    (i, step, result, image) -> out.printf("  %2d %-58s identical%n", i, step.text()));
            out.println(report.divergence().map(d -> "  FIRST DIVERGENCE\n" + d.report()).orElse(
                    "  all " + report.steps() + " steps identical: bytes, results, hypervisor calls"));
        } catch (OracleUnavailableException e) {
            out.println("cross-check against the Rust crate skipped: " + e.getMessage());
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
