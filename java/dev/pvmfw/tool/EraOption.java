package dev.pvmfw.tool;

import dev.pvmfw.catalog.Era;
import dev.pvmfw.catalog.Eras;
import picocli.CommandLine.Option;

/**
 * {@code --era} and {@code --fix}: which pvmfw change's memory tracker runs, and whether with this project's corrected
 * lazy flow ({@code docs/pvmfw-2024-05.md}, "The corrected flow"). Shared by every command that runs pvmfw's code.
 */
final class EraOption {
    @Option(names = "--era", paramLabel = "ERA", defaultValue = "2023-05", converter = Converters.EraId.class,
            completionCandidates = Converters.EraIds.class,
            description = "pvmfw era whose memory tracker runs: ${COMPLETION-CANDIDATES}, or 2023-11+fix, 2024-05+fix "
                    + "(the corrected lazy flow) (default: ${DEFAULT-VALUE})")
    Era era;

    @Option(names = "--fix", description = "the era's corrected lazy flow (not pvmfw's code): each faulted lazy page "
            + "mapped as a device page instead of VALID set in place; the same as --era E+fix (2023-11, 2024-05)")
    boolean fix;

    /**
     * The era selected: {@code --era}, corrected if {@code --fix}.
     *
     * @throws UsageException {@code --fix} for an era without a corrected flow
     */
    Era selected() throws UsageException {
        if (!fix || Eras.isCorrected(era)) {
            return era;
        }
        return Eras.corrected(era).orElseThrow(() -> new UsageException("--fix: era " + era.id()
                + " has no corrected flow (its fault handler maps the page with map_device already); eras with one: "
                + "2023-11, 2024-05"));
    }
}
