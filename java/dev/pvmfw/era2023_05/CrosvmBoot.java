package dev.pvmfw.era2023_05;

import dev.pvmfw.era.BootedPvmfw;
import dev.pvmfw.era.MemoryMutex;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.era.PvmfwBoot;
import dev.pvmfw.hyp.SmcccConduit;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.paging.port.PageTableFactory;
import java.util.List;
import java.util.Locale;

/**
 * The 2023-05 era's {@link PvmfwBoot}: {@link MainWrapper#boot} over a {@link KvmHypervisor} (Android 13
 * compatibility on), and {@link MainWrapper#exit} as the exit.
 */
public final class CrosvmBoot implements PvmfwBoot {
    /** The one instance. */
    public static final CrosvmBoot INSTANCE = new CrosvmBoot();

    private CrosvmBoot() {}

    /**
     * {@inheritDoc}
     *
     * @throws HypException if a hypercall of the boot fails
     * @throws dev.pvmfw.paging.port.MmuOpsException if the static layout cannot be mapped
     * @throws MemoryTrackerException if a tracker step fails
     */
    @Override
    public BootedPvmfw boot(SmcccConduit conduit, PageTableFactory pageTables, Translation translation, long ramSize)
            throws Exception {
        KvmHypervisor kvm = new KvmHypervisor(conduit);
        MemoryTracker tracker = MainWrapper.boot(kvm, pageTables, translation, ramSize);
        return new Booted(new MemoryMutex<>(tracker), tracker, kvm);
    }

    private record Booted(MemoryMutex<MemoryTracker> memory, MemoryTracker tracker, KvmHypervisor kvm)
            implements BootedPvmfw {
        @Override
        public MmuOps pageTable() {
            return tracker.pageTable();
        }

        @Override
        public List<String> ramRegions() {
            return tracker.regions().stream().map(r -> r.range() + " "
                    + r.type().name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
        }

        @Override
        public List<MemoryRange> mmioRegions() {
            return tracker.mmioRegions();
        }

        @Override
        public boolean lazyMmio() {
            return true;
        }

        @Override
        public void exit() throws Exception {
            MainWrapper.exit(memory, kvm);
        }
    }
}
