package dev.pvmfw.era2023_05;

import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.port.Pte;
import dev.pvmfw.paging.port.PteFlags;
import dev.pvmfw.paging.port.PteVisitor;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed change's page-table callbacks ({@code b99905d3:pvmfw/src/memory.rs}), written for aarch64-paging 0.4.0's
 * {@code modify_range}, which calls them on <em>every</em> descriptor of the range, table descriptors included, each
 * with the whole VA range the entry covers; through the port they run on any crate version's {@code modify_range}.
 *
 * <p>Their Rust panics become {@link InvariantViolation}s with exactly the Rust message:
 * <ul>
 *   <li>{@value #UNSUPPORTED_FLAGS} ({@code desc.flags().expect(..)}: a descriptor whose flag bits the crate cannot
 *       parse, see {@link Pte#flags()});</li>
 *   <li>{@value #NON_DEVICE_UNMAP} ({@code assert!});</li>
 *   <li>{@code assertion `left == right` failed: Failed to break down block mapping before MMIO guard mapping\n
 *       left: <len>\n right: 4096} ({@code assert_eq!} on the entry's range length, decimal);</li>
 *   <li>{@code assertion `left == right` failed\n  left: <base % 4096>\n right: 0} (cannot fire: ranges from
 *       modify_range are granule-aligned).</li>
 * </ul>
 */
public final class PteCallbacks {
    private static final Logger LOG = LoggerFactory.getLogger(PteCallbacks.class);

    /** {@code mmu::MMIO_LAZY_MAP_FLAG}: SWFLAG_0, descriptor bit 55, on every device mapping pvmfw makes. */
    public static final long MMIO_LAZY_MAP_FLAG = PteFlags.SWFLAG_0;
    /** {@code helpers::PVMFW_PAGE_SIZE}, 4 KiB. */
    public static final long PVMFW_PAGE_SIZE = 4096;
    /** {@code is_leaf_pte}'s {@code LEAF_PTE_LEVEL}. */
    public static final int LEAF_PTE_LEVEL = 3;
    /** Panic message of {@code desc.flags().expect(..)}. */
    public static final String UNSUPPORTED_FLAGS = "Unsupported PTE flags set";
    /** Panic message of the SWFLAG_0 assertion in {@code mmio_guard_unmap_page}. */
    public static final String NON_DEVICE_UNMAP = "Attempting MMIO guard unmap for non-device pages";
    /** Custom message of the length assertion in {@code mmio_guard_unmap_page}. */
    public static final String BLOCK_NOT_BROKEN_DOWN = "Failed to break down block mapping before MMIO guard mapping";

    /** {@code verify_lazy_mapped_block} as an updater. */
    public static final PteVisitor VERIFY_LAZY_MAPPED_BLOCK = PteCallbacks::verifyLazyMappedBlock;

    private PteCallbacks() {}

    /**
     * {@code is_leaf_pte(flags, level)}: with TABLE_OR_PAGE set, a leaf only at level 3 (a page); without it, a leaf
     * only below level 3 (a block). So an L3 entry with TABLE_OR_PAGE clear — e.g. all zero — is "not a leaf" (the
     * blind spot; under 0.4.0 such L3 entries never exist, since splits fill every entry with at least {@code 0x402}).
     */
    public static boolean isLeafPte(long flags, int level) {
        if ((flags & PteFlags.TABLE_OR_PAGE) != 0) {
            return level == LEAF_PTE_LEVEL;
        }
        return level < LEAF_PTE_LEVEL;
    }

    /**
     * {@code verify_lazy_mapped_block}: non-leaves pass (tables carry no lazy flag); a leaf passes only if it has
     * MMIO_LAZY_MAP_FLAG and not VALID. Never changes the descriptor.
     *
     * @return true for Ok, false for Err
     * @throws InvariantViolation {@value #UNSUPPORTED_FLAGS} if the descriptor's flags are not a known set
     */
    public static boolean verifyLazyMappedBlock(MemoryRegion range, Pte desc) {
        long flags = expectFlags(desc);
        if (!isLeafPte(flags, desc.level())) {
            return true;
        }
        return (flags & MMIO_LAZY_MAP_FLAG) != 0 && (flags & PteFlags.VALID) == 0;
    }

    /**
     * {@code mmio_guard_unmap_page}, bound to a hypervisor: for a VALID leaf, asserts SWFLAG_0, a 4 KiB range and a
     * 4 KiB-aligned base, then MMIO_GUARD_UNMAPs the range's start; a hypervisor error is logged
     * ({@code Error MMIO guard unmapping: {e}}) and returned as Err. Non-leaves and invalid leaves pass untouched
     * ("never MMIO guard mapped"). The descriptor is never changed: the page stays VALID in the table.
     *
     * @throws InvariantViolation on a broken assertion or unknown flags (see the class comment)
     */
    public static PteVisitor mmioGuardUnmapPage(Hypervisor hypervisor) {
        Objects.requireNonNull(hypervisor);
        return (range, desc) -> {
            long flags = expectFlags(desc);
            if (isLeafPte(flags, desc.level()) && (flags & PteFlags.VALID) != 0) {
                if ((flags & MMIO_LAZY_MAP_FLAG) == 0) {
                    throw new InvariantViolation(NON_DEVICE_UNMAP);
                }
                if (range.len() != PVMFW_PAGE_SIZE) {
                    throw InvariantViolation.assertEqFailed(range.len(), PVMFW_PAGE_SIZE, BLOCK_NOT_BROKEN_DOWN);
                }
                long pageBase = range.startValue();
                if (Long.remainderUnsigned(pageBase, PVMFW_PAGE_SIZE) != 0) {
                    throw InvariantViolation.assertEqFailed(Long.remainderUnsigned(pageBase, PVMFW_PAGE_SIZE), 0,
                            null);
                }
                try {
                    hypervisor.mmioGuardUnmap(pageBase);
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
