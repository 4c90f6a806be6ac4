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

    /**
     * pvmfw's entry before its page table exists, in the eras from 2023-07 on (the {@code tracker} step's
     * {@code entry=on}, {@code docs/scenarios.md}, "Eras"): {@code detect_hypervisor} over {@code conduit}, then
     * vmbase's {@code try_console_init} over what it found. An era without it (2023-05, whose boot's hypervisor calls
     * are steps of their own) refuses.
     *
     * @param compatAndroid13 the Android 13 workarounds of the era's KVM backend (eras where they are not optional
     *     ignore it)
     * @return whether the detected hypervisor has an MMIO guard (pKVM), which the tracker is then made over
     * @throws HypCallException {@code try_console_init}'s error (after which vmbase reboots without a message)
     * @throws InvariantViolation where the era panics: the detection's {@code expect}, 2024-05's granule assertion
     * @throws UnsupportedOperationException on an era without it
     */
    default boolean entry(SmcccConduit conduit, boolean compatAndroid13) throws HypCallException {
        throw new UnsupportedOperationException("this era's boot has no entry before its page table");
    }

    /**
     * {@code main_wrapper}'s unmap of the console at exit in the eras from 2023-07 on (the step
     * {@code console-unmap}): with an MMIO guard ({@code mmioGuard}: pKVM over {@code conduit}), MMIO_GUARD_UNMAP of
     * the UART's page; without one, nothing. An era without it (2023-05: the step {@code hyp-unmap}) refuses.
     *
     * @param compatAndroid13 as {@link #entry}
     * @throws HypCallException the UNMAP's error ("Failed to unshare the UART: {e}", then pvmfw reboots)
     * @throws UnsupportedOperationException on an era without it
     */
    default void consoleUnmap(SmcccConduit conduit, boolean mmioGuard, boolean compatAndroid13)
            throws HypCallException {
        throw new UnsupportedOperationException("this era's exit has no console unmap of the tracker's own");
    }
}
