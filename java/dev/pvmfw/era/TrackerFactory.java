package dev.pvmfw.era;

import dev.pvmfw.hyp.SmcccConduit;
import dev.pvmfw.paging.port.MmuOps;

/**
 * How the scenario language's {@code tracker} step makes an era's tracker over pKVM: each era has one, given with the
 * era by the catalogue.
 */
@FunctionalInterface
public interface TrackerFactory {

    /**
     * A tracker of the era on {@code pageTable} (which it then owns), over pKVM on {@code conduit}, with main memory
     * shrunk to end at {@code ramEnd} unless that is the era's initial end.
     *
     * @param compatAndroid13 the Android 13 workarounds of the era's KVM backend (eras where they are not optional
     *     ignore it)
     * @throws TrackerException the era's shrink error
     * @throws InvariantViolation where the era panics making a tracker (2024-05: an unsupported MMIO guard granule)
     */
    ScenarioTracker newTracker(MmuOps pageTable, SmcccConduit conduit, long ramEnd, boolean compatAndroid13)
            throws TrackerException;

    /**
     * As {@link #newTracker(MmuOps, SmcccConduit, long, boolean)}, over pKVM ({@code mmioGuard}) or over a regular KVM
     * without an MMIO guard (MMIO mapped valid at once; the eras from 2023-07 on, {@code docs/scenarios.md}). An era
     * that always runs over pKVM (2023-05) refuses {@code mmioGuard == false}.
     *
     * @throws TrackerException as {@link #newTracker(MmuOps, SmcccConduit, long, boolean)}
     * @throws IllegalArgumentException {@code mmioGuard} false on an era that has no such choice
     */
    default ScenarioTracker newTracker(MmuOps pageTable, SmcccConduit conduit, long ramEnd, boolean compatAndroid13,
            boolean mmioGuard) throws TrackerException {
        if (!mmioGuard) {
            throw new IllegalArgumentException("this era's tracker always runs over pKVM (an MMIO guard)");
        }
        return newTracker(pageTable, conduit, ramEnd, compatAndroid13);
    }
}
