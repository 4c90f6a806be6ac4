package dev.pvmfw.era2023_11;

import dev.pvmfw.era.BootedPvmfw;
import dev.pvmfw.era.LazyFlow;
import dev.pvmfw.era.MemoryMutex;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.era.PvmfwBoot;
import dev.pvmfw.hyp.SmcccConduit;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.paging.port.PageTableFactory;
import java.util.List;
import java.util.Locale;

/** The 2023-11 era's {@link PvmfwBoot}: {@link Hypervisors#detect}, then {@link MainWrapper#boot}; the exit is {@link MainWrapper#exit}. */
public final class CrosvmBoot implements PvmfwBoot {
    /** The one instance. */
    public static final CrosvmBoot INSTANCE = new CrosvmBoot(LazyFlow.ERA);
    /** The same boot with the corrected lazy flow ({@link LazyFlow#CORRECTED}; not pvmfw's code). */
    public static final CrosvmBoot CORRECTED = new CrosvmBoot(LazyFlow.CORRECTED);

    private final LazyFlow lazyFlow;

    private CrosvmBoot(LazyFlow lazyFlow) {
        this.lazyFlow = lazyFlow;
    }

    /**
     * {@inheritDoc}
     *
     * @throws HypException if the console's MMIO guard set-up fails
     * @throws dev.pvmfw.paging.port.MmuOpsException if the static layout cannot be mapped
     * @throws MemoryTrackerException if a tracker step fails
     */
    @Override
    public BootedPvmfw boot(SmcccConduit conduit, PageTableFactory pageTables, Translation translation, long ramSize)
            throws Exception {
        Hypervisor hypervisor = Hypervisors.detect(conduit);
        MemoryTracker tracker = MainWrapper.boot(hypervisor, pageTables, translation, ramSize, lazyFlow);
        return new Booted(new MemoryMutex<>(tracker), tracker, hypervisor);
    }

    private record Booted(MemoryMutex<MemoryTracker> memory, MemoryTracker tracker, Hypervisor hypervisor)
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
            return hypervisor.asMmioGuard().isPresent();
        }

        @Override
        public void exit() throws Exception {
            MainWrapper.exit(memory, hypervisor);
        }
    }
}
