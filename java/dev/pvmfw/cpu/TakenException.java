package dev.pvmfw.cpu;

import dev.pvmfw.exceptions.ExceptionOutcome;

/**
 * A synchronous exception the CPU took and what pvmfw's handler made of it.
 *
 * @param esr ESR_EL1
 * @param far FAR_EL1
 * @param elr ELR_EL1
 * @param outcome return (retry) or reboot
 */
public record TakenException(long esr, long far, long elr, ExceptionOutcome outcome) {
    @Override
    public String toString() {
        return "esr=0x" + Long.toHexString(esr) + " far=0x" + Long.toHexString(far) + " -> "
                + (outcome instanceof ExceptionOutcome.Reboot ? "reboot" : "return");
    }
}
