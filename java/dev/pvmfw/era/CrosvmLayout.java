package dev.pvmfw.era;

import dev.pvmfw.era2023_05.MemoryTracker;
import dev.pvmfw.era2023_05.MemoryTrackerException;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;

import dev.pvmfw.era2023_05.HypException;
import dev.pvmfw.era2023_05.Hypervisor;
import dev.pvmfw.paging.v0_4_0.MapException;
import dev.pvmfw.paging.Translation;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A crosvm aarch64 guest as pvmfw sees it (crosvm book, "Memory Layout"; reference §12.2), with pvmfw's boot and exit
 * steps of that era ({@code entry.rs} at {@code b99905d3}), for tests and the tool.
 *
 * <p>Devices: UART {@code 0x3f8} (page 0), RTC {@code 0x2000}, watchdog {@code 0x3000}; PCI CAM
 * {@code 0x1_0000..0x101_0000} (16 MiB: pages at both ends, 2 MiB blocks in between); the low MMIO (BAR) window
 * {@code 0x200_0000..0x400_0000}; the MMIO window {@code 0..0x4000_0000}. pvmfw at {@code 0x7fc0_0000..0x8000_0000},
 * RAM from {@code 0x8000_0000}.
 *
 * <p><b>Synthetic:</b> pvmfw's image layout (text, rodata, scratch, stack, appended payload) comes from its linker
 * script; the values here are made up but shaped like it: code and rodata in the first 2 MiB, the appended payload
 * from the 4 KiB-aligned binary end to the next 2 MiB boundary, .data/.bss (holding the 128 KiB heap) and an 8-page
 * stack in the second 2 MiB.
 */
public final class CrosvmLayout {
    private static final Logger LOG = LoggerFactory.getLogger(CrosvmLayout.class);

    /** {@code console::BASE_ADDRESS}, the 8250 UART. */
    public static final long UART_BASE = 0x3f8;
    /** {@code CONSOLE_LEN}: "vmbase::uart::Uart only uses one u8 register". */
    public static final long CONSOLE_LEN = 1;
    /** {@code page_4kb_of(0x3f8)}. */
    public static final long UART_PAGE = 0;
    public static final long RTC_BASE = 0x2000;
    public static final long WATCHDOG_BASE = 0x3000;
    /** PCI configuration space (CAM), 16 MiB. */
    public static final MemoryRange PCI_CAM = new MemoryRange(0x1_0000L, 0x101_0000L);
    /** The low MMIO (BAR) window. */
    public static final MemoryRange LOW_MMIO = new MemoryRange(0x200_0000L, 0x400_0000L);
    /** The whole MMIO window (used by later pvmfw eras; informational here). */
    public static final MemoryRange MMIO_WINDOW = new MemoryRange(0, 0x4000_0000L);
    /** pvmfw's 4 MiB. */
    public static final MemoryRange PVMFW = MemoryTracker.PVMFW_RANGE;
    /** Start of RAM. */
    public static final long RAM_START = MemoryTracker.BASE_ADDR;
    /** The FDT crosvm hands pvmfw, at the start of RAM; pvmfw {@code alloc_mut}s 2 MiB for it. */
    public static final long FDT_BASE = RAM_START;
    public static final long FDT_SIZE = 2L << 20;
    /** A RAM size for the fixture: 256 MiB. */
    public static final long DEFAULT_RAM_SIZE = 256L << 20;

    /** Synthetic: .text, mapped CODE. */
    public static final MemoryRange TEXT = new MemoryRange(0x7fc0_0000L, 0x7fc5_0000L);
    /** Synthetic: .rodata, mapped RODATA. */
    public static final MemoryRange RODATA = new MemoryRange(0x7fc5_0000L, 0x7fc7_0000L);
    /** Synthetic: {@code layout::binary_end()}. */
    public static final long BINARY_END = 0x7fc7_0800L;
    /** {@code appended_payload_range()}: align_up(binary_end, 4 KiB) .. the next 2 MiB boundary; mapped DATA. */
    public static final MemoryRange APPENDED_PAYLOAD = new MemoryRange(0x7fc7_1000L, 0x7fe0_0000L);
    /** Synthetic: {@code layout::scratch_range()} (.data and .bss), mapped DATA. */
    public static final MemoryRange SCRATCH = new MemoryRange(0x7fe0_0000L, 0x7fe4_0000L);
    /** Synthetic: the static {@code HEAP} inside .bss, {@code HEAP_SIZE} = 0x20000. */
    public static final MemoryRange HEAP = new MemoryRange(0x7fe1_0000L, 0x7fe1_0000L + SimulatedHeap.PVMFW_HEAP_SIZE);
    /** {@code stack_range()}: 8 pages at the top of pvmfw's memory, mapped DATA. */
    public static final MemoryRange STACK = new MemoryRange(0x8000_0000L - 8 * 4096, 0x8000_0000L);

    private CrosvmLayout() {}

    /** A fresh heap at {@link #HEAP}. */
    public static SimulatedHeap newHeap() {
        return new SimulatedHeap(HEAP.start(), HEAP.len());
    }

    /**
     * {@code PvmfwPageTable::from_static_layout()}: text CODE, scratch DATA, stack DATA, rodata RODATA, appended payload
     * DATA, in that order.
     *
     * @param translation where the tables live, or null for the IdMap's own
     */
    public static PvmfwPageTable pageTableFromStaticLayout(Translation translation) throws MapException {
        PvmfwPageTable table = translation == null ? new PvmfwPageTable() : new PvmfwPageTable(translation);
        try {
            table.mapCode(TEXT);
            table.mapData(SCRATCH);
            table.mapData(STACK);
            table.mapRodata(RODATA);
            table.mapData(APPENDED_PAYLOAD);
        } catch (MapException | RuntimeException e) {
            table.close();
            throw e;
        }
        return table;
    }

    /** {@code page_table.map_device(&uart_range)}: the UART, {@code 0x3f8..0x3f9}, mapped valid (eagerly). */
    public static void mapConsole(PvmfwPageTable table) throws MapException {
        table.mapDevice(UART_BASE, UART_BASE + CONSOLE_LEN);
    }

    /**
     * pvmfw's boot up to {@code main} plus {@code pci::initialise}'s MMIO mapping, in {@code main_wrapper}'s order:
     * {@code mmio_guard_init} (ENROLL, INFO); MMIO_GUARD_MAP of the UART; the static-layout page table; the UART
     * mapped valid; {@code activate}; {@code MemoryTracker::new}; {@code alloc_mut} of the FDT (2 MiB at RAM start);
     * {@code shrink} to {@code RAM_START..RAM_START + ramSize}; {@code init_dynamic_shared_pool} (MEMINFO); then
     * {@code map_mmio_range} of the PCI CAM and of the low MMIO window (lazily: no hypercall).
     *
     * @param translation where the tables live, or null for the IdMap's own
     * @return the tracker, which the caller puts in a {@link MemoryMutex}
     */
    public static MemoryTracker boot(Hypervisor hypervisor, Translation translation, long ramSize)
            throws HypException, MapException, MemoryTrackerException {
        hypervisor.mmioGuardInit();
        hypervisor.mmioGuardMap(UART_BASE);
        PvmfwPageTable table = pageTableFromStaticLayout(translation);
        MemoryTracker tracker;
        try {
            mapConsole(table);
            table.activate();
            tracker = new MemoryTracker(table, hypervisor);
        } catch (MapException | RuntimeException e) {
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
     * pvmfw's exit sequence (reference §8.3), after {@code main} returned: logs "Expecting a bug making
     * MMIO_GUARD_UNMAP return NOT_SUPPORTED on success" (info, as pvmfw does); {@code mmio_unmap_all()};
     * {@code unshare_all_memory()}; MMIO_GUARD_UNMAP of the UART; {@code MEMORY.take()}, which drops the tracker
     * (flush read-write regions, unshare, free the tables).
     *
     * @return the tracker taken and closed, if there was one
     * @throws MemoryTrackerException FailedToUnmap (nothing after it runs; pvmfw reboots)
     * @throws HypException if the UART UNMAP fails (the tracker is not taken; pvmfw reboots)
     */
    public static Optional<MemoryTracker> exit(MemoryMutex memory, Hypervisor hypervisor)
            throws MemoryTrackerException, HypException {
        LOG.info("Expecting a bug making MMIO_GUARD_UNMAP return NOT_SUPPORTED on success");
        try (MemoryMutex.Guard guard = memory.lock()) {
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
