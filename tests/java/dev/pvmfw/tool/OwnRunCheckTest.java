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
            RecordingHypervisor hyp, TableArena arena, Tamper tamper, UnaryOperator<List<OwnRunCheck.Item>> edit)
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

    static OwnRunCheck laterEraBoot(UnaryOperator<List<OwnRunCheck.Item>> edit) throws Exception {
        return laterEraBoot(dev.pvmfw.catalog.Eras.ERA_2024_05, Profile040.INSTANCE, new RecordingHypervisor(),
                TableArena.create(DemoCommand.SLOTS), p -> { }, edit);
    }

    /**
     * 2024-05's boot: detection (UID, INFO) and try_console_init (ENROLL, INFO, the UART's MAP) have no step and are
     * matched by function and argument; the tracker step's INFO (MmioSharer::new) is then the run's sixth call; the
     * UART's page is left out of the guard-mapped IPAs compared, and is the only one left out.
     */
    @Test
    void aLaterErasBootAgreesWithTheCallsNoStepMakesSetAside() throws Exception {
        OwnRunCheck check = laterEraBoot(s -> s);
        assertTrue(check.divergence().isEmpty(), () -> check.divergence().get().report());
        assertEquals(10, check.agreed().size(), "tracker, six static mappings, the FDT, two mmio-map");
        assertEquals(List.of(new dev.pvmfw.hyp.HypCall(0xc600_0005, 0, 0x1000)), check.agreed().getFirst().calls(),
                "MmioSharer::new's MMIO_GUARD_INFO");
        assertEquals(List.of(0L), check.unshadowedGuardMapped());
    }

    @Test
    void aCallNoStepMakesIsStillMatchedByItsArgument() throws Exception {
        Divergence d = laterEraBoot(s -> {
            s.set(1, new OwnRunCheck.Unshadowed("try_console_init", List.of(
                    new OwnRunCheck.Expected(0xc600_0006, 0), new OwnRunCheck.Expected(0xc600_0005, 0),
                    new OwnRunCheck.Expected(0xc600_0007, 0x1000))));
            return s;
        }).divergence().orElseThrow();
        assertEquals("hypervisor", d.what());
        assertTrue(d.report().contains("at pvmfw's try_console_init (no tracker step; before step 0)"), d.report());
        assertTrue(d.report().contains("run  MMIO_GUARD_MAP(0x0) -> 0x0\n    pvmfw's try_console_init makes "
                + "MMIO_GUARD_MAP(0x1000)"), d.report());
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
