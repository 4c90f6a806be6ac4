package dev.pvmfw.tool;

import picocli.CommandLine.Option;

/**
 * Bounds on what a command reads, checked before any memory is taken, so no input can make the tool run out of memory
 * or time: the size of an image (mapped, never copied) and of a scenario file.
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
}
