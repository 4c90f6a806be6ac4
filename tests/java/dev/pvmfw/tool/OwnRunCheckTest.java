package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era2023_05.KvmHypervisor;
import dev.pvmfw.era2023_05.MainWrapper;
import dev.pvmfw.era2023_05.MemoryTracker;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.runner.Divergence;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The demo's own-run check compares the run's own hypervisor calls one by one and its own arena, events and
 * guard-mapped IPAs after each phase: the boot's steps as MainWrapper documents them agree with MainWrapper.boot, and
 * a step list that differs from what the run did in any one of those is caught (here against the Java engine; the
 * demo uses the crate when the oracle is there).
 */
class OwnRunCheckTest {

    /** Boots pvmfw's memory in Java and checks the run against {@code steps} on a fresh Java engine. */
    static OwnRunCheck bootAndCheck(UnaryOperator<List<Step>> edit) throws Exception {
        RecordingHypervisor hyp = new RecordingHypervisor();
        TableArena arena = TableArena.create(DemoCommand.SLOTS);
        Scenario shape = new Scenario("t", DemoCommand.SLOTS, TableArena.DEFAULT_PA_BASE,
                List.of(new Step.NewTracker(MemoryTracker.MAX_ADDR, true)));
        JavaEngine shadow = new JavaEngine(shape);
        OwnRunCheck check = new OwnRunCheck(shadow, arena, hyp);
        MemoryTracker tracker = MainWrapper.boot(new KvmHypervisor(hyp), Profile040.INSTANCE, arena,
                DemoCommand.RAM_SIZE);
        check.phase("boot", edit.apply(new ArrayList<>(DemoCommand.bootSteps())));
        tracker.close();
        return check;
    }

    @Test
    void theBootsStepsAgreeWithTheBootsOwnRun() throws Exception {
        OwnRunCheck check = bootAndCheck(s -> s);
        assertTrue(check.divergence().isEmpty(), () -> check.divergence().get().report());
        assertEquals(14, check.agreed().size());
        assertEquals(4, check.agreed().stream().mapToInt(a -> a.calls().size()).sum(), "ENROLL, INFO, MAP, MEMINFO");
    }

    @Test
    void anotherHypervisorCallIsCaughtAtItsStep() throws Exception {
        Divergence d = bootAndCheck(s -> {
            s.set(2, new Step.HypGuard(0x1000, false)); // the run guard-mapped the UART's page 0x0
            return s;
        }).divergence().orElseThrow();
        assertEquals("hypervisor", d.what());
        assertEquals(2, d.stepIndex());
        assertTrue(d.report().contains("hypervisor call 2 of the run\n    run  MMIO_GUARD_MAP(0x0) -> 0x0"), d.report());
    }

    @Test
    void aCallTheStepsDoNotMakeIsCaughtAtTheEndOfThePhase() throws Exception {
        Divergence d = bootAndCheck(s -> {
            s.remove(11); // no shared-pool-dynamic: the run's MEMINFO is left over
            return s;
        }).divergence().orElseThrow();
        assertEquals("hypervisor", d.what());
        assertTrue(d.report().contains("the run made 1 more hypervisor calls, the first HYP_MEMINFO"), d.report());
    }

    @Test
    void aMissingMappingIsCaughtInTheArena() throws Exception {
        Divergence text = bootAndCheck(s -> {
            s.remove(3); // no map-code of the text section
            return s;
        }).divergence().orElseThrow();
        assertTrue(List.of("events", "image").contains(text.what()), text.what());
        Divergence rodata = bootAndCheck(s -> {
            s.set(6, DemoCommand.map(Step.PageTableSet.DATA, CrosvmLayout.RODATA)); // DATA for RODATA: one bit
            return s;
        }).divergence().orElseThrow();
        assertEquals("image", rodata.what());
        assertTrue(rodata.report().contains("(VA 0x7fc50000)\n    run  0x"), rodata.report());
        assertTrue(rodata.report().contains("READ_ONLY); only in java: Attributes(0x0)"), rodata.report());
    }

    /**
     * Same calls, same arena, other guard-mapped IPAs: the run's MAP of 0x5000 succeeded, the shadow's was answered 0
     * by an injection, which changes nothing (docs/scenarios.md, "Failure injection").
     */
    @Test
    void guardMappedIpasAreComparedAfterThePhase() throws Exception {
        RecordingHypervisor hyp = new RecordingHypervisor();
        TableArena arena = TableArena.create(DemoCommand.SLOTS);
        JavaEngine shadow = new JavaEngine(new Scenario("t", DemoCommand.SLOTS, TableArena.DEFAULT_PA_BASE,
                List.of(new Step.NewTracker(MemoryTracker.MAX_ADDR, true))));
        OwnRunCheck check = new OwnRunCheck(shadow, arena, hyp);
        KvmHypervisor kvm = new KvmHypervisor(hyp);
        MemoryTracker tracker = MainWrapper.boot(kvm, Profile040.INSTANCE, arena, DemoCommand.RAM_SIZE);
        check.phase("boot", DemoCommand.bootSteps());
        kvm.mmioGuardMap(0x5000);
        check.phase("extra", List.of(new Step.InjectFor(0xc600_0007, 0x5000, 0), new Step.HypGuard(0x5000, false)));
        tracker.close();
        Divergence d = check.divergence().orElseThrow();
        assertEquals("guard-mapped", d.what());
        assertTrue(d.report().contains("guard-mapped IPAs after extra\n    run  [0x0, 0x5000]\n    java [0x0]"), d.report());
    }

    /** A later era's boot on {@code profile}, checked against {@code edit} of its items on the Java engine. */
    static OwnRunCheck laterEraBoot(dev.pvmfw.catalog.Era era, dev.pvmfw.paging.port.CrateProfile profile,
            RecordingHypervisor hyp, TableArena arena, Tamper tamper, UnaryOperator<List<OwnRunCheck.Shadowed>> edit)
            throws Exception {
        dev.pvmfw.era.BootedPvmfw pvmfw = era.boot().boot(hyp, profile, arena, DemoCommand.RAM_SIZE);
        OwnRunSteps steps = new OwnRunSteps(era, profile, pvmfw.lazyMmio(), DemoCommand.SLOTS,
                DemoCommand.RAM_SIZE);
        OwnRunCheck check = new OwnRunCheck(dev.pvmfw.oracle.runner.Engines.java(steps.shape(), era.trackers()),
                arena, hyp, profile);
        tamper.accept(pvmfw);
        check.items("boot", edit.apply(new ArrayList<>(steps.boot())));
        pvmfw.exit();
        return check;
    }

    /** What a test does to the run after its boot, before the check. */
    interface Tamper {
        void accept(dev.pvmfw.era.BootedPvmfw pvmfw) throws Exception;
    }

    static OwnRunCheck laterEraBoot(UnaryOperator<List<OwnRunCheck.Shadowed>> edit) throws Exception {
        return laterEraBoot(dev.pvmfw.catalog.Eras.ERA_2024_05, Profile040.INSTANCE, new RecordingHypervisor(),
                TableArena.create(DemoCommand.SLOTS), p -> { }, edit);
    }

    /**
     * 2024-05's boot: the tracker step with entry=on makes detection (VENDOR_HYP_CALL_UID, answered with KVM's UUID
     * word 0 of Linux's arm-smccc.h, 0xb66fb428; MMIO_GUARD_INFO, the hypervisor's 4 KiB), try_console_init (ENROLL,
     * INFO, MAP of the UART's page 0) and MmioSharer::new's INFO, in that order, every answer compared.
     */
    @Test
    void aLaterErasBootShadowsItsEntry() throws Exception {
        OwnRunCheck check = laterEraBoot(s -> s);
        assertTrue(check.divergence().isEmpty(), () -> check.divergence().get().report());
        assertEquals(10, check.agreed().size(), "tracker, six static mappings, the FDT, two mmio-map");
        assertEquals(List.of(new dev.pvmfw.hyp.HypCall(0x8600_ff01, 0, 0xb66f_b428L),
                new dev.pvmfw.hyp.HypCall(0xc600_0005, 0, 0x1000), new dev.pvmfw.hyp.HypCall(0xc600_0006, 0, 0),
                new dev.pvmfw.hyp.HypCall(0xc600_0005, 0, 0x1000), new dev.pvmfw.hyp.HypCall(0xc600_0007, 0, 0),
                new dev.pvmfw.hyp.HypCall(0xc600_0005, 0, 0x1000)), check.agreed().getFirst().calls(),
                "detection, try_console_init, MmioSharer::new's MMIO_GUARD_INFO");
    }

    /**
     * A tampered answer of detection's MMIO_GUARD_INFO (0x2000: still pKVM for the run, whose try_console_init asks
     * again and gets 4 KiB) is a divergence of the tracker step: the shadow's hypervisor answers 4 KiB.
     */
    @Test
    void aTamperedDetectionAnswerIsADivergence() throws Exception {
        RecordingHypervisor hyp = new RecordingHypervisor().injectAtCall(1, 0x2000);
        Divergence d = laterEraBoot(dev.pvmfw.catalog.Eras.ERA_2023_11, Profile040.INSTANCE, hyp,
                TableArena.create(DemoCommand.SLOTS), p -> { }, s -> s).divergence().orElseThrow();
        assertEquals("hypervisor", d.what());
        assertEquals(0, d.stepIndex());
        assertTrue(d.report().contains("hypervisor call 1 of the run\n    run  MMIO_GUARD_INFO(0x0) -> 0x2000\n"
                + "    java MMIO_GUARD_INFO(0x0) -> 0x1000"), d.report());
    }

    /**
     * A tampered answer of try_console_init's UART MAP (0x1_0000_0000: success for the run, which reads MAP as an i32
     * with the Android 13 workarounds) is a divergence: the shadow's hypervisor answers 0.
     */
    @Test
    void aTamperedConsoleMapAnswerIsADivergence() throws Exception {
        RecordingHypervisor hyp = new RecordingHypervisor().injectAtCall(4, 0x1_0000_0000L);
        Divergence d = laterEraBoot(dev.pvmfw.catalog.Eras.ERA_2024_05, Profile040.INSTANCE, hyp,
                TableArena.create(DemoCommand.SLOTS), p -> { }, s -> s).divergence().orElseThrow();
        assertEquals("hypervisor", d.what());
        assertTrue(d.report().contains("run  MMIO_GUARD_MAP(0x0) -> 0x100000000\n    java MMIO_GUARD_MAP(0x0) -> 0x0"),
                d.report());
    }

    /**
     * A tampered answer of the exit's UART UNMAP (NOT_SUPPORTED: success for the run, which counts it so with the
     * Android 13 workarounds) is a divergence of the console-unmap step: the shadow's hypervisor answers 0.
     */
    @Test
    void aTamperedConsoleUnmapAnswerIsADivergence() throws Exception {
        RecordingHypervisor hyp = new RecordingHypervisor().injectFor(0xc600_0008, 0, -1);
        TableArena arena = TableArena.create(DemoCommand.SLOTS);
        dev.pvmfw.catalog.Era era = dev.pvmfw.catalog.Eras.ERA_2023_11;
        dev.pvmfw.era.BootedPvmfw pvmfw = era.boot().boot(hyp, Profile040.INSTANCE, arena, DemoCommand.RAM_SIZE);
        OwnRunSteps steps = new OwnRunSteps(era, Profile040.INSTANCE, pvmfw.lazyMmio(), DemoCommand.SLOTS,
                DemoCommand.RAM_SIZE);
        OwnRunCheck check = new OwnRunCheck(dev.pvmfw.oracle.runner.Engines.java(steps.shape(), era.trackers()),
                arena, hyp, Profile040.INSTANCE);
        check.items("boot", steps.boot());
        pvmfw.exit();
        check.items("teardown", steps.teardown());
        Divergence d = check.divergence().orElseThrow();
        assertEquals("hypervisor", d.what());
        assertEquals(new Step.ConsoleUnmap(), d.scenario().steps().get(d.stepIndex()));
        assertTrue(d.report().contains("run  MMIO_GUARD_UNMAP(0x0) -> 0xffffffffffffffff\n"
                + "    java MMIO_GUARD_UNMAP(0x0) -> 0x0"), d.report());
    }

    @Test
    void aMappingTheStepsDoNotMakeIsCaughtAfterALaterErasBoot() throws Exception {
        Divergence d = laterEraBoot(dev.pvmfw.catalog.Eras.ERA_2023_11, Profile040.INSTANCE,
                new RecordingHypervisor(), TableArena.create(DemoCommand.SLOTS),
                p -> p.pageTable().mapData(0x8020_0000L, 0x8020_1000L), s -> s).divergence().orElseThrow();
        assertTrue(List.of("events", "image").contains(d.what()), d.what());
    }

    @Test
    void aRunCallNoItemDescribesIsCaughtAfterALaterErasBoot() throws Exception {
        RecordingHypervisor hyp = new RecordingHypervisor();
        Divergence d = laterEraBoot(dev.pvmfw.catalog.Eras.ERA_2024_05, dev.pvmfw.paging.v0_12_1.profile
                .Profile0121.INSTANCE, hyp, TableArena.create(DemoCommand.SLOTS),
                p -> hyp.hvc64(0xc600_0007, dev.pvmfw.hyp.Smccc.args(0x5000)), s -> s).divergence().orElseThrow();
        assertEquals("hypervisor", d.what());
        assertTrue(d.report().contains("the run made 1 more hypervisor calls, the first MMIO_GUARD_MAP(0x5000)"),
                d.report());
    }

    @Test
    void aLaterErasMissingFdtMappingIsCaughtInTheArena() throws Exception {
        Divergence d = laterEraBoot(s -> {
            s.remove(9); // the FDT's alloc_mut (a map of DATA_DBM)
            return s;
        }).divergence().orElseThrow();
        assertTrue(List.of("events", "image").contains(d.what()), d.what());
    }

    /** A fault the run's handler failed must fail in the shadow with the same error: a shadow that succeeds diverges. */
    @Test
    void aFailedFaultOfTheRunMustFailInTheShadowToo() throws Exception {
        Divergence d = laterEraBoot(s -> {
            s.add(new OwnRunCheck.Shadowed(new Step.Fault(0x10000), java.util.Optional.of("DuplicateMmioShare(65536)")));
            return s;
        }).divergence().orElseThrow();
        assertEquals("outcome", d.what());
        assertTrue(d.report().contains("the run's call failed: DuplicateMmioShare(65536)\n    the java step returned "
                + "ok"), d.report());
    }
}
