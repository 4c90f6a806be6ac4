package dev.pvmfw.era2024_05;

import dev.pvmfw.era.TrackerError;
import java.util.Objects;

/**
 * vmbase's {@code MemoryTrackerError} as at {@code c08e63cb:vmbase/src/memory/error.rs}: sixteen variants in the
 * Rust declaration order DifferentBaseAddress, SizeTooLarge, SizeTooSmall, Full, OutOfRange, Overlaps, FailedToMap,
 * FailedToUnmap, Hypervisor(hyp::Error), SharedMemorySetFailure, SharedPoolSetFailure, InvalidPte, FlushRegionFailed,
 * SetPteDirtyFailed, DuplicateMmioShare(usize) ({@code bf098573}), UnsupportedMmioGuardGranule(usize)
 * ({@code 32d96796}). The seed's variants keep their Display strings.
 *
 * <p>A Rust enum in Java: the unit variants are {@link Unit}, the payload variants records;
 * {@link #display()} is the Rust {@code Display} text and {@code toString()} the derived {@code Debug} text.
 *
 * <table>
 *   <caption>Where this era raises them (what this project reproduces)</caption>
 *   <tr><th>variant</th><th>raised by</th></tr>
 *   <tr><td>DifferentBaseAddress, SizeTooLarge, SizeTooSmall</td><td>shrink</td></tr>
 *   <tr><td>Full</td><td>regions or mmio_regions at capacity 5</td></tr>
 *   <tr><td>OutOfRange</td><td>RAM not within total; MMIO not within the MMIO window</td></tr>
 *   <tr><td>Overlaps</td><td>vmbase's overlap with a region of the same kind (an empty range inside one
 *       overlaps)</td></tr>
 *   <tr><td>FailedToMap</td><td>a MapError while mapping RAM or MMIO</td></tr>
 *   <tr><td>FailedToUnmap</td><td>nothing any more (the MMIO teardown panics instead), kept</td></tr>
 *   <tr><td>Hypervisor</td><td>a failed MMIO_GUARD_MAP in {@code MmioSharer::share} (no PTE check follows); an
 *       MMIO_GUARD_INFO error in {@code MmioSharer::new}, which the tracker unwraps (a panic)</td></tr>
 *   <tr><td>InvalidPte</td><td>a leaf in the shared granule is not an invalid lazy-MMIO leaf, or the walk
 *       failed</td></tr>
 *   <tr><td>DuplicateMmioShare</td><td>the granule base is already shared, or is the UART's page (0)</td></tr>
 *   <tr><td>UnsupportedMmioGuardGranule</td><td>the MMIO guard granule is not a multiple of 4 KiB; raised only in
 *       {@code MmioSharer::new}, which the tracker unwraps (a panic; the Display never prints there)</td></tr>
 *   <tr><td>SharedMemorySetFailure, SharedPoolSetFailure, FlushRegionFailed, SetPteDirtyFailed</td><td>memory
 *       sharing and dirty tracking, not reproduced for this era (the variants exist for their text)</td></tr>
 * </table>
 */
public sealed interface MemoryTrackerError extends TrackerError {

    /** The variants without a payload, in declaration order. */
    enum Unit implements MemoryTrackerError {
        /** "Received different base address". */
        DifferentBaseAddress,
        /** "Tried to shrink to a larger memory size". */
        SizeTooLarge,
        /** "Tracked regions would not fit in memory size". */
        SizeTooSmall,
        /** "Reached limit number of tracked regions". */
        Full,
        /** "Region is out of the tracked memory address space". */
        OutOfRange,
        /** "New region overlaps with tracked regions". */
        Overlaps,
        /** "Failed to map the new region". */
        FailedToMap,
        /** "Failed to unmap the new region". */
        FailedToUnmap,
        /** "Failed to set SHARED_MEMORY". */
        SharedMemorySetFailure,
        /** "Failed to set SHARED_POOL". */
        SharedPoolSetFailure,
        /** "Page table entry is not valid". */
        InvalidPte,
        /** "Failed to flush memory region". */
        FlushRegionFailed,
        /** "Failed to set PTE dirty state". */
        SetPteDirtyFailed,
    }

    /**
     * A hypervisor call failed ({@code From<hyp::Error>}): the Display is the hypervisor error's own.
     *
     * @param error libhyp's error
     */
    record Hypervisor(HypError error) implements MemoryTrackerError {
        /** The variant; error must not be null. */
        public Hypervisor {
            Objects.requireNonNull(error);
        }

        @Override
        public String toString() {
            return "Hypervisor(" + error + ")";
        }
    }

    /**
     * An MMIO guard granule was to be shared twice, or it is the UART's page.
     *
     * @param addr the granule's base (a usize)
     */
    record DuplicateMmioShare(long addr) implements MemoryTrackerError {
        @Override
        public String toString() {
            return "DuplicateMmioShare(" + Long.toUnsignedString(addr) + ")";
        }
    }

    /**
     * The MMIO guard granule is not a multiple of 4 KiB.
     *
     * @param granule the granule (a usize)
     */
    record UnsupportedMmioGuardGranule(long granule) implements MemoryTrackerError {
        @Override
        public String toString() {
            return "UnsupportedMmioGuardGranule(" + Long.toUnsignedString(granule) + ")";
        }
    }

    /** The Rust {@code Display} text. */
    @Override
    default String display() {
        return switch (this) {
            case Unit u -> switch (u) {
                case DifferentBaseAddress -> "Received different base address";
                case SizeTooLarge -> "Tried to shrink to a larger memory size";
                case SizeTooSmall -> "Tracked regions would not fit in memory size";
                case Full -> "Reached limit number of tracked regions";
                case OutOfRange -> "Region is out of the tracked memory address space";
                case Overlaps -> "New region overlaps with tracked regions";
                case FailedToMap -> "Failed to map the new region";
                case FailedToUnmap -> "Failed to unmap the new region";
                case SharedMemorySetFailure -> "Failed to set SHARED_MEMORY";
                case SharedPoolSetFailure -> "Failed to set SHARED_POOL";
                case InvalidPte -> "Page table entry is not valid";
                case FlushRegionFailed -> "Failed to flush memory region";
                case SetPteDirtyFailed -> "Failed to set PTE dirty state";
            };
            case Hypervisor h -> h.error().display();
            case DuplicateMmioShare d -> "Attempted to share the same MMIO region at 0x" + Long.toHexString(d.addr())
                    + " twice";
            case UnsupportedMmioGuardGranule g -> "Unsupported MMIO guard granule: "
                    + Long.toUnsignedString(g.granule());
        };
    }
}
