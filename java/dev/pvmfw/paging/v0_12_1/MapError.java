package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.VirtualAddress;
import java.util.Objects;

/**
 * The errors of aarch64-paging 0.12.1 ({@code aarch64_paging::MapError}, a thiserror 2 enum): six variants.
 * {@link #display()} is the {@code #[error(..)]} text, {@code toString()} the derived {@code Debug}; numbers that are
 * {@code usize} payloads print in decimal (unsigned) in both, except InvalidFlags' Display ({@code {:#x}}).
 *
 * <p>Precedence ({@code docs/aarch64-paging-0.12.1.md}, "Errors and their order"): inactive {@code map_range}
 * checks InvalidFlags, then RegionBackwards, then AddressRange; on an active mapping the break-before-make dry run
 * comes first (its walk checks the region), so RegionBackwards, AddressRange, BreakBeforeMakeViolation, then
 * InvalidFlags. {@code LinearMap} computes its PA before all of them (InvalidVirtualAddress).
 */
public sealed interface MapError {

    /** The {@code Display} text. */
    String display();

    /**
     * The region is outside what the table can map: its start (lower range: negative as a signed value; upper
     * range: not in the upper range) or its page-aligned end beyond {@code size()}.
     *
     * @param va the offending address
     */
    record AddressRange(VirtualAddress va) implements MapError {
        /** The variant for {@code va}, which may not be null. */
        public AddressRange {
            Objects.requireNonNull(va);
        }

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
     * @param va the region's start
     */
    record InvalidVirtualAddress(VirtualAddress va) implements MapError {
        /** The variant for {@code va}, which may not be null. */
        public InvalidVirtualAddress {
            Objects.requireNonNull(va);
        }

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
     * @param region the region (already page-aligned)
     */
    record RegionBackwards(MemoryRegion region) implements MapError {
        /** The variant for {@code region}, which may not be null. */
        public RegionBackwards {
            Objects.requireNonNull(region);
        }

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
     * A {@code modify_range} or {@code walk_range} callback returned {@code Err(())}.
     *
     * @param descriptor the entry's raw bits: for {@code modify_range} as read <em>before</em> the callback ran, for
     *     {@code walk_range} the entry (never changed); printed in decimal
     */
    record PteUpdateFault(long descriptor) implements MapError {
        @Override
        public String display() {
            return "Error updating page table entry " + Long.toUnsignedString(descriptor);
        }

        @Override
        public String toString() {
            return "PteUpdateFault(" + Long.toUnsignedString(descriptor) + ")";
        }
    }

    /**
     * {@code map_range} was given flags with TABLE_OR_PAGE.
     *
     * @param flags the flags' bits: Display in hex ({@code Flags 0xf07 unsupported for mapping.}), Debug in decimal
     */
    record InvalidFlags(long flags) implements MapError {
        @Override
        public String display() {
            return "Flags 0x" + Long.toHexString(flags) + " unsupported for mapping.";
        }

        @Override
        public String toString() {
            return "InvalidFlags(" + Long.toUnsignedString(flags) + ")";
        }
    }

    /**
     * The change would break a live mapping without break-before-make.
     *
     * @param region the leaf's chunk of the request (clipped to the request) where the dry run failed
     */
    record BreakBeforeMakeViolation(MemoryRegion region) implements MapError {
        /** The variant for {@code region}, which may not be null. */
        public BreakBeforeMakeViolation {
            Objects.requireNonNull(region);
        }

        @Override
        public String display() {
            return "Cannot remap region " + region + " while translation is live.";
        }

        @Override
        public String toString() {
            return "BreakBeforeMakeViolation(" + region + ")";
        }
    }
}
