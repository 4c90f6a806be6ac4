package dev.pvmfw.era;

import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.paging.port.MmuOpsException;
import dev.pvmfw.paging.port.PteFlags;

/**
 * The corrected form of pvmfw's {@code map_lazy_mmio_as_valid} (2025 libvmbase: {@code map_device_expect_lazy}) for
 * crate versions that store a lazy leaf as flags only (aarch64-paging ≥ 0.11; {@code docs/pvmfw-2024-05.md}, "The
 * corrected flow"). This is not pvmfw's code. It keeps the era's check — a 0.5 {@code modify_range} over the range
 * whose callback accepts a leaf with SWFLAG_0 and without VALID and refuses any other,
 * {@code "Unsupported PTE flags set"} if the crate cannot parse the flags — but changes no descriptor in it; then, if
 * every leaf was accepted, it maps the whole range with {@link MmuOps#mapDevice}, so the crate writes the output
 * address (identity) and, at level 3, TABLE_OR_PAGE. On 0.4.0 the bytes are those of the era's in-place edit; on
 * 0.12.1 those of {@code set(pa, DEVICE | TABLE_OR_PAGE)} (the aarch64-paging 0.12 reference, R4 op 2:
 * {@code 0x00c0_0000_0000_9403} for the page at 0x9000).
 *
 * <p>One difference in outcome: when a leaf is refused, nothing is made valid. The era's edit keeps what it did before
 * the refusal where the crate does (0.4.0 through {@link LeafWalks}, and 0.5); on a live 0.12.1 table the crate's
 * break-before-make dry run refuses before any write, so there the two agree.
 */
public final class CorrectedLazyMmio {
    /** Panic message of {@code desc.flags().expect(..)}, as in the eras. */
    public static final String UNSUPPORTED_FLAGS = "Unsupported PTE flags set";

    private CorrectedLazyMmio() {}

    /**
     * Makes every leaf of {@code start..end} a valid device page if every one is lazy, as described in the class
     * comment.
     *
     * @throws MmuOpsException the walk's error (PteUpdateFault, or BreakBeforeMakeViolation on a live 0.12.1 table, for
     *     the first leaf that is not lazy and invalid; nothing is made valid), or the map's
     * @throws InvariantViolation {@value #UNSUPPORTED_FLAGS}
     */
    public static void mapLazyAsValid(MmuOps table, long start, long end) throws MmuOpsException {
        LeafWalks.modifyRange(table, start, end, (range, desc) -> {
            long flags = desc.flags().orElseThrow(() -> new InvariantViolation(UNSUPPORTED_FLAGS));
            return (flags & PteFlags.SWFLAG_0) != 0 && (flags & PteFlags.VALID) == 0;
        });
        table.mapDevice(start, end);
    }
}
