package dev.pvmfw.era2023_05;

import dev.pvmfw.era.TrackerError;
import java.util.Objects;

/**
 * pvmfw's {@code MemoryTrackerError} exactly as at {@code b99905d3:pvmfw/src/memory.rs}: twelve variants, in the Rust
 * declaration order DifferentBaseAddress, SizeTooLarge, SizeTooSmall, Full, OutOfRange, Overlaps, FailedToMap,
 * FailedToUnmap, Hypervisor(hyp::Error), SharedMemorySetFailure, SharedPoolSetFailure, InvalidPte.
 * ({@code FlushRegionFailed} and {@code SetPteDirtyFailed} arrived the next day with {@code 44b1ce35}.)
 *
 * <p>A Rust enum in Java: the unit variants are {@link Unit} (named as in Rust, in declaration order), the payload
 * variant the record {@link Hypervisor}; {@link #display()} is the Rust {@code Display} text and {@code toString()}
 * the derived {@code Debug} text, e.g. {@code InvalidPte} or {@code Hypervisor(KvmError(NotSupported, 3321888775))}.
 *
 * <table>
 *   <caption>Variants and where this era raises them</caption>
 *   <tr><th>variant</th><th>raised by</th></tr>
 *   <tr><td>DifferentBaseAddress</td><td>shrink with a different start</td></tr>
 *   <tr><td>SizeTooLarge</td><td>shrink to a larger end</td></tr>
 *   <tr><td>SizeTooSmall</td><td>shrink would exclude a tracked region</td></tr>
 *   <tr><td>Full</td><td>regions or mmio_regions at capacity 5</td></tr>
 *   <tr><td>OutOfRange</td><td>a region outside total; MMIO ending above the RAM start or overlapping pvmfw's
 *       4 MiB</td></tr>
 *   <tr><td>Overlaps</td><td>overlap with a region of the same kind (RAM vs RAM, MMIO vs MMIO)</td></tr>
 *   <tr><td>FailedToMap</td><td>a MapError while mapping, also map_device in the fault handler</td></tr>
 *   <tr><td>FailedToUnmap</td><td>mmio_unmap_all: the walk or an UNMAP failed</td></tr>
 *   <tr><td>Hypervisor</td><td>a failed MMIO_GUARD_MAP in the fault handler; HYP_MEMINFO in
 *       init_dynamic_shared_pool</td></tr>
 *   <tr><td>SharedMemorySetFailure</td><td>init_dynamic_shared_pool with a sharer already installed</td></tr>
 *   <tr><td>SharedPoolSetFailure</td><td>the shared pool is already set</td></tr>
 *   <tr><td>InvalidPte</td><td>the faulting page is not an invalid lazy-MMIO leaf, or the walk failed</td></tr>
 * </table>
 */
public sealed interface MemoryTrackerError extends TrackerError {

    /** The variants without a payload, in declaration order. */
    enum Unit implements MemoryTrackerError {
        /** "Received different base address": {@code shrink} to a range with another start. */
        DifferentBaseAddress,
        /** "Tried to shrink to a larger memory size": {@code shrink} to a larger end. */
        SizeTooLarge,
        /** "Tracked regions would not fit in memory size": {@code shrink} would exclude a tracked region. */
        SizeTooSmall,
        /** "Reached limit number of tracked regions": five RAM or five MMIO regions already. */
        Full,
        /**
         * "Region is out of the tracked memory address space": RAM outside total; MMIO ending above total's start or
         * overlapping pvmfw's 4 MiB.
         */
        OutOfRange,
        /** "New region overlaps with tracked regions": a RAM region overlaps RAM, or an MMIO region MMIO. */
        Overlaps,
        /** "Failed to map the new region": the page table returned a MapError. */
        FailedToMap,
        /** "Failed to unmap the new region": {@code mmio_unmap_all}'s walk or an MMIO_GUARD_UNMAP failed. */
        FailedToUnmap,
        /** "Failed to set SHARED_MEMORY": a sharer was already installed. */
        SharedMemorySetFailure,
        /** "Failed to set SHARED_POOL": the shared pool was already set. */
        SharedPoolSetFailure,
        /** "Page table entry is not valid": the faulting page is not an invalid lazy-MMIO leaf, or the walk failed. */
        InvalidPte,
    }

    /**
     * A hypervisor call failed: the Display is the hypervisor error's own.
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
            };
            case Hypervisor h -> h.error().display();
        };
    }
}
