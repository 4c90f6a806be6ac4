package dev.pvmfw.era2023_11;

import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.HypCallException;
import dev.pvmfw.era.LazyFlow;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.era.ScenarioTracker;
import dev.pvmfw.era.TrackerFactory;
import dev.pvmfw.hyp.SmcccConduit;
import dev.pvmfw.paging.port.MmuOps;

/**
 * This era's {@link TrackerFactory} for the scenario language's {@code tracker} step: {@code MemoryTracker::new(page_table, RAM_START..MAX_VIRT_ADDR, MMIO_RANGE, None)} over
 * {@link ProtectedKvmHypervisor} (whose Android 13 workarounds are not optional in this era), then {@code shrink} to
 * end at {@code ramEnd} unless it is {@link MainWrapper#MAX_VIRT_ADDR}.
 */
public final class ScenarioTrackers implements TrackerFactory {
    /** The one instance. */
    public static final ScenarioTrackers INSTANCE = new ScenarioTrackers(LazyFlow.ERA);
    /** The same with the corrected lazy flow ({@link LazyFlow#CORRECTED}; not pvmfw's code). */
    public static final ScenarioTrackers CORRECTED = new ScenarioTrackers(LazyFlow.CORRECTED);

    private final LazyFlow lazyFlow;

    private ScenarioTrackers(LazyFlow lazyFlow) {
        this.lazyFlow = lazyFlow;
    }

    /**
     * {@inheritDoc}
     *
     * @throws MemoryTrackerException the shrink's error (the tracker is closed)
     */
    @Override
    public ScenarioTracker newTracker(MmuOps pageTable, SmcccConduit conduit, long ramEnd, boolean compatAndroid13)
            throws MemoryTrackerException {
        return newTracker(pageTable, conduit, ramEnd, compatAndroid13, true);
    }

    /**
     * {@inheritDoc} Without an MMIO guard the hypervisor is {@link RegularKvmHypervisor} (no capabilities).
     *
     * @throws MemoryTrackerException the shrink's error (the tracker is closed)
     */
    @Override
    public ScenarioTracker newTracker(MmuOps pageTable, SmcccConduit conduit, long ramEnd, boolean compatAndroid13,
            boolean mmioGuard) throws MemoryTrackerException {
        Hypervisor hypervisor = mmioGuard ? new ProtectedKvmHypervisor(conduit) : RegularKvmHypervisor.INSTANCE;
        MemoryTracker tracker = new MemoryTracker(pageTable, new MemoryRange(CrosvmLayout.RAM_START,
                MainWrapper.MAX_VIRT_ADDR), CrosvmLayout.MMIO_WINDOW, null, hypervisor, lazyFlow);
        if (ramEnd != MainWrapper.MAX_VIRT_ADDR) {
            try {
                tracker.shrink(new MemoryRange(CrosvmLayout.RAM_START, ramEnd));
            } catch (MemoryTrackerException e) {
                tracker.close();
                throw e;
            }
        }
        return tracker;
    }

    /**
     * {@inheritDoc} {@link Hypervisors#detect}, then {@link MainWrapper#tryConsoleInit} over what it found.
     *
     * @throws HypCallException {@code try_console_init}'s {@link HypError} (its Debug and Display texts)
     */
    @Override
    public boolean entry(SmcccConduit conduit, boolean compatAndroid13) throws HypCallException {
        Hypervisor hypervisor = Hypervisors.detect(conduit);
        try {
            MainWrapper.tryConsoleInit(hypervisor);
        } catch (HypException e) {
            throw new HypCallException(e.error().toString(), e.error().display());
        }
        return hypervisor.asMmioGuard().isPresent();
    }

    /**
     * {@inheritDoc} {@link MainWrapper#unmapConsole} over {@link ProtectedKvmHypervisor} or, without an MMIO guard,
     * {@link RegularKvmHypervisor}.
     *
     * @throws HypCallException the UNMAP's {@link HypError} (its Debug and Display texts)
     */
    @Override
    public void consoleUnmap(SmcccConduit conduit, boolean mmioGuard, boolean compatAndroid13)
            throws HypCallException {
        Hypervisor hypervisor = mmioGuard ? new ProtectedKvmHypervisor(conduit) : RegularKvmHypervisor.INSTANCE;
        try {
            MainWrapper.unmapConsole(hypervisor);
        } catch (HypException e) {
            throw new HypCallException(e.error().toString(), e.error().display());
        }
    }
}
