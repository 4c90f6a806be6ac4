package dev.pvmfw.era2023_05;

import dev.pvmfw.era2023_05.HypError;
import java.util.List;
import java.util.Objects;

/**
 * pvmfw's {@code MemoryTrackerError} exactly as at {@code b99905d3}: twelve variants in the Rust declaration order
 * (the Rust oracle uses the same ordinals, {@link #ordinal()}), with the exact {@code Display} text
 * ({@link #display()}) and the derived {@code Debug} text ({@link #toString()}, e.g. {@code InvalidPte} or
 * {@code Hypervisor(KvmError(NotSupported, 3321888775))}).
 *
 * <table>
 *   <caption>Variants in declaration order</caption>
 *   <tr><th>#</th><th>variant</th><th>Display</th><th>raised by</th></tr>
 *   <tr><td>0</td><td>DifferentBaseAddress</td><td>Received different base address</td><td>shrink with a different start</td></tr>
 *   <tr><td>1</td><td>SizeTooLarge</td><td>Tried to shrink to a larger memory size</td><td>shrink to a larger end</td></tr>
 *   <tr><td>2</td><td>SizeTooSmall</td><td>Tracked regions would not fit in memory size</td><td>shrink would exclude a tracked region</td></tr>
 *   <tr><td>3</td><td>Full</td><td>Reached limit number of tracked regions</td><td>regions or mmio_regions at capacity 5</td></tr>
 *   <tr><td>4</td><td>OutOfRange</td><td>Region is out of the tracked memory address space</td><td>a region outside total; MMIO ending above the RAM start or overlapping pvmfw's 4 MiB</td></tr>
 *   <tr><td>5</td><td>Overlaps</td><td>New region overlaps with tracked regions</td><td>overlap with a region of the same kind (RAM vs RAM, MMIO vs MMIO)</td></tr>
 *   <tr><td>6</td><td>FailedToMap</td><td>Failed to map the new region</td><td>a MapError while mapping, also map_device in the fault handler</td></tr>
 *   <tr><td>7</td><td>FailedToUnmap</td><td>Failed to unmap the new region</td><td>mmio_unmap_all: the walk or an UNMAP failed</td></tr>
 *   <tr><td>8</td><td>Hypervisor</td><td>{e}, the hypervisor error's Display</td><td>a failed hypercall</td></tr>
 *   <tr><td>9</td><td>SharedMemorySetFailure</td><td>Failed to set SHARED_MEMORY</td><td>init_dynamic_shared_pool with a sharer already installed</td></tr>
 *   <tr><td>10</td><td>SharedPoolSetFailure</td><td>Failed to set SHARED_POOL</td><td>the shared pool is already set</td></tr>
 *   <tr><td>11</td><td>InvalidPte</td><td>Page table entry is not valid</td><td>the faulting page is not an invalid lazy-MMIO leaf, or the walk failed</td></tr>
 * </table>
 * ({@code FlushRegionFailed} and {@code SetPteDirtyFailed} arrived the next day with {@code 44b1ce35}.)
 */
public sealed interface MemoryTrackerError {

    /** The Rust {@code Display} text. */
    String display();

    /** Position in the Rust declaration, 0..11. */
    int ordinal();

    /** The Rust variant name, e.g. {@code InvalidPte}. */
    String name();

    /** Every variant's name, in declaration order. */
    static List<String> names() {
        return List.of("DifferentBaseAddress", "SizeTooLarge", "SizeTooSmall", "Full", "OutOfRange", "Overlaps", "FailedToMap", "FailedToUnmap", "Hypervisor", "SharedMemorySetFailure", "SharedPoolSetFailure", "InvalidPte");
    }

    /** The {@link DifferentBaseAddress} value. */
    DifferentBaseAddress DIFFERENT_BASE_ADDRESS = new DifferentBaseAddress();

    /** Shrink with a different start: "Received different base address". */
    record DifferentBaseAddress() implements MemoryTrackerError {
        @Override
        public String display() {
            return "Received different base address";
        }

        @Override
        public int ordinal() {
            return 0;
        }

        @Override
        public String name() {
            return "DifferentBaseAddress";
        }

        @Override
        public String toString() {
            return "DifferentBaseAddress";
        }
    }

    /** The {@link SizeTooLarge} value. */
    SizeTooLarge SIZE_TOO_LARGE = new SizeTooLarge();

    /** Shrink to a larger end: "Tried to shrink to a larger memory size". */
    record SizeTooLarge() implements MemoryTrackerError {
        @Override
        public String display() {
            return "Tried to shrink to a larger memory size";
        }

        @Override
        public int ordinal() {
            return 1;
        }

        @Override
        public String name() {
            return "SizeTooLarge";
        }

        @Override
        public String toString() {
            return "SizeTooLarge";
        }
    }

    /** The {@link SizeTooSmall} value. */
    SizeTooSmall SIZE_TOO_SMALL = new SizeTooSmall();

    /** Shrink would exclude a tracked region: "Tracked regions would not fit in memory size". */
    record SizeTooSmall() implements MemoryTrackerError {
        @Override
        public String display() {
            return "Tracked regions would not fit in memory size";
        }

        @Override
        public int ordinal() {
            return 2;
        }

        @Override
        public String name() {
            return "SizeTooSmall";
        }

        @Override
        public String toString() {
            return "SizeTooSmall";
        }
    }

    /** The {@link Full} value. */
    Full FULL = new Full();

    /** Regions or mmio_regions at capacity 5: "Reached limit number of tracked regions". */
    record Full() implements MemoryTrackerError {
        @Override
        public String display() {
            return "Reached limit number of tracked regions";
        }

        @Override
        public int ordinal() {
            return 3;
        }

        @Override
        public String name() {
            return "Full";
        }

        @Override
        public String toString() {
            return "Full";
        }
    }

    /** The {@link OutOfRange} value. */
    OutOfRange OUT_OF_RANGE = new OutOfRange();

    /** A region outside total; MMIO ending above the RAM start or overlapping pvmfw's 4 MiB: "Region is out of the tracked memory address space". */
    record OutOfRange() implements MemoryTrackerError {
        @Override
        public String display() {
            return "Region is out of the tracked memory address space";
        }

        @Override
        public int ordinal() {
            return 4;
        }

        @Override
        public String name() {
            return "OutOfRange";
        }

        @Override
        public String toString() {
            return "OutOfRange";
        }
    }

    /** The {@link Overlaps} value. */
    Overlaps OVERLAPS = new Overlaps();

    /** Overlap with a region of the same kind (RAM vs RAM, MMIO vs MMIO): "New region overlaps with tracked regions". */
    record Overlaps() implements MemoryTrackerError {
        @Override
        public String display() {
            return "New region overlaps with tracked regions";
        }

        @Override
        public int ordinal() {
            return 5;
        }

        @Override
        public String name() {
            return "Overlaps";
        }

        @Override
        public String toString() {
            return "Overlaps";
        }
    }

    /** The {@link FailedToMap} value. */
    FailedToMap FAILED_TO_MAP = new FailedToMap();

    /** A MapError while mapping, also map_device in the fault handler: "Failed to map the new region". */
    record FailedToMap() implements MemoryTrackerError {
        @Override
        public String display() {
            return "Failed to map the new region";
        }

        @Override
        public int ordinal() {
            return 6;
        }

        @Override
        public String name() {
            return "FailedToMap";
        }

        @Override
        public String toString() {
            return "FailedToMap";
        }
    }

    /** The {@link FailedToUnmap} value. */
    FailedToUnmap FAILED_TO_UNMAP = new FailedToUnmap();

    /** Mmio_unmap_all: the walk or an UNMAP failed: "Failed to unmap the new region". */
    record FailedToUnmap() implements MemoryTrackerError {
        @Override
        public String display() {
            return "Failed to unmap the new region";
        }

        @Override
        public int ordinal() {
            return 7;
        }

        @Override
        public String name() {
            return "FailedToUnmap";
        }

        @Override
        public String toString() {
            return "FailedToUnmap";
        }
    }

    /**
     * A failed hypercall: the hypervisor error's own Display text.
     *
     * @param error the hypervisor error
     */
    record Hypervisor(HypError error) implements MemoryTrackerError {
        public Hypervisor {
            Objects.requireNonNull(error);
        }

        @Override
        public String display() {
            return error.display();
        }

        @Override
        public int ordinal() {
            return 8;
        }

        @Override
        public String name() {
            return "Hypervisor";
        }

        @Override
        public String toString() {
            return "Hypervisor(" + error + ")";
        }
    }

    /** The {@link SharedMemorySetFailure} value. */
    SharedMemorySetFailure SHARED_MEMORY_SET_FAILURE = new SharedMemorySetFailure();

    /** Init_dynamic_shared_pool with a sharer already installed: "Failed to set SHARED_MEMORY". */
    record SharedMemorySetFailure() implements MemoryTrackerError {
        @Override
        public String display() {
            return "Failed to set SHARED_MEMORY";
        }

        @Override
        public int ordinal() {
            return 9;
        }

        @Override
        public String name() {
            return "SharedMemorySetFailure";
        }

        @Override
        public String toString() {
            return "SharedMemorySetFailure";
        }
    }

    /** The {@link SharedPoolSetFailure} value. */
    SharedPoolSetFailure SHARED_POOL_SET_FAILURE = new SharedPoolSetFailure();

    /** The shared pool is already set: "Failed to set SHARED_POOL". */
    record SharedPoolSetFailure() implements MemoryTrackerError {
        @Override
        public String display() {
            return "Failed to set SHARED_POOL";
        }

        @Override
        public int ordinal() {
            return 10;
        }

        @Override
        public String name() {
            return "SharedPoolSetFailure";
        }

        @Override
        public String toString() {
            return "SharedPoolSetFailure";
        }
    }

    /** The {@link InvalidPte} value. */
    InvalidPte INVALID_PTE = new InvalidPte();

    /** The faulting page is not an invalid lazy-MMIO leaf, or the walk failed: "Page table entry is not valid". */
    record InvalidPte() implements MemoryTrackerError {
        @Override
        public String display() {
            return "Page table entry is not valid";
        }

        @Override
        public int ordinal() {
            return 11;
        }

        @Override
        public String name() {
            return "InvalidPte";
        }

        @Override
        public String toString() {
            return "InvalidPte";
        }
    }
}
