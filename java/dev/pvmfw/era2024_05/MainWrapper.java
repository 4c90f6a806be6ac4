package dev.pvmfw.era2024_05;

import static dev.pvmfw.era.CrosvmLayout.APPENDED_PAYLOAD;
import static dev.pvmfw.era.CrosvmLayout.CONSOLE_LEN;
import static dev.pvmfw.era.CrosvmLayout.FDT_BASE;
import static dev.pvmfw.era.CrosvmLayout.FDT_SIZE;
import static dev.pvmfw.era.CrosvmLayout.LOW_MMIO;
import static dev.pvmfw.era.CrosvmLayout.MMIO_WINDOW;
import static dev.pvmfw.era.CrosvmLayout.PCI_CAM;
import static dev.pvmfw.era.CrosvmLayout.RAM_START;
import static dev.pvmfw.era.CrosvmLayout.RODATA;
import static dev.pvmfw.era.CrosvmLayout.SCRATCH;
import static dev.pvmfw.era.CrosvmLayout.STACK;
import static dev.pvmfw.era.CrosvmLayout.TEXT;
import static dev.pvmfw.era.CrosvmLayout.UART_BASE;

import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.era.LazyFlow;
import dev.pvmfw.era.MemoryMutex;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.paging.port.MmuOpsException;
import dev.pvmfw.paging.port.PageTableFactory;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pvmfw's boot and exit in the 2024-05 era, on the crosvm layout: vmbase's {@code try_console_init}
 * ({@code c08e63cb:vmbase/src/entry.rs}), pvmfw's {@code init_page_table} ({@code c08e63cb:pvmfw/src/memory.rs}) and
 * {@code main_wrapper} ({@code c08e63cb:pvmfw/src/entry.rs}). Memory sharing is not reproduced for this era, so the
 * boot sets up no shared pool.
 */
public final class MainWrapper {
    private static final Logger LOG = LoggerFactory.getLogger(MainWrapper.class);

    /** {@code layout::MAX_VIRT_ADDR}, 2<sup>40</sup>: the end of the main memory window pvmfw passes. */
    public static final long MAX_VIRT_ADDR = 1L << 40;

    /**
     * The panic of {@code try_console_init}'s message-less assertion that the granule is 4 KiB or 16 KiB
     * ({@code c08e63cb:vmbase/src/entry.rs}: {@code assert!({ let granule = mmio_guard.granule()?; granule == SIZE_4KB
     * || granule == SIZE_16KB });}): Rust's {@code assertion failed: } and the asserted block as {@code stringify!}
     * pretty-prints it, on four lines with four-space indentation. Checked against the output of the same
     * {@code assert!} built with rustc 1.95.0 and 1.97.0-nightly (pvmfw built it with an older rustc, whose
     * pretty-printer is assumed to print a block the same way).
     */
    public static final String CONSOLE_GRANULE_ASSERTION = "assertion failed: {\n"
            + "    let granule = mmio_guard.granule()?;\n"
            + "    granule == SIZE_4KB || granule == SIZE_16KB\n"
            + "}";

    private MainWrapper() {}

    /**
     * {@code try_console_init}: with an MMIO guard, ENROLL, then MMIO_GUARD_INFO (an error returns) asserted to be 4 KiB
     * or 16 KiB, then MAP of the UART's page (which with 16 KiB also covers the RTC and the watchdog); without one,
     * nothing. (An error here makes vmbase reboot without a message.) So a full boot refuses 8 KiB here, although the
     * tracker's {@link MmioSharer} would accept it.
     *
     * @throws HypException MmioGuardNotSupported, or a KvmError of the calls
     * @throws InvariantViolation {@value #CONSOLE_GRANULE_ASSERTION}
     */
    public static void tryConsoleInit(Hypervisor hypervisor) throws HypException {
        Optional<MmioGuardedHypervisor> guard = hypervisor.asMmioGuard();
        if (guard.isPresent()) {
            guard.get().enroll();
            long granule = guard.get().granule();
            if (granule != 4096 && granule != 16384) {
                throw new InvariantViolation(CONSOLE_GRANULE_ASSERTION);
            }
            guard.get().map(UART_BASE);
        }
    }

    /**
     * {@code init_page_table()}: scratch DATA, stack DATA, text CODE, rodata RODATA, appended payload DATA_DBM, the
     * UART DEVICE (valid), in that order.
     *
     * @param translation where the tables live, or null for the crate's own IdTranslation
     * @throws MmuOpsException if a mapping fails (the table is closed)
     */
    public static MmuOps initPageTable(PageTableFactory pageTables, Translation translation) throws MmuOpsException {
        MmuOps table = pageTables.newPvmfwPageTable(translation);
        try {
            table.mapData(SCRATCH.start(), SCRATCH.end());
            table.mapData(STACK.start(), STACK.end());
            table.mapCode(TEXT.start(), TEXT.end());
            table.mapRodata(RODATA.start(), RODATA.end());
            table.mapDataDbm(APPENDED_PAYLOAD.start(), APPENDED_PAYLOAD.end());
            table.mapDevice(UART_BASE, UART_BASE + CONSOLE_LEN);
        } catch (MmuOpsException | RuntimeException e) {
            table.close();
            throw e;
        }
        return table;
    }

    /**
     * The boot up to {@code main} plus PCI initialisation's MMIO mappings: {@link #tryConsoleInit};
     * {@link #initPageTable}; {@code MemoryTracker::new(table, RAM_START..MAX_VIRT_ADDR, MMIO_RANGE, Some(payload))}
     * (which activates the table and makes the {@link MmioSharer}); {@code alloc_mut} of the FDT; {@code shrink} to {@code RAM_START..RAM_START +
     * ramSize}; {@code map_mmio_range} of the PCI CAM and of the low MMIO window.
     *
     * @return the tracker, which the caller puts in a {@link MemoryMutex}
     * @throws HypException if {@link #tryConsoleInit} fails
     * @throws MmuOpsException if the static layout cannot be mapped
     * @throws MemoryTrackerException if a tracker step fails (the tracker is closed)
     * @throws InvariantViolation the console's granule assertion; the tracker's unwrapped {@link MmioSharer}
     */
    public static MemoryTracker boot(Hypervisor hypervisor, PageTableFactory pageTables, Translation translation,
            long ramSize) throws HypException, MmuOpsException, MemoryTrackerException {
        return boot(hypervisor, pageTables, translation, ramSize, LazyFlow.ERA);
    }

    /**
     * The boot up to {@code main} plus PCI initialisation's MMIO mappings: {@link #tryConsoleInit};
     * {@link #initPageTable}; {@code MemoryTracker::new(table, RAM_START..MAX_VIRT_ADDR, MMIO_RANGE, Some(payload))}
     * (which activates the table and makes the {@link MmioSharer}); {@code alloc_mut} of the FDT; {@code shrink} to {@code RAM_START..RAM_START +
     * ramSize}; {@code map_mmio_range} of the PCI CAM and of the low MMIO window.
     *
     * @param lazyFlow the era's own flow, or the corrected one ({@link LazyFlow})
     * @return the tracker, which the caller puts in a {@link MemoryMutex}
     * @throws HypException if {@link #tryConsoleInit} fails
     * @throws MmuOpsException if the static layout cannot be mapped
     * @throws MemoryTrackerException if a tracker step fails (the tracker is closed)
     * @throws InvariantViolation the console's granule assertion; the tracker's unwrapped {@link MmioSharer}
     */
    public static MemoryTracker boot(Hypervisor hypervisor, PageTableFactory pageTables, Translation translation,
            long ramSize, LazyFlow lazyFlow) throws HypException, MmuOpsException, MemoryTrackerException {
        tryConsoleInit(hypervisor);
        MmuOps table = initPageTable(pageTables, translation);
        MemoryTracker tracker;
        try {
            tracker = new MemoryTracker(table, new MemoryRange(RAM_START, MAX_VIRT_ADDR), MMIO_WINDOW,
                    APPENDED_PAYLOAD, hypervisor, lazyFlow);
        } catch (RuntimeException e) {
            table.close();
            throw e;
        }
        try {
            tracker.allocMut(FDT_BASE, FDT_SIZE);
            tracker.shrink(new MemoryRange(RAM_START, RAM_START + ramSize));
            tracker.mapMmioRange(PCI_CAM);
            tracker.mapMmioRange(LOW_MMIO);
        } catch (MemoryTrackerException | RuntimeException e) {
            tracker.close();
            throw e;
        }
        return tracker;
    }

    /**
     * The exit sequence's unmap of the console: with an MMIO guard, UNMAP of the UART ("Failed to unshare the UART:
     * {e}" logged on an error); without one, nothing. Also the scenario language's {@code console-unmap}.
     *
     * @throws HypException the UNMAP's error
     */
    public static void unmapConsole(Hypervisor hypervisor) throws HypException {
        Optional<MmioGuardedHypervisor> mmioGuard = hypervisor.asMmioGuard();
        if (mmioGuard.isPresent()) {
            try {
                mmioGuard.get().unmap(UART_BASE);
            } catch (HypException e) {
                LOG.error("Failed to unshare the UART: {}", e.error().display());
                throw e;
            }
        }
    }

    /**
     * The exit sequence after {@code main} ({@code c08e63cb:pvmfw/src/entry.rs}): logs "Expecting a bug making
     * MMIO_GUARD_UNMAP return NOT_SUPPORTED on success"; {@code unshare_all_mmio()}, always Ok (a refused UNMAP is a
     * panic); memory unsharing (nothing here); with an MMIO guard, UNMAP of the UART ("Failed to unshare the UART:
     * {e}"); {@code drop(MEMORY.take())}: the tracker drops, its page table before its sharer.
     *
     * @return the tracker taken and closed, if there was one
     * @throws HypException if the UART's UNMAP fails (the tracker is not taken)
     * @throws InvariantViolation if an UNMAP of a shared granule fails
     */
    public static Optional<MemoryTracker> exit(MemoryMutex<MemoryTracker> memory, Hypervisor hypervisor)
            throws HypException {
        LOG.info("Expecting a bug making MMIO_GUARD_UNMAP return NOT_SUPPORTED on success");
        try (MemoryMutex<MemoryTracker>.Guard guard = memory.lock()) {
            Optional<MemoryTracker> tracker = guard.tracker();
            tracker.ifPresent(MemoryTracker::unshareAllMmio);
            unmapConsole(hypervisor);
            Optional<MemoryTracker> taken = guard.take();
            taken.ifPresent(MemoryTracker::close);
            return taken;
        }
    }
}
