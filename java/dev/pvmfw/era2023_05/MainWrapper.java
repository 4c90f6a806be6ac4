package dev.pvmfw.era2023_05;

import static dev.pvmfw.era.CrosvmLayout.APPENDED_PAYLOAD;
import static dev.pvmfw.era.CrosvmLayout.CONSOLE_LEN;
import static dev.pvmfw.era.CrosvmLayout.FDT_BASE;
import static dev.pvmfw.era.CrosvmLayout.FDT_SIZE;
import static dev.pvmfw.era.CrosvmLayout.LOW_MMIO;
import static dev.pvmfw.era.CrosvmLayout.PCI_CAM;
import static dev.pvmfw.era.CrosvmLayout.RAM_START;
import static dev.pvmfw.era.CrosvmLayout.RODATA;
import static dev.pvmfw.era.CrosvmLayout.SCRATCH;
import static dev.pvmfw.era.CrosvmLayout.STACK;
import static dev.pvmfw.era.CrosvmLayout.TEXT;
import static dev.pvmfw.era.CrosvmLayout.UART_BASE;

import dev.pvmfw.era.MemoryMutex;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.port.PageTableFactory;
import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.paging.port.MmuOpsException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pvmfw's boot and exit around {@code main} at the seed change ({@code b99905d3:pvmfw/src/entry.rs},
 * {@code main_wrapper}), on the crosvm layout, on any crate version (a crate version's {@link PageTableFactory} makes the page table).
 */
public final class MainWrapper {
    private static final Logger LOG = LoggerFactory.getLogger(MainWrapper.class);

    private MainWrapper() {}

    /**
     * {@code PageTable::from_static_layout()}: text CODE, scratch DATA, stack DATA, rodata RODATA, appended payload
     * DATA, in that order.
     *
     * @param translation where the tables live, or null for the crate's own IdTranslation
     * @throws MmuOpsException if a mapping fails (the table is closed)
     */
    public static MmuOps pageTableFromStaticLayout(PageTableFactory pageTables, Translation translation)
            throws MmuOpsException {
        MmuOps table = pageTables.newPvmfwPageTable(translation);
        try {
            map(table::mapCode, TEXT);
            map(table::mapData, SCRATCH);
            map(table::mapData, STACK);
            map(table::mapRodata, RODATA);
            map(table::mapData, APPENDED_PAYLOAD);
        } catch (MmuOpsException | RuntimeException e) {
            table.close();
            throw e;
        }
        return table;
    }

    @FunctionalInterface
    private interface Map {
        void map(long start, long end) throws MmuOpsException;
    }

    private static void map(Map how, MemoryRange range) throws MmuOpsException {
        how.map(range.start(), range.end());
    }

    /** {@code page_table.map_device(&uart_range)}: the UART, {@code 0x3f8..0x3f9}, mapped valid (eagerly). */
    public static void mapConsole(MmuOps table) throws MmuOpsException {
        table.mapDevice(UART_BASE, UART_BASE + CONSOLE_LEN);
    }

    /**
     * pvmfw's boot up to {@code main} plus {@code pci::initialise}'s MMIO mapping, in {@code main_wrapper}'s order:
     * {@code mmio_guard_init} (ENROLL, INFO); MMIO_GUARD_MAP of the UART; the static-layout page table; the UART
     * mapped valid; {@code activate}; {@code MemoryTracker::new}; {@code alloc_mut} of the FDT (2 MiB at RAM start);
     * {@code shrink} to {@code RAM_START..RAM_START + ramSize}; {@code init_dynamic_shared_pool} (MEMINFO); then
     * {@code map_mmio_range} of the PCI CAM and of the low MMIO window (lazily: no hypercall).
     *
     * @param translation where the tables live, or null for the crate's own IdTranslation
     * @return the tracker, which the caller puts in a {@link MemoryMutex}
     * @throws HypException if a hypercall of the boot fails
     * @throws MmuOpsException if the static layout cannot be mapped
     * @throws MemoryTrackerException if a tracker step fails (the tracker is closed)
     */
    public static MemoryTracker boot(Hypervisor hypervisor, PageTableFactory pageTables, Translation translation,
            long ramSize) throws HypException, MmuOpsException, MemoryTrackerException {
        hypervisor.mmioGuardInit();
        hypervisor.mmioGuardMap(UART_BASE);
        MmuOps table = pageTableFromStaticLayout(pageTables, translation);
        MemoryTracker tracker;
        try {
            mapConsole(table);
            table.activate();
            tracker = new MemoryTracker(table, hypervisor);
        } catch (MmuOpsException | RuntimeException e) {
            table.close();
            throw e;
        }
        try {
            tracker.allocMut(FDT_BASE, FDT_SIZE);
            tracker.shrink(new MemoryRange(RAM_START, RAM_START + ramSize));
            tracker.initDynamicSharedPool();
            tracker.mapMmioRange(PCI_CAM);
            tracker.mapMmioRange(LOW_MMIO);
        } catch (MemoryTrackerException | RuntimeException e) {
            tracker.close();
            throw e;
        }
        return tracker;
    }

    /**
     * pvmfw's exit sequence after {@code main} returned: logs "Expecting a bug making MMIO_GUARD_UNMAP return
     * NOT_SUPPORTED on success" (info, as pvmfw does); {@code mmio_unmap_all()}; {@code unshare_all_memory()};
     * MMIO_GUARD_UNMAP of the UART; {@code MEMORY.take()}, which drops the tracker (flush read-write regions,
     * unshare, free the tables).
     *
     * @return the tracker taken and closed, if there was one
     * @throws MemoryTrackerException FailedToUnmap (nothing after it runs; pvmfw reboots)
     * @throws HypException if the UART UNMAP fails (the tracker is not taken; pvmfw reboots)
     */
    public static Optional<MemoryTracker> exit(MemoryMutex<MemoryTracker> memory, Hypervisor hypervisor)
            throws MemoryTrackerException, HypException {
        LOG.info("Expecting a bug making MMIO_GUARD_UNMAP return NOT_SUPPORTED on success");
        try (MemoryMutex<MemoryTracker>.Guard guard = memory.lock()) {
            Optional<MemoryTracker> tracker = guard.tracker();
            if (tracker.isPresent()) {
                try {
                    tracker.get().mmioUnmapAll();
                } catch (MemoryTrackerException e) {
                    LOG.error("Failed to unshare MMIO ranges: {}", e.error().display());
                    throw e;
                }
                tracker.get().unshareAllMemory();
            }
            try {
                hypervisor.mmioGuardUnmap(UART_BASE);
            } catch (HypException e) {
                LOG.error("Failed to unshare the UART: {}", e.error().display());
                throw e;
            }
            Optional<MemoryTracker> taken = guard.take();
            taken.ifPresent(MemoryTracker::close);
            return taken;
        }
    }
}
