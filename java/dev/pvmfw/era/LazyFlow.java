package dev.pvmfw.era;

/**
 * How a tracker of 2023-11 or later makes a faulted lazy MMIO page valid ({@code docs/pvmfw-2024-05.md}, "The
 * corrected flow"): as the era does, or corrected for aarch64-paging ≥ 0.11.
 */
public enum LazyFlow {
    /**
     * The era's own code: {@code modify_flags(VALID, empty)} on each lazy leaf in place. Correct where a lazy leaf
     * holds its output address and, at level 3, TABLE_OR_PAGE (0.4 … 0.10); on 0.11 and later a lazy leaf is its flags
     * alone, so this writes output address 0 and, at level 3, low bits 0b01 (aarch64-paging 0.12 reference, R4 op 1).
     */
    ERA,
    /**
     * Not pvmfw's code, this project's correction ({@link CorrectedLazyMmio}): the same checks and order, but each lazy
     * leaf is mapped as a device page ({@code map_device}), so the crate writes the identity output address and
     * TABLE_OR_PAGE itself, on every crate version (the bytes of R4 op 2's {@code set(pa, DEVICE | TABLE_OR_PAGE)}).
     */
    CORRECTED,
}
