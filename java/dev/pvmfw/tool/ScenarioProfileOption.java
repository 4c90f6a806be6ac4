package dev.pvmfw.tool;

import dev.pvmfw.paging.port.CrateProfile;
import picocli.CommandLine.Option;

/**
 * {@code --profile} of the scenario commands ({@code run}, {@code fuzz}): the crate version whose scenario language
 * and engines run. Without it a scenario is of its own {@code profile} line (0.4.0 if it has none); with it, a
 * scenario without the line is of this profile, and one whose line names another profile is a usage error.
 */
final class ScenarioProfileOption {
    @Option(names = "--profile", paramLabel = "VERSION", converter = Converters.Profile.class,
            completionCandidates = Converters.ProfileIds.class,
            description = "crate version of the scenarios: ${COMPLETION-CANDIDATES} (default: the scenario's own "
                    + "'profile' line, else 0.4.0; a different line is a usage error)")
    CrateProfile profile;
}
