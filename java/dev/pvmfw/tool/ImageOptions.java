package dev.pvmfw.tool;

import dev.pvmfw.paging.VaRange;
import picocli.CommandLine.Option;

/** How to read a raw image: where its slots sit and which one is the root. Shared by every image command. */
final class ImageOptions {
    @Option(names = "--pa-base", paramLabel = "PA", defaultValue = "0x40000000", converter = Converters.Number.class,
            description = "PA of slot 0 (default: ${DEFAULT-VALUE})")
    long paBase;

    @Option(names = "--root-level", paramLabel = "L", defaultValue = "1",
            description = "level of the root table, 0..3 (default: ${DEFAULT-VALUE})")
    int rootLevel;

    @Option(names = "--va-range", paramLabel = "RANGE", defaultValue = "lower", converter = Converters.Range.class,
            completionCandidates = VaRanges.class,
            description = "lower (TTBR0) or upper (TTBR1) (default: ${DEFAULT-VALUE})")
    VaRange vaRange;

    @Option(names = "--root-slot", paramLabel = "SLOT", defaultValue = "0",
            description = "slot of the root table (default: ${DEFAULT-VALUE})")
    int rootSlot;

    /** The VA ranges, for completion. */
    static final class VaRanges implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("lower", "upper").iterator();
        }
    }
}
