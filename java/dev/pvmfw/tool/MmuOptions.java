package dev.pvmfw.tool;

import dev.pvmfw.mmu.CpuFeatures;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.PhysicalMap;
import dev.pvmfw.paging.VaRange;
import picocli.CommandLine.Option;

/**
 * The MMU configuration a walk takes beyond the root level and VA range ({@link MmuConfig}): output address size,
 * hardware access-flag and dirty-state management, the core's features, and what lies outside the tables. The
 * defaults are pvmfw's.
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

    @Option(names = "--cpu", paramLabel = "CORE", defaultValue = "any",
            description = "the core's features (PARange, FEAT_HAFDBS, FEAT_TTST): any (every feature, 48-bit PA), "
                    + "qemu-max (QEMU 7.2 -cpu max) or cortex-a57 (44-bit PA, no HA/HD, no FEAT_TTST) "
                    + "(default: ${DEFAULT-VALUE})")
    String cpu;

    @Option(names = "--machine", paramLabel = "MAP", defaultValue = "undescribed",
            description = "what lies behind the PAs outside the tables: undescribed (--outside decides, every "
                    + "access completes) or qemu-virt[:MIB] (QEMU's virt board with MIB of RAM, 1024 if not given: "
                    + "flash at 0 reads as zero, devices, RAM from 1 GiB; nothing elsewhere) "
                    + "(default: ${DEFAULT-VALUE})")
    String machine;

    /** The core {@code --cpu} names. @throws UsageException for another name */
    CpuFeatures features() throws UsageException {
        return switch (cpu) {
            case "any" -> CpuFeatures.ALL;
            case "qemu-max" -> CpuFeatures.QEMU_MAX;
            case "cortex-a57" -> CpuFeatures.CORTEX_A57;
            default -> throw new UsageException("--cpu must be any, qemu-max or cortex-a57, not '" + cpu + "'");
        };
    }

    /** The memory map {@code --machine} names. @throws UsageException for another name or a bad RAM size */
    PhysicalMap memoryMap() throws UsageException {
        if (machine.equals("undescribed")) {
            return PhysicalMap.UNDESCRIBED;
        }
        if (machine.equals("qemu-virt") || machine.startsWith("qemu-virt:")) {
            long mib = 1024;
            if (machine.startsWith("qemu-virt:")) {
                try {
                    mib = Long.parseLong(machine.substring("qemu-virt:".length()));
                } catch (NumberFormatException e) {
                    throw new UsageException("--machine qemu-virt:MIB needs a number of MiB, not '" + machine + "'");
                }
            }
            if (mib < 1 || mib > 255L * 1024) {
                throw new UsageException("--machine qemu-virt: RAM must be 1..261120 MiB, not " + mib);
            }
            return PhysicalMap.qemuVirt(mib << 20);
        }
        throw new UsageException("--machine must be undescribed or qemu-virt[:MIB], not '" + machine + "'");
    }

    /** The configuration for a table at {@code rootLevel} in {@code vaRange}. @throws UsageException bad values */
    MmuConfig config(int rootLevel, VaRange vaRange) throws UsageException {
        if (rootLevel < 0 || rootLevel > 3) {
            throw new UsageException("root level must be 0..3, got " + rootLevel);
        }
        return configForTnsz(16 + 9 * rootLevel, vaRange);
    }

    /** The configuration for TnSZ {@code tnsz} in {@code vaRange}. @throws UsageException bad values */
    MmuConfig configForTnsz(int tnsz, VaRange vaRange) throws UsageException {
        MmuConfig.OutsideTables policy = switch (outside) {
            case "abort" -> MmuConfig.OutsideTables.EXTERNAL_ABORT;
            case "zero" -> MmuConfig.OutsideTables.READS_AS_ZERO;
            default -> throw new UsageException("--outside must be abort or zero, not '" + outside + "'");
        };
        try {
            return MmuConfig.forTnsz(tnsz, vaRange).withOutputBits(outputBits)
                    .withHardwareManagement(hardwareAccessFlag, hardwareDirtyState).withOutsideTables(policy)
                    .withFeatures(features()).withMemoryMap(memoryMap());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
