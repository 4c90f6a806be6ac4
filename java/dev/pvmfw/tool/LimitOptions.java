package dev.pvmfw.tool;

import picocli.CommandLine.Option;

/**
 * Bounds on what a command reads, checked before any memory is taken, so no input can make the tool run out of memory
 * or time: the size of an image (mapped, never copied), of a scenario file, its steps, and its arena (allocated whole
 * when the scenario runs). Each default can be raised by its option.
 */
final class LimitOptions {
    /** The default image limit: 64 GiB, mapped read-only. */
    static final String DEFAULT_MAX_IMAGE = "64G";
    /** The default scenario-file limit: 256 MiB of text. */
    static final String DEFAULT_MAX_SCENARIO = "256M";

    @Option(names = "--max-image-size", paramLabel = "BYTES", defaultValue = DEFAULT_MAX_IMAGE,
            converter = Converters.Size.class,
            description = "refuse an image larger than this (K, M, G, T suffixes; default: ${DEFAULT-VALUE})")
    long maxImageBytes;

    @Option(names = "--max-scenario-size", paramLabel = "BYTES", defaultValue = DEFAULT_MAX_SCENARIO,
            converter = Converters.Size.class,
            description = "refuse a scenario file larger than this (default: ${DEFAULT-VALUE})")
    long maxScenarioBytes;

    /** The default step limit: 10^7 steps in one scenario file. */
    static final String DEFAULT_MAX_STEPS = "10000000";
    /** The default arena limit: 2^20 slots (4 GiB of tables). */
    static final String DEFAULT_MAX_SLOTS = "1048576";

    @Option(names = "--max-scenario-steps", paramLabel = "N", defaultValue = DEFAULT_MAX_STEPS,
            converter = Converters.Number.class,
            description = "refuse a scenario file of more steps than this (default: ${DEFAULT-VALUE})")
    long maxScenarioSteps;

    @Option(names = "--max-arena-slots", paramLabel = "N", defaultValue = DEFAULT_MAX_SLOTS,
            converter = Converters.Number.class,
            description = "refuse a scenario whose arena has more slots than this, up to "
                    + dev.pvmfw.oracle.scenario.Scenario.MAX_SLOTS + " (default: ${DEFAULT-VALUE})")
    long maxArenaSlots;
}
