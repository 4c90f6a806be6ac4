package dev.pvmfw.era2023_05;

import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.era.ScenarioTracker;
import dev.pvmfw.era.TrackerFactory;
import dev.pvmfw.hyp.SmcccConduit;
import dev.pvmfw.paging.port.MmuOps;

/**
 * This era's {@link TrackerFactory} for the scenario language's {@code tracker} step: {@code MemoryTracker::new(page_table)} over {@link KvmHypervisor}, then {@code shrink} to end at {@code ramEnd}
 * unless it is {@link MemoryTracker#MAX_ADDR}.
 */
public final class ScenarioTrackers implements TrackerFactory {
    /** The one instance. */
    public static final ScenarioTrackers INSTANCE = new ScenarioTrackers();

    private ScenarioTrackers() {}

    /**
     * {@inheritDoc}
     *
     * @throws MemoryTrackerException the shrink's error (the tracker is closed)
     */
    @Override
    public ScenarioTracker newTracker(MmuOps pageTable, SmcccConduit conduit, long ramEnd, boolean compatAndroid13)
            throws MemoryTrackerException {
        MemoryTracker tracker = new MemoryTracker(pageTable, new KvmHypervisor(conduit, compatAndroid13));
        if (ramEnd != MemoryTracker.MAX_ADDR) {
            try {
                tracker.shrink(new MemoryRange(MemoryTracker.BASE_ADDR, ramEnd));
            } catch (MemoryTrackerException e) {
                tracker.close();
                throw e;
            }
        }
        return tracker;
    }
}
