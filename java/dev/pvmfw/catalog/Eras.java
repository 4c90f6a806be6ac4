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
            "dev.pvmfw.era2023_05");

    private static final List<Era> ALL = List.of(ERA_2023_05);

    private Eras() {}

    /** All eras, oldest first. */
    public static List<Era> all() {
        return ALL;
    }

    /** The era used when none is named: the seed's. */
    public static Era defaultEra() {
        return ERA_2023_05;
    }

    /** The era with this id, if any. */
    public static Optional<Era> byId(String id) {
        return ALL.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** The ids, comma-separated, for messages. */
    public static String ids() {
        return String.join(", ", ALL.stream().map(Era::id).toList());
    }
}
