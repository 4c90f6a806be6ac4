package dev.pvmfw.catalog;

import java.util.List;
import java.util.Optional;

/**
 * Every pvmfw era this project reproduces, by id ({@code docs/architecture.md}, "Eras"): where an era named by a user
 * becomes the era's code. The one place that lists the era packages.
 */
public final class Eras {
    /** The seed change, May 2023 ({@code docs/pvmfw-2023-05.md}). */
    public static final Era ERA_2023_05 = new Era("2023-05", "AOSP b99905d3 \"pvmfw: Optimize MMIO guard map\"",
            "dev.pvmfw.era2023_05", dev.pvmfw.era2023_05.CrosvmBoot.INSTANCE,
            dev.pvmfw.era2023_05.ScenarioTrackers.INSTANCE);
    /**
     * The aarch64-paging 0.5.0 series as merged, AOSP 28e439f4 (2023-11-09; {@code docs/pvmfw-2023-11.md}): VALID set
     * in place before the MAP.
     */
    public static final Era ERA_2023_11 = new Era("2023-11",
            "AOSP 28e439f4, the aarch64-paging 0.5.0 series (VALID set in place, then MAP)", "dev.pvmfw.era2023_11",
            dev.pvmfw.era2023_11.CrosvmBoot.INSTANCE,
            dev.pvmfw.era2023_11.ScenarioTrackers.INSTANCE);
    /**
     * AOSP c08e63cb (2024-05-22; {@code docs/pvmfw-2024-05.md}): MAP first, through MmioSharer, a granule at a time;
     * the lazy path as in 2025 libvmbase.
     */
    public static final Era ERA_2024_05 = new Era("2024-05",
            "AOSP c08e63cb, MmioSharer (MAP first, whole MMIO guard granules)", "dev.pvmfw.era2024_05",
            dev.pvmfw.era2024_05.CrosvmBoot.INSTANCE,
            dev.pvmfw.era2024_05.ScenarioTrackers.INSTANCE);

    /**
     * The 2023-11 era with this project's corrected lazy flow ({@code dev.pvmfw.era.LazyFlow#CORRECTED}; not pvmfw's
     * code): each faulted lazy page mapped as a device page instead of VALID set in place.
     */
    public static final Era ERA_2023_11_FIX = new Era("2023-11+fix",
            "AOSP 28e439f4 with the corrected lazy flow (map_device instead of modify_flags(VALID); not pvmfw's code)",
            "dev.pvmfw.era2023_11", dev.pvmfw.era2023_11.CrosvmBoot.CORRECTED,
            dev.pvmfw.era2023_11.ScenarioTrackers.CORRECTED);
    /**
     * The 2024-05 era with this project's corrected lazy flow ({@code dev.pvmfw.era.LazyFlow#CORRECTED}; not pvmfw's
     * code): each page of a shared granule mapped as a device page instead of VALID set in place.
     */
    public static final Era ERA_2024_05_FIX = new Era("2024-05+fix",
            "AOSP c08e63cb with the corrected lazy flow (map_device instead of modify_flags(VALID); not pvmfw's code)",
            "dev.pvmfw.era2024_05", dev.pvmfw.era2024_05.CrosvmBoot.CORRECTED,
            dev.pvmfw.era2024_05.ScenarioTrackers.CORRECTED);

    private static final List<Era> ALL = List.of(ERA_2023_05, ERA_2023_11, ERA_2024_05);
    private static final List<Era> CORRECTED = List.of(ERA_2023_11_FIX, ERA_2024_05_FIX);

    private Eras() {}

    /** All eras, oldest first. */
    public static List<Era> all() {
        return ALL;
    }

    /** The era used when none is named: the seed's. */
    public static Era defaultEra() {
        return ERA_2023_05;
    }

    /**
     * The era with this id, if any: one of {@link #all()}, or a corrected variant ({@code 2024-05+fix}, see
     * {@link #corrected}).
     */
    public static Optional<Era> byId(String id) {
        return java.util.stream.Stream.concat(ALL.stream(), CORRECTED.stream()).filter(e -> e.id().equals(id))
                .findFirst();
    }

    /**
     * The era's variant with the corrected lazy flow ({@code docs/pvmfw-2024-05.md}, "The corrected flow"): for
     * 2023-11 and 2024-05, whose in-place {@code modify_flags(VALID)} breaks on crates that store a lazy leaf as flags
     * only; empty for 2023-05 (its fault handler re-maps the page with {@code map_device}, which needs no correction)
     * and for a variant already corrected.
     */
    public static Optional<Era> corrected(Era era) {
        if (era == ERA_2023_11) {
            return Optional.of(ERA_2023_11_FIX);
        }
        if (era == ERA_2024_05) {
            return Optional.of(ERA_2024_05_FIX);
        }
        return Optional.empty();
    }

    /** Whether {@code era} is a corrected variant (not a state of pvmfw's source). */
    public static boolean isCorrected(Era era) {
        return CORRECTED.contains(era);
    }

    /** The ids, comma-separated, for messages. */
    public static String ids() {
        return String.join(", ", ALL.stream().map(Era::id).toList());
    }
}
