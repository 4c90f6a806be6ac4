package dev.pvmfw.oracle;

import dev.pvmfw.paging.Attributes;
import dev.pvmfw.paging.VaRange;

/**
 * One operation of a scenario, applied to both engines by the differential runner. Each has a one-line text form
 * ({@link #text()}), parsed back by {@link ScenarioText}.
 */
public sealed interface Step {

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
    record MapRange(long start, long end, long pa, Attributes flags) implements Step {
        @Override
        public String text() {
            return "map " + hex(start) + " " + hex(end) + " pa=" + hex(pa) + " flags=" + Flags.format(flags);
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

    /** Drops the root table (post-order frees); always the last step. */
    record DropTable() implements Step {
        @Override
        public String text() {
            return "drop";
        }
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
