package dev.pvmfw.era2024_05;

import dev.pvmfw.era.InvariantViolation;
import dev.pvmfw.era.LeafWalks;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.port.Pte;
import dev.pvmfw.paging.port.PteFlags;
import dev.pvmfw.paging.port.PteVisitor;

/**
 * The 2024-05 page-table callback: the closure of {@code map_lazy_mmio_as_valid}
 * ({@code c08e63cb:vmbase/src/memory/shared.rs}; 2025 libvmbase: {@code map_device_expect_lazy}), written for 0.5's
 * leaves-only {@code modify_range} and run through {@link LeafWalks}. The MMIO teardown no longer walks the table
 * ({@link MmioSharer}), so {@code mmio_guard_unmap_page} and its assertions are gone.
 */
public final class PteCallbacks {
    /** {@code MMIO_LAZY_MAP_FLAG}: SWFLAG_0, bit 55. */
    public static final long MMIO_LAZY_MAP_FLAG = PteFlags.SWFLAG_0;
    /** Panic message of {@code desc.flags().expect(..)}. */
    public static final String UNSUPPORTED_FLAGS = "Unsupported PTE flags set";

    /**
     * A leaf with MMIO_LAZY_MAP_FLAG and without VALID gets VALID set in place and is Ok; any other leaf is Err. The
     * code's comment: no break-before-make needed, since the lazy mapping had VALID clear and each new valid
     * descriptor has the same size and alignment.
     */
    public static final PteVisitor LAZY_AS_VALID = PteCallbacks::lazyAsValid;

    private PteCallbacks() {}

    /**
     * {@link #LAZY_AS_VALID}.
     *
     * @return true for Ok, false for Err
     * @throws InvariantViolation {@value #UNSUPPORTED_FLAGS} if the crate cannot parse the descriptor's flags
     */
    public static boolean lazyAsValid(MemoryRegion range, Pte desc) {
        long flags = desc.flags().orElseThrow(() -> new InvariantViolation(UNSUPPORTED_FLAGS));
        if ((flags & MMIO_LAZY_MAP_FLAG) != 0 && (flags & PteFlags.VALID) == 0) {
            desc.modifyFlags(PteFlags.VALID, 0);
            return true;
        }
        return false;
    }
}
