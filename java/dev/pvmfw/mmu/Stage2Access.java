package dev.pvmfw.mmu;

import dev.pvmfw.paging.DescriptorBits;
import dev.pvmfw.paging.PhysicalMemory;
import java.util.Objects;

/**
 * The checks a stage-2 leaf makes of an access, after the walk of its IPA: the stage-2 counterpart of
 * {@link Walker#access}, for tables of the Stage 2 regime (aarch64-paging 0.12's {@code Stage2Attributes},
 * {@code ../shared/reference/aarch64-paging-0.12.md}, "Descriptor layout and attribute bits":
 * S2AP_ACCESS_NONE/RO/WO/RW = 0..3 &lt;&lt; 6, ACCESS_FLAG bit 10, XN bit 54). The rules are the Arm ARM's
 * (DDI 0487, D8.4 "Memory access control", stage 2 data access permissions and execute-never; pseudocode
 * {@code AArch64.S2CheckPermission}):
 *
 * <ul>
 *   <li>the walk's own faults first, then the Access flag (ACCESS_FLAG clear and the hardware not managing it:
 *       VTCR_EL2.HA, taken from {@link MmuConfig#accessFlagManaged()}), then permissions, then whether anything is
 *       behind the output address, as at stage 1;</li>
 *   <li>a data read needs S2AP[0] (bit 6), a data write S2AP[1] (bit 7) — or DBM (bit 51) with the hardware managing
 *       dirty state, which then makes the leaf writable; so S2AP 0b00 allows neither, 0b01 reads, 0b10 writes,
 *       0b11 both;</li>
 *   <li>an instruction fetch needs XN (bit 54) clear, and does not need S2AP read permission; FEAT_XNX, under which
 *       bit 53 also takes part and the verdict depends on the EL, is not modelled (bit 53 is taken as RES0);</li>
 *   <li>stage 2 has no privilege levels of its own: EL0 and EL1 accesses get the same verdict, and table descriptors
 *       carry no hierarchical permissions (APTable, XNTable are stage 1's only).</li>
 * </ul>
 *
 * A fault here is a stage-2 fault, taken to EL2 (not the ESR_EL1 of {@link Syndrome}); its kind and level are the
 * walk's usual ones.
 */
public final class Stage2Access {
    private Stage2Access() {}

    /** S2AP[0]: stage-2 read permission. */
    static final long S2AP_READ = 1L << 6;
    /** S2AP[1]: stage-2 write permission. */
    static final long S2AP_WRITE = 1L << 7;
    /** XN (bit 54): stage-2 execute-never. */
    static final long XN = 1L << 54;

    /**
     * Walks {@code ipa} from the stage-2 root at {@code rootPa} and checks the leaf for {@code access}, as the class
     * comment says.
     *
     * @throws dev.pvmfw.paging.MemoryLifetimeException if the table memory is gone (as {@link Walker#walk})
     * @throws UnmodelledMemoryException as {@link Walker#walk}
     */
    public static WalkResult access(PhysicalMemory memory, MmuConfig config, long rootPa, long ipa,
            AccessKind access) {
        Objects.requireNonNull(access);
        WalkResult walk = Walker.walk(memory, config, rootPa, ipa);
        if (!(walk instanceof WalkResult.Translated t)) {
            return walk;
        }
        long d = t.leaf().descriptor();
        int level = t.leaf().level();
        if ((d & DescriptorBits.AF) == 0 && !config.accessFlagManaged()) {
            return new WalkResult.Faulted(t.steps(), WalkResult.FaultKind.ACCESS_FLAG, level);
        }
        if (!permitted(d, config, access)) {
            return new WalkResult.Faulted(t.steps(), WalkResult.FaultKind.PERMISSION, level);
        }
        if (!config.hasMemoryAt(t.leaf().pa())) {
            return new WalkResult.Faulted(t.steps(), WalkResult.FaultKind.EXTERNAL_ABORT, level);
        }
        return walk;
    }

    /** The permission checks of {@link #access} for stage-2 leaf {@code d}. */
    static boolean permitted(long d, MmuConfig config, AccessKind access) {
        if (access.isInstructionFetch()) {
            return (d & XN) == 0;
        }
        if (access.isWrite()) {
            return (d & S2AP_WRITE) != 0 || (config.dirtyStateManaged() && (d & DescriptorBits.DBM) != 0);
        }
        return (d & S2AP_READ) != 0;
    }
}
