package dev.pvmfw.cpu;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.paging.DescriptorBits;
import dev.pvmfw.paging.PhysicalMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * pvmfw's invariant between its stage-1 tables and the hypervisor's MMIO guard: every device page the guest can reach
 * through a valid leaf has been MMIO_GUARD_MAPped, so the guest never touches MMIO the hypervisor would refuse.
 * Device mappings are recognised by pvmfw's tag SWFLAG_0 (bit 55), which every one of its device attribute sets
 * carries; leaves are the ones the hardware uses ({@link Walker#validLeaves}).
 */
public final class GuardMapCheck {
    private GuardMapCheck() {}

    /**
     * Every 4 KiB page covered by a valid leaf carrying SWFLAG_0 for which {@code guardMapped} is false, in VA order.
     *
     * @param guardMapped whether the hypervisor has the page's granule guard-mapped (for a recording hypervisor:
     *     {@code hyp::isGuardMapped})
     */
    public static List<Long> unguardedValidDevicePages(PhysicalMemory memory, MmuConfig config, long rootPa,
            LongPredicate guardMapped) {
        List<Long> out = new ArrayList<>();
        for (WalkResult.Leaf leaf : Walker.validLeaves(memory, config, rootPa)) {
            if ((leaf.descriptor() & DescriptorBits.SOFTWARE_BIT_55) == 0) {
                continue;
            }
            for (long off = 0; Long.compareUnsigned(off, leaf.size()) < 0; off += 4096) {
                long page = leaf.va() + off;
                if (!guardMapped.test(page)) {
                    out.add(page);
                }
            }
        }
        return out;
    }
}
