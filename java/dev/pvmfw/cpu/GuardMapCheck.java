package dev.pvmfw.cpu;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.paging.DescriptorBits;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.PhysicalMemory;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * pvmfw's invariant between its stage-1 tables and the hypervisor's MMIO guard: every device page the guest can reach
 * through a valid leaf has been MMIO_GUARD_MAPped, so the guest never touches MMIO the hypervisor would refuse.
 * Device mappings are recognised by pvmfw's tag SWFLAG_0 (bit 55), which every one of its device attribute sets
 * carries; leaves are the ones the hardware uses ({@link Walker#validLeaves}), and what is checked is their output
 * address, the IPA, as the guard map is kept by IPA (pvmfw's tables are an identity map, so there VA = IPA).
 */
public final class GuardMapCheck {
    private GuardMapCheck() {}

    /**
     * Every 4 KiB page of IPA (the output address of a valid leaf carrying SWFLAG_0: stage 1's PA is the IPA the
     * hypervisor guard-maps) for which {@code guardMapped} is false, each once, in the VA order of the first leaf
     * that reaches it.
     *
     * @param guardMapped whether the hypervisor has the granule of this IPA guard-mapped (for a recording hypervisor:
     *     {@code hyp::isGuardMapped})
     */
    public static List<Long> unguardedValidDevicePages(PhysicalMemory memory, MmuConfig config, long rootPa,
            LongPredicate guardMapped) {
        Set<Long> out = new LinkedHashSet<>();
        Walker.forEachValidLeaf(memory, config, rootPa, leaf -> {
            if ((leaf.descriptor() & DescriptorBits.SOFTWARE_BIT_55) == 0) {
                return;
            }
            for (long off = 0; Long.compareUnsigned(off, leaf.size()) < 0; off += Geometry.PAGE_SIZE) {
                long ipa = leaf.pa() + off;
                if (!guardMapped.test(ipa)) {
                    out.add(ipa);
                }
            }
        });
        return List.copyOf(out);
    }
}
