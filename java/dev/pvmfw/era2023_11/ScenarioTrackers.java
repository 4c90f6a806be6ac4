package dev.pvmfw.era2023_11;

import dev.pvmfw.era.CrosvmLayout;
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
        MemoryTracker tracker = new MemoryTracker(pageTable, new MemoryRange(CrosvmLayout.RAM_START,
                MainWrapper.MAX_VIRT_ADDR), CrosvmLayout.MMIO_WINDOW, null, new ProtectedKvmHypervisor(conduit),
                lazyFlow);
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
}
