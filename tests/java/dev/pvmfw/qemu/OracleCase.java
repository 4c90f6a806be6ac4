package dev.pvmfw.qemu;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.PhysicalMemory;
import java.util.List;

/**
 * One image under one configuration, as the model sees it and as the QEMU program runs it.
 *
 * @param name what it is (image and configuration), for messages
 * @param memory the image's tables
 * @param config the model's configuration: the same TnSZ, IPS, HA/HD, MAIR, the core's features and QEMU virt's
 *     memory map (with the harness's RAM marked as not modelled)
 * @param rootPa the root table's PA
 * @param job what the program runs
 */
record OracleCase(String name, PhysicalMemory memory, MmuConfig config, long rootPa, OracleJob job) {
    List<Long> addresses() {
        return job.addresses();
    }
}
