package dev.pvmfw.oracle.scenario;

import dev.pvmfw.paging.VaRange;

/**
 * One operation of a scenario, applied to both engines by the differential runner. Each has a one-line text form
 * ({@link #text()}), parsed back by {@link ScenarioText}.
 */
public sealed interface Step {

    /** The step's one-line text form, as {@link ScenarioText} parses it, e.g. {@code table level=1 va-range=lower}. */
    String text();

    /**
     * Creates the root table ({@code RootTable::new}); always the first step.
     *
     * @param level root level (the crate panics above 3)
     * @param vaRange lower or upper
     */
    record NewTable(int level, VaRange vaRange) implements Step {
        @Override
        public String text() {
            return "table level=" + level + " va-range=" + vaRange.rustName().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * {@code map_range(MemoryRegion::new(start, end), PhysicalAddress(pa), flags)}.
     *
     * @param start raw start (rounded down by MemoryRegion)
     * @param end raw end (rounded up, wrapping)
     * @param pa physical address of the start
     * @param flags attributes
     */
    record MapRange(long start, long end, long pa, FlagSet flags) implements Step {
        @Override
        public String text() {
            return "map " + hex(start) + " " + hex(end) + " pa=" + hex(pa) + " flags=" + flags.text();
        }
    }

    /**
     * {@code modify_range(MemoryRegion::new(start, end), updater)}.
     *
     * @param start raw start
     * @param end raw end
     * @param updater what runs on each entry
     */
    record ModifyRange(long start, long end, Updater updater) implements Step {
        @Override
        public String text() {
            return "modify " + hex(start) + " " + hex(end) + " updater=" + updater.text();
        }
    }

    // --- pvmfw's lazy MMIO path (a tracker scenario) -------------------------------------------------------------

    /**
     * Creates pvmfw's page table (identity map, root level 1, the arena's first table) and {@code MemoryTracker} at
     * the seed change, over a recording hypervisor; the first step of a tracker scenario.
     *
     * @param ramEnd end of main memory: the tracker is shrunk to {@code 0x8000_0000..ramEnd} unless it is 2^40
     * @param compatAndroid13 pvmfw's tolerance of Android 13's MMIO guard return bugs (on in this era)
     */
    record NewTracker(long ramEnd, boolean compatAndroid13) implements Step {
        /**
         * A tracker step.
         *
         * @throws IllegalArgumentException unless {@code 0x8000_0000 < ramEnd <= 2^40} (unsigned)
         */
        public NewTracker {
            if (Long.compareUnsigned(ramEnd, 0x8000_0000L) <= 0 || Long.compareUnsigned(ramEnd, 1L << 40) > 0) {
                throw new IllegalArgumentException("ram-end must be above 0x80000000 and at most 2^40");
            }
        }

        @Override
        public String text() {
            return "tracker ram-end=" + hex(ramEnd) + " compat-android13=" + (compatAndroid13 ? "on" : "off");
        }
    }

    /**
     * {@code PageTable::map_device(start..end)}: eager, valid (the UART).
     *
     * @param start first address of the range (rounded down to 4 KiB by the page table)
     * @param end end of the range, exclusive (rounded up)
     */
    record MapDevice(long start, long end) implements Step {
        @Override
        public String text() {
            return "map-device " + hex(start) + " " + hex(end);
        }
    }

    /**
     * {@code MemoryTracker::map_mmio_range(start..end)}: lazy.
     *
     * @param start first address of the range
     * @param end end of the range, exclusive
     */
    record MmioMap(long start, long end) implements Step {
        @Override
        public String text() {
            return "mmio-map " + hex(start) + " " + hex(end);
        }
    }

    /**
     * {@code MemoryTracker::handle_mmio_fault(addr)}: what a translation fault at {@code addr} runs.
     *
     * @param addr the faulting address (the FAR), not necessarily page-aligned
     */
    record Fault(long addr) implements Step {
        @Override
        public String text() {
            return "fault " + hex(addr);
        }
    }

    /** {@code MemoryTracker::mmio_unmap_all()}: teardown. */
    record MmioUnmapAll() implements Step {
        @Override
        public String text() {
            return "mmio-unmap-all";
        }
    }

    /**
     * The hypervisor call with this number (0-based, over the whole scenario) answers {@code x0} and changes nothing.
     *
     * @param call call number
     * @param x0 the raw answer
     */
    record InjectAtCall(int call, long x0) implements Step {
        @Override
        public String text() {
            return "inject call=" + call + " x0=" + hex(x0);
        }
    }

    /**
     * Every later call of {@code functionId} with x1 = {@code argument} answers {@code x0} and changes nothing.
     *
     * @param functionId SMCCC function ID
     * @param argument x1
     * @param x0 the raw answer
     */
    record InjectFor(int functionId, long argument, long x0) implements Step {
        @Override
        public String text() {
            return "inject fn=" + hex(functionId & 0xFFFF_FFFFL) + " arg=" + hex(argument) + " x0=" + hex(x0);
        }
    }

    /** Removes every injection. */
    record ClearInjections() implements Step {
        @Override
        public String text() {
            return "clear-injections";
        }
    }

    /** Whether the step belongs to tracker scenarios only. */
    default boolean trackerOnly() {
        return this instanceof MapDevice || this instanceof MmioMap || this instanceof Fault
                || this instanceof MmioUnmapAll || this instanceof InjectAtCall || this instanceof InjectFor
                || this instanceof ClearInjections;
    }

    /** Drops the root table (post-order frees), or the tracker and its table; always the last step. */
    record DropTable() implements Step {
        @Override
        public String text() {
            return "drop";
        }
    }

    /** {@code v} in the text form's hex: {@code 0x} and lower-case digits, unsigned, no padding. */
    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
