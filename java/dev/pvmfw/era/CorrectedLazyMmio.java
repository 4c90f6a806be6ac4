package dev.pvmfw.era;

import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.paging.port.MmuOpsException;
import dev.pvmfw.paging.port.PteFlags;
import java.util.ArrayList;
import java.util.List;

/**
 * The corrected form of pvmfw's {@code map_lazy_mmio_as_valid} (2025 libvmbase: {@code map_device_expect_lazy}) for
 * crate versions that store a lazy leaf as flags only (aarch64-paging ≥ 0.11; {@code docs/pvmfw-2024-05.md}, "The
 * corrected flow"). This is not pvmfw's code: it keeps the era's checks and their order — a 0.5 {@code modify_range}
 * over the range whose callback accepts a leaf with SWFLAG_0 and without VALID and refuses any other (the first refusal
 * stops the walk, the leaves accepted before it stay made valid), {@code "Unsupported PTE flags set"} if the crate
 * cannot parse the flags — but instead of {@code modify_flags(VALID, empty)} it maps each accepted leaf with
 * {@link MmuOps#mapDevice}, so the crate writes the output address (identity) and, at level 3, TABLE_OR_PAGE. On 0.4.0
 * the bytes are those of the era's in-place edit; on 0.12.1 those of {@code set(pa, DEVICE | TABLE_OR_PAGE)} (the
 * aarch64-paging 0.12 reference, R4 op 2: {@code 0x00c0_0000_0000_9403} for the page at 0x9000).
 */
public final class CorrectedLazyMmio {
    /** Panic message of {@code desc.flags().expect(..)}, as in the eras. */
    public static final String UNSUPPORTED_FLAGS = "Unsupported PTE flags set";

    private CorrectedLazyMmio() {}

    /**
     * Makes every lazy leaf of {@code start..end} a valid device page, as described in the class comment.
     *
     * @throws MmuOpsException the walk's error (PteUpdateFault on the first leaf that is not lazy and invalid; the
     *     leaves before it are mapped first), or the map's
     * @throws InvariantViolation {@value #UNSUPPORTED_FLAGS}
     */
    public static void mapLazyAsValid(MmuOps table, long start, long end) throws MmuOpsException {
        List<MemoryRegion> accepted = new ArrayList<>();
        MmuOpsException refused = null;
        try {
            LeafWalks.modifyRange(table, start, end, (range, desc) -> {
                long flags = desc.flags().orElseThrow(() -> new InvariantViolation(UNSUPPORTED_FLAGS));
                if ((flags & PteFlags.SWFLAG_0) != 0 && (flags & PteFlags.VALID) == 0) {
                    accepted.add(range);
                    return true;
                }
                return false;
            });
        } catch (MmuOpsException e) {
            refused = e;
        }
        for (MemoryRegion leaf : accepted) {
            table.mapDevice(leaf.startValue(), leaf.endValue());
        }
        if (refused != null) {
            throw refused;
        }
    }
}
