package dev.pvmfw.tool;

import dev.pvmfw.paging.port.CrateProfile;
import picocli.CommandLine.Option;

/**
 * {@code --profile}: which aarch64-paging release's rules read the tables (its {@code flags()} verdict, its Debug
 * text, its notion of a table). Shared by every command that reads tables.
 */
final class ProfileOption {
    @Option(names = "--profile", paramLabel = "VERSION", defaultValue = "0.4.0",
            converter = Converters.Profile.class, completionCandidates = Converters.ProfileIds.class,
            description = "crate version whose rules read the tables: ${COMPLETION-CANDIDATES} (default: "
                    + "${DEFAULT-VALUE})")
    CrateProfile profile;
}
