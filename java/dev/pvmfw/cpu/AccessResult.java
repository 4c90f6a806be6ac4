package dev.pvmfw.cpu;

import dev.pvmfw.exceptions.ExceptionOutcome;

/** How a simulated access ended. */
public sealed interface AccessResult {

    /** The VA accessed. */
    long va();

    /** Whether the access was a load or a store. */
    Access access();

    /** Whether the access went through. */
    default boolean isCompleted() {
        return this instanceof Completed;
    }

    /**
     * The access went through.
     *
     * @param va the VA accessed
     * @param access load or store
     * @param pa the output address
     * @param device whether the memory type is Device (MAIR attribute {@code 0b0000xx00})
     * @param faultsTaken exceptions taken before it went through (0 or 1)
     */
    record Completed(long va, Access access, long pa, boolean device, int faultsTaken) implements AccessResult {}

    /**
     * The exception handler rebooted; the CPU is halted.
     *
     * @param va the VA accessed
     * @param access load or store
     * @param reboot the handler's outcome
     */
    record Rebooted(long va, Access access, ExceptionOutcome.Reboot reboot) implements AccessResult {}

    /**
     * The handler returned but the retried access faulted again: a failure, reported without entering the handler a
     * second time (real hardware would loop).
     *
     * @param va the VA accessed
     * @param access load or store
     * @param firstEsr the syndrome of the first fault (handled)
     * @param secondEsr the syndrome of the fault on the retry
     */
    record FaultedAgain(long va, Access access, long firstEsr, long secondEsr) implements AccessResult {}

    /**
     * The CPU had already rebooted; nothing was done.
     *
     * @param va the VA of the access asked for
     * @param access load or store
     */
    record Halted(long va, Access access) implements AccessResult {}
}
