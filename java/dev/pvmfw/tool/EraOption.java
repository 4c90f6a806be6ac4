package dev.pvmfw.tool;

import dev.pvmfw.catalog.Era;
import picocli.CommandLine.Option;

/** {@code --era}: which pvmfw change's memory tracker runs. Shared by every command that runs pvmfw's code. */
final class EraOption {
    @Option(names = "--era", paramLabel = "ERA", defaultValue = "2023-05", converter = Converters.EraId.class,
            completionCandidates = Converters.EraIds.class,
            description = "pvmfw era whose memory tracker runs: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Era era;
}
