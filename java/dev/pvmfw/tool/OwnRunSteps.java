package dev.pvmfw.tool;

import dev.pvmfw.catalog.Era;
import dev.pvmfw.catalog.Eras;
import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.oracle.scenario.ConstraintBits;
import dev.pvmfw.oracle.scenario.Dialect;
import dev.pvmfw.oracle.scenario.FlagSet;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.port.CrateProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's run of one era on one profile as the own-run check sees it ({@link OwnRunCheck}): its boot and its exit
 * as tracker steps, in the order pvmfw makes the calls; every call of the run is a step's. The faults in between are
 * one {@code fault} step per handled fault, from the run.
 *
 * <p>2023-05: {@link #bootSteps} (on 0.12.1 with {@code main_wrapper}'s {@code activate} after the UART's
 * {@code map-device}) and {@link #teardownSteps}. The later eras ({@code 28e439f4:pvmfw/src/entry.rs},
 * {@code main_wrapper}; their {@code MainWrapper} classes), in the run's order: the {@code tracker} step of the era
 * with {@code entry=on} — libhyp's {@code detect_hypervisor} (VENDOR_HYP_CALL_UID, MMIO_GUARD_INFO) and, with an MMIO
 * guard, vmbase's {@code try_console_init} (ENROLL, INFO, MAP of the UART), which pvmfw runs before any page table
 * exists, then the page table and {@code MemoryTracker::new}, whose payload range pvmfw passes and the step does not
 * (the tracker only keeps it), and the shrink to the RAM, which the run does after the FDT's {@code alloc_mut} (it
 * changes no descriptor); {@code init_page_table()}'s six mappings, the appended payload's {@code map_data_dbm} as a
 * {@code map} of DATA_DBM (0.12.1: with pvmfw's constraints {@code NO_BLOCK_MAPPINGS | NO_CONTIGUOUS_HINT}); the
 * FDT's {@code alloc_mut}, a later era's tracker step the language does not have (its allocations are the 2023-05
 * tracker's), as the same {@code map} of DATA_DBM that {@code alloc_range_mut} makes (the RAM region it records is not
 * compared: nothing later in the demo reads it); the two {@code mmio-map}s. The exit: {@code mmio-unmap-all} (2024-05:
 * {@code unshare_all_mmio}), {@code console-unmap} (the UART's UNMAP, with an MMIO guard), {@code drop}.
 */
final class OwnRunSteps {
    private final Era era;
    private final CrateProfile profile;
    private final boolean mmioGuard;
    private final int slots;
    private final long ramSize;

    /**
     * @param era the demo's era
     * @param profile the demo's crate profile
     * @param mmioGuard whether the era's detection found an MMIO guard (lazy MMIO)
     * @param slots the run's arena slots
     * @param ramSize the RAM the run's boot was given, from {@link CrosvmLayout#RAM_START}
     */
    OwnRunSteps(Era era, CrateProfile profile, boolean mmioGuard, int slots, long ramSize) {
        this.era = era;
        this.profile = profile;
        this.mmioGuard = mmioGuard;
        this.slots = slots;
        this.ramSize = ramSize;
    }

    /** Whether the era is the seed's, whose every call is a tracker step's. */
    boolean seed() {
        return era == Eras.ERA_2023_05;
    }

    /** The shadow's shape: the arena of the demo and the first step, the era's tracker. */
    Scenario shape() {
        return new Scenario("demo-run", profile, slots, TableArena.DEFAULT_PA_BASE, List.of(tracker()));
    }

    /** The {@code tracker} step. */
    Step tracker() {
        if (seed()) {
            return bootSteps(ramSize).getFirst();
        }
        return new Step.NewTracker(CrosvmLayout.RAM_START + ramSize, true, era.id(),
                Step.NewTracker.DEFAULT_GRANULE, mmioGuard, true);
    }

    /** The boot, in pvmfw's order. */
    List<OwnRunCheck.Shadowed> boot() {
        List<OwnRunCheck.Shadowed> items = new ArrayList<>();
        if (seed()) {
            for (Step s : bootSteps(ramSize)) {
                items.add(new OwnRunCheck.Shadowed(s));
                if (s instanceof Step.PageTableMap m && m.set() == Step.PageTableSet.DEVICE
                        && shape().dialect() == Dialect.V0_12_1) {
                    // main_wrapper's page_table.activate(): on 0.12.1 the table is live from here (modify_range's
                    // break-before-make pass); 0.4.0's activate changes nothing the check sees, and its scenarios
                    // have no such step
                    items.add(new OwnRunCheck.Shadowed(new Step.Activate()));
                }
            }
            return items;
        }
        items.add(new OwnRunCheck.Shadowed(tracker()));
        shadowed(items, map(Step.PageTableSet.DATA, CrosvmLayout.SCRATCH));
        shadowed(items, map(Step.PageTableSet.DATA, CrosvmLayout.STACK));
        shadowed(items, map(Step.PageTableSet.CODE, CrosvmLayout.TEXT));
        shadowed(items, map(Step.PageTableSet.RODATA, CrosvmLayout.RODATA));
        shadowed(items, dataDbm(CrosvmLayout.APPENDED_PAYLOAD));
        shadowed(items, new Step.PageTableMap(Step.PageTableSet.DEVICE, CrosvmLayout.UART_BASE,
                CrosvmLayout.UART_BASE + CrosvmLayout.CONSOLE_LEN));
        shadowed(items, dataDbm(new MemoryRange(CrosvmLayout.FDT_BASE, CrosvmLayout.FDT_BASE + CrosvmLayout.FDT_SIZE)));
        shadowed(items, new Step.MmioMap(CrosvmLayout.PCI_CAM.start(), CrosvmLayout.PCI_CAM.end()));
        shadowed(items, new Step.MmioMap(CrosvmLayout.LOW_MMIO.start(), CrosvmLayout.LOW_MMIO.end()));
        return items;
    }

    /** The exit sequence, in pvmfw's order. */
    List<OwnRunCheck.Shadowed> teardown() {
        List<OwnRunCheck.Shadowed> items = new ArrayList<>();
        if (seed()) {
            teardownSteps().forEach(s -> items.add(new OwnRunCheck.Shadowed(s)));
            return items;
        }
        shadowed(items, new Step.MmioUnmapAll());
        shadowed(items, new Step.ConsoleUnmap());
        shadowed(items, new Step.DropTable());
        return items;
    }

    private static void shadowed(List<OwnRunCheck.Shadowed> items, Step step) {
        items.add(new OwnRunCheck.Shadowed(step));
    }

    /** {@code map_data_dbm(range)} as a {@code map} step: identity, DATA_DBM, 0.12.1 with pvmfw's constraints. */
    private Step dataDbm(MemoryRange r) {
        Scenario s = shape();
        if (s.dialect() == Dialect.V0_12_1) {
            return new Step.MapRange(r.start(), r.end(), r.start(), new FlagSet(
                    dev.pvmfw.paging.v0_12_1.profile.PvmfwPageTable.DATA_DBM.bits(), profile),
                    ConstraintBits.parse("NO_BLOCK_MAPPINGS|NO_CONTIGUOUS_HINT"));
        }
        return new Step.MapRange(r.start(), r.end(), r.start(), new FlagSet(
                dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable.DATA_DBM.bits(), profile));
    }

    /**
     * pvmfw's boot as tracker steps, in {@code MainWrapper.boot}'s order: the page table and {@code MemoryTracker::new}
     * (whole window), {@code mmio_guard_init} (ENROLL, INFO), the UART's MMIO_GUARD_MAP, the static layout (text CODE,
     * scratch and stack DATA, rodata RODATA, appended payload DATA), the UART mapped valid, {@code alloc_mut} of the
     * FDT, {@code shrink} to the RAM, {@code init_dynamic_shared_pool} (MEMINFO), the PCI CAM and the low MMIO window
     * mapped lazily.
     */
    static List<Step> bootSteps(long ramSize) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.NewTracker(dev.pvmfw.era2023_05.MemoryTracker.MAX_ADDR, true));
        steps.add(new Step.HypInit());
        steps.add(new Step.HypGuard(CrosvmLayout.UART_BASE, false));
        steps.add(map(Step.PageTableSet.CODE, CrosvmLayout.TEXT));
        steps.add(map(Step.PageTableSet.DATA, CrosvmLayout.SCRATCH));
        steps.add(map(Step.PageTableSet.DATA, CrosvmLayout.STACK));
        steps.add(map(Step.PageTableSet.RODATA, CrosvmLayout.RODATA));
        steps.add(map(Step.PageTableSet.DATA, CrosvmLayout.APPENDED_PAYLOAD));
        steps.add(new Step.PageTableMap(Step.PageTableSet.DEVICE, CrosvmLayout.UART_BASE,
                CrosvmLayout.UART_BASE + CrosvmLayout.CONSOLE_LEN));
        steps.add(new Step.Alloc(CrosvmLayout.FDT_BASE, CrosvmLayout.FDT_SIZE, true));
        steps.add(new Step.Shrink(CrosvmLayout.RAM_START, CrosvmLayout.RAM_START + ramSize));
        steps.add(new Step.SharedPoolDynamic());
        steps.add(new Step.MmioMap(CrosvmLayout.PCI_CAM.start(), CrosvmLayout.PCI_CAM.end()));
        steps.add(new Step.MmioMap(CrosvmLayout.LOW_MMIO.start(), CrosvmLayout.LOW_MMIO.end()));
        return steps;
    }

    /**
     * pvmfw's exit sequence as tracker steps, in {@code MainWrapper.exit}'s order: {@code mmio_unmap_all},
     * {@code unshare_all_memory}, the UART's MMIO_GUARD_UNMAP, and the tracker dropped.
     */
    static List<Step> teardownSteps() {
        return List.of(new Step.MmioUnmapAll(), new Step.UnshareAll(), new Step.HypGuard(CrosvmLayout.UART_BASE, true),
                new Step.DropTable());
    }

    static Step map(Step.PageTableSet set, MemoryRange r) {
        return new Step.PageTableMap(set, r.start(), r.end());
    }

}
