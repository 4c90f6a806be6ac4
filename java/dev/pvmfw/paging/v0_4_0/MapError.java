package dev.pvmfw.paging.v0_4_0;

import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.VirtualAddress;

/**
 * The errors of aarch64-paging 0.4.0 ({@code aarch64_paging::MapError}): exactly four variants. {@link #display()} is
 * the crate's {@code Display} text and {@code toString()} its derived {@code Debug} text, so failures compare as
 * strings with the Rust side.
 *
 * <p>Precedence, for every entry point: {@link RegionBackwards}, then {@link AddressRange}, then (modifyRange only)
 * {@link PteUpdateFault}. {@code LinearMap.mapRange} computes its PA first, so {@link InvalidVirtualAddress} precedes
 * all of them.
 */
public sealed interface MapError {

    /** The crate's {@code Display} text. */
    String display();

    /**
     * The address is outside the range of the table's root level: the start (negative as a signed value for the lower
     * range, or not in the upper range) or the page-aligned end beyond {@code size()}.
     *
     * @param va the offending start or aligned end
     */
    record AddressRange(VirtualAddress va) implements MapError {
        @Override
        public String display() {
            return "Virtual address " + va + " out of range";
        }

        @Override
        public String toString() {
            return "AddressRange(" + va.debug() + ")";
        }
    }

    /**
     * {@code LinearMap}: start + offset overflows or is negative.
     *
     * @param va the region start
     */
    record InvalidVirtualAddress(VirtualAddress va) implements MapError {
        @Override
        public String display() {
            return "Invalid virtual address " + va + " for mapping";
        }

        @Override
        public String toString() {
            return "InvalidVirtualAddress(" + va.debug() + ")";
        }
    }

    /**
     * The end of the region is before its start.
     *
     * @param region the region as given (already page-aligned)
     */
    record RegionBackwards(MemoryRegion region) implements MapError {
        @Override
        public String display() {
            return "End of memory region " + region + " is before start.";
        }

        @Override
        public String toString() {
            return "RegionBackwards(" + region + ")";
        }
    }

    /**
     * A {@code modifyRange} callback returned an error.
     *
     * @param descriptor the entry's value <em>after</em> the failing callback ran
     */
    record PteUpdateFault(long descriptor) implements MapError {
        @Override
        public String display() {
            return "Error updating page table entry " + Descriptor.debugString(descriptor);
        }

        @Override
        public String toString() {
            return "PteUpdateFault(" + Descriptor.debugString(descriptor) + ")";
        }
    }
}
