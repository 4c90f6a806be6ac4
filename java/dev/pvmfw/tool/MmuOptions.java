package dev.pvmfw.tool;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.VaRange;
import picocli.CommandLine.Option;

/**
 * The MMU configuration a walk takes beyond the root level and VA range ({@link MmuConfig}): output address size,
 * hardware access-flag and dirty-state management, and what lies outside the tables. The defaults are pvmfw's.
 */
final class MmuOptions {
    @Option(names = "--output-bits", paramLabel = "N", defaultValue = "48",
            description = "output address size in bits, 32..52 (TCR_EL1.IPS; the core's PARange and the 4 KiB "
                    + "granule cap it at 48; default: ${DEFAULT-VALUE})")
    int outputBits;

    @Option(names = "--hw-access-flag", description = "TCR_EL1.HA = 1: the hardware sets AF (no Access flag fault)")
    boolean hardwareAccessFlag;

    @Option(names = "--hw-dirty-state",
            description = "TCR_EL1.HD = 1: a write to a read-only leaf with DBM makes it writable (no Permission fault)")
    boolean hardwareDirtyState;

    @Option(names = "--outside", paramLabel = "WHAT", defaultValue = "abort",
            description = "what a table pointer to memory without a table reads: abort (an external abort on the "
                    + "walk) or zero (memory that reads as zero) (default: ${DEFAULT-VALUE})")
    String outside;

    /** The configuration for a table at {@code rootLevel} in {@code vaRange}. @throws UsageException bad values */
    MmuConfig config(int rootLevel, VaRange vaRange) throws UsageException {
        MmuConfig.OutsideTables policy = switch (outside) {
            case "abort" -> MmuConfig.OutsideTables.EXTERNAL_ABORT;
            case "zero" -> MmuConfig.OutsideTables.READS_AS_ZERO;
            default -> throw new UsageException("--outside must be abort or zero, not '" + outside + "'");
        };
        try {
            return MmuConfig.of(rootLevel, vaRange).withOutputBits(outputBits)
                    .withHardwareManagement(hardwareAccessFlag, hardwareDirtyState).withOutsideTables(policy);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
