package dev.pvmfw.era2023_11;

import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.era.LeafWalks;
import dev.pvmfw.paging.port.Pte;
import dev.pvmfw.paging.port.PteFlags;
import dev.pvmfw.paging.port.PteVisitor;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 2023-11 page-table callbacks ({@code 28e439f4:vmbase/src/memory/shared.rs}), written for aarch64-paging 0.5,
 * whose {@code modify_range} and {@code walk_range} pass leaves only; they run through {@link LeafWalks}, which gives
 * them 0.5's walks on any crate version. There is no {@code is_leaf_pte} any more ({@code ba031fbf}).
 *
 * <p>Their panics are {@link InvariantViolation}s with the Rust message: {@value #UNSUPPORTED_FLAGS}
 * ({@code desc.flags().expect(..)}), {@value #NON_DEVICE_UNMAP}, {@code assertion `left == right` failed: Failed to
 * break down block mapping before MMIO guard mapping\n  left: <level>\n right: 3} and {@code assertion `left == right`
 * failed\n  left: <base % 4096>\n right: 0} (neither of the last two can fire through {@link LeafWalks#walkRange},
 * which gives page-aligned chunks of the leaves), and {@code called `Option::unwrap()` on a `None` value} for
 * {@code get_mmio_guard().unwrap()}.
 */
public final class PteCallbacks {
    private static final Logger LOG = LoggerFactory.getLogger(PteCallbacks.class);

    /** {@code MMIO_LAZY_MAP_FLAG}: SWFLAG_0, bit 55. */
    public static final long MMIO_LAZY_MAP_FLAG = PteFlags.SWFLAG_0;
    /** Panic message of {@code desc.flags().expect(..)}. */
    public static final String UNSUPPORTED_FLAGS = "Unsupported PTE flags set";
    /** Panic message of the SWFLAG_0 assertion in {@code mmio_guard_unmap_page}. */
    public static final String NON_DEVICE_UNMAP = "Attempting MMIO guard unmap for non-device pages";
    /** Custom message of the level assertion in {@code mmio_guard_unmap_page}. */
    public static final String BLOCK_NOT_BROKEN_DOWN = "Failed to break down block mapping before MMIO guard mapping";
    /**
     * {@code MMIO_GUARD_GRANULE_LEVEL}: {@code 3 - ((log2(granule) - log2(PAGE_SIZE)) / BITS_PER_LEVEL)} for the 4 KiB
     * {@code MMIO_GUARD_GRANULE_SIZE}: 3.
     */
    public static final int MMIO_GUARD_GRANULE_LEVEL = 3
            - (Long.numberOfTrailingZeros(MmioGuardedHypervisor.MMIO_GUARD_GRANULE_SIZE) - 12) / 9;

    /**
     * The closure of {@code handle_mmio_fault}'s {@code modify_range}: a leaf with MMIO_LAZY_MAP_FLAG and without
     * VALID gets VALID set in place ({@code modify_flags(VALID, empty)}) and is Ok; any other leaf is Err. The code's
     * comment: break-before-make safe, since the lazy descriptor was invalid and the new one has the same size and
     * alignment.
     */
    public static final PteVisitor LAZY_AS_VALID = PteCallbacks::lazyAsValid;

    private PteCallbacks() {}

    /**
     * {@link #LAZY_AS_VALID}.
     *
     * @return true for Ok, false for Err
     * @throws InvariantViolation {@value #UNSUPPORTED_FLAGS} if the crate cannot parse the descriptor's flags
     */
    public static boolean lazyAsValid(dev.pvmfw.paging.MemoryRegion range, Pte desc) {
        long flags = expectFlags(desc);
        if ((flags & MMIO_LAZY_MAP_FLAG) != 0 && (flags & PteFlags.VALID) == 0) {
            desc.modifyFlags(PteFlags.VALID, 0);
            return true;
        }
        return false;
    }

    /**
     * {@code mmio_guard_unmap_page}, a {@code walk_range} callback bound to the hypervisor: a VALID leaf must carry
     * MMIO_LAZY_MAP_FLAG, be at {@link #MMIO_GUARD_GRANULE_LEVEL} and start 4 KiB-aligned; then
     * {@code get_mmio_guard().unwrap().unmap(base)}; a hypervisor error is logged ({@code Error MMIO guard unmapping:
     * {e}}) and returned as Err. Invalid leaves were never mapped and pass. Nothing is changed.
     *
     * @throws InvariantViolation on a broken assertion, unknown flags, or no MMIO guard (see the class comment)
     */
    public static LeafWalks.LeafReader mmioGuardUnmapPage(Hypervisor hypervisor) {
        Objects.requireNonNull(hypervisor);
        return (chunk, desc) -> {
            long flags = expectFlags(desc);
            if ((flags & PteFlags.VALID) != 0) {
                if ((flags & MMIO_LAZY_MAP_FLAG) == 0) {
                    throw new InvariantViolation(NON_DEVICE_UNMAP);
                }
                if (desc.level() != MMIO_GUARD_GRANULE_LEVEL) {
                    throw InvariantViolation.assertEqFailed(desc.level(), MMIO_GUARD_GRANULE_LEVEL,
                            BLOCK_NOT_BROKEN_DOWN);
                }
                long pageBase = chunk.startValue();
                long misalignment = Long.remainderUnsigned(pageBase, MmioGuardedHypervisor.MMIO_GUARD_GRANULE_SIZE);
                if (misalignment != 0) {
                    throw InvariantViolation.assertEqFailed(misalignment, 0, null);
                }
                MmioGuardedHypervisor guard = hypervisor.asMmioGuard()
                        .orElseThrow(() -> new InvariantViolation(InvariantViolation.UNWRAP_NONE));
                try {
                    guard.unmap(pageBase);
                } catch (HypException e) {
                    LOG.error("Error MMIO guard unmapping: {}", e.error().display());
                    return false;
                }
            }
            return true;
        };
    }

    private static long expectFlags(Pte desc) {
        return desc.flags().orElseThrow(() -> new InvariantViolation(UNSUPPORTED_FLAGS));
    }
}
