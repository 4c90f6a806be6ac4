package dev.pvmfw.oracle.scenario;

import dev.pvmfw.paging.port.CrateProfile;

/**
 * Which vocabulary a scenario's {@code profile} line selects ({@code docs/scenarios.md}, "Profiles"): the language is
 * one grammar, but each crate version has the calls it has. Chosen once, where a scenario is made.
 */
public enum Dialect {
    /**
     * aarch64-paging 0.4.0: {@code RootTable} (EL1&amp;0, no ASID, no constraints), {@code modify_range} with
     * {@code modify_flags} actions and the built-in updaters, and pvmfw's 2023-05 tracker.
     */
    V0_4_0("0.4.0"),
    /**
     * aarch64-paging 0.12.1: a {@code Mapping} of any regime with ASID and VA range, constraints, {@code walk_range},
     * {@code compact_subtables}, activation, and {@code set} actions, and pvmfw's trackers of every era as they would
     * run on it ({@code docs/pvmfw-2024-05.md}, "The port per cell"); no built-in updaters.
     */
    V0_12_1("0.12.1");

    private final String profileId;

    Dialect(String profileId) {
        this.profileId = profileId;
    }

    /** The id of the profile it is the vocabulary of. */
    public String profileId() {
        return profileId;
    }

    /**
     * The dialect of {@code profile}.
     *
     * @throws IllegalArgumentException if no scenario language is written for it
     */
    public static Dialect of(CrateProfile profile) {
        for (Dialect d : values()) {
            if (d.profileId.equals(profile.id())) {
                return d;
            }
        }
        throw new IllegalArgumentException("profile " + profile.id() + " has no scenario language");
    }

    /** Why {@code step} cannot be in a scenario of this dialect, or null if it can. */
    String refusal(Step step) {
        return switch (this) {
            case V0_4_0 -> switch (step) {
                case Step.NewTable t when t.regime() != dev.pvmfw.paging.TranslationRegime.EL1_AND_0 || t.asid() != 0 ->
                        "0.4.0 has no regimes or ASIDs (its RootTable is EL1&0's); write 'profile 0.12.1'";
                case Step.MapRange m when m.constraints() != 0 -> "0.4.0's map_range takes no constraints";
                case Step.ModifyRange m when m.updater() instanceof Updater.Edit e
                        && e.action() instanceof Updater.Action.Set -> "a set action (pa=, flags=) is 0.12's "
                                + "UpdatableDescriptor::set; 0.4.0's updaters modify flags";
                default -> step.mappingOnly() ? "'" + step.text().split(" ")[0] + "' is 0.12's Mapping; 0.4.0 has "
                        + "none (write 'profile 0.12.1')" : null;
            };
            case V0_12_1 -> step instanceof Step.ModifyRange m && m.updater() instanceof Updater.Builtin
                    ? "the built-in updaters are the 0.4.0 oracle's; write an edit: updater" : null;
        };
    }
}
