package dev.pvmfw.era;

import dev.pvmfw.hyp.SmcccConduit;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.port.PageTableFactory;

/**
 * How one pvmfw era boots on the crosvm layout ({@link CrosvmLayout}): its {@code main_wrapper} up to {@code main},
 * plus the MMIO mappings of PCI initialisation. Each era package has one ({@code CrosvmBoot}); the catalogue gives it
 * with the era, so the command line runs any era without naming its classes.
 */
@FunctionalInterface
public interface PvmfwBoot {

    /**
     * Boots the era.
     *
     * @param conduit the hypervisor's raw SMCCC interface
     * @param pageTables the crate version that makes pvmfw's page table
     * @param translation where the tables live, or null for the crate's own IdTranslation
     * @param ramSize the RAM crosvm gives the guest, from {@link CrosvmLayout#RAM_START}
     * @return the booted pvmfw
     * @throws Exception the era's own error of a failed step: its {@code MemoryTrackerException} or
     *     {@code HypException}, or an {@code MmuOpsException} of the static layout (nothing is left open)
     * @throws InvariantViolation where the era's pvmfw panics while booting (e.g. an unsupported MMIO guard granule in
     *     2024-05)
     */
    BootedPvmfw boot(SmcccConduit conduit, PageTableFactory pageTables, Translation translation, long ramSize)
            throws Exception;
}
