package dev.pvmfw.oracle.scenario;

import dev.pvmfw.catalog.Profiles;
import dev.pvmfw.paging.port.CrateProfile;

import java.util.List;
import java.util.Objects;

/**
 * A named sequence of steps on one arena: the unit of differential testing, golden vectors and the tool's
 * {@code run}. The first step is a {@link Step.NewTable} or a {@link Step.NewTracker}; a {@link Step.DropTable}, if
 * any, is the last.
 *
 * @param name identifier (no spaces)
 * @param profile the crate version the scenario is written for: its flag names, its API
 * @param slots arena slots
 * @param paBase arena PA base
 * @param steps the operations
 */
public record Scenario(String name, CrateProfile profile, int slots, long paBase, List<Step> steps) {
    /**
     * The most slots a scenario's arena may have: {@link dev.pvmfw.paging.TableArena#MAX_SLOTS}, 2<sup>24</sup>. The tool's default limit is lower
     * ({@code --max-arena-slots}, 2<sup>20</sup>), since the arena is allocated whole.
     */
    public static final int MAX_SLOTS = dev.pvmfw.paging.TableArena.MAX_SLOTS;

    /**
     * A scenario; {@code steps} is copied.
     *
     * @throws IllegalArgumentException if the name is blank or not one word, slots is not 1..{@link #MAX_SLOTS}, the
     *     first step is not a {@code table} or {@code tracker} step or a later one is, a tracker-only step is in a
     *     table scenario, a {@code Mapping} step ({@code walk}, {@code compact}, activation but {@code activate}) is in a
     *     tracker scenario, a
     *     {@code drop} is not last, or a step is not in the profile's {@link Dialect} (0.12's
     *     regimes, constraints, {@code Mapping} steps and {@code set} actions on 0.4.0; built-in updaters on 0.12.1), or the profile has no scenario language
     */
    public Scenario {
        Objects.requireNonNull(name);
        Objects.requireNonNull(profile);
        steps = List.copyOf(steps);
        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("scenario name must be one word: '" + name + "'");
        }
        if (slots < 1 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("arena slots must be 1.." + MAX_SLOTS + ", got " + slots);
        }
        if (steps.isEmpty() || !(steps.getFirst() instanceof Step.NewTable || steps.getFirst() instanceof Step.NewTracker)) {
            throw new IllegalArgumentException("a scenario starts with a 'table' or 'tracker' step");
        }
        boolean tracker = steps.getFirst() instanceof Step.NewTracker;
        Dialect dialect = Dialect.of(profile);
        for (int i = 0; i < steps.size(); i++) {
            String refused = dialect.refusal(steps.get(i));
            if (refused != null) {
                throw new IllegalArgumentException("step " + i + " (" + steps.get(i).text() + "): " + refused);
            }
        }
        for (int i = 1; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step instanceof Step.NewTable || step instanceof Step.NewTracker) {
                throw new IllegalArgumentException("only the first step may be 'table' or 'tracker' (step " + i + ")");
            }
            if (step.trackerOnly() && !tracker) {
                throw new IllegalArgumentException("step " + i + " (" + step.text() + ") needs a 'tracker' scenario");
            }
            if (step.mappingOnly() && tracker && !(step instanceof Step.Activate)) {
                throw new IllegalArgumentException("step " + i + " (" + step.text() + ") is 0.12's Mapping, a step of "
                        + "a 'table' scenario (the tracker's page table is pvmfw's)");
            }
            if (steps.get(i - 1) instanceof Step.DropTable) {
                throw new IllegalArgumentException("'drop' must be the last step (step " + (i - 1) + ")");
            }
        }
    }

    /** A scenario for the default profile (aarch64-paging 0.4.0). */
    public Scenario(String name, int slots, long paBase, List<Step> steps) {
        this(name, Profiles.defaultProfile(), slots, paBase, steps);
    }

    /** The scenario's vocabulary, from its profile. */
    public Dialect dialect() {
        return Dialect.of(profile);
    }

    /** The translation regime: the {@code table} step's, or pvmfw's EL1&amp;0. */
    public dev.pvmfw.paging.TranslationRegime regime() {
        return steps.getFirst() instanceof Step.NewTable t ? t.regime() : dev.pvmfw.paging.TranslationRegime.EL1_AND_0;
    }

    /** The root level: the {@code table} step's, or pvmfw's 1. */
    public int rootLevel() {
        return steps.getFirst() instanceof Step.NewTable t ? t.level() : 1;
    }

    /** The VA range: the {@code table} step's, or pvmfw's lower range. */
    public dev.pvmfw.paging.VaRange vaRange() {
        return steps.getFirst() instanceof Step.NewTable t ? t.vaRange() : dev.pvmfw.paging.VaRange.LOWER;
    }

    /** The same scenario with another arena size (for shrinking). */
    public Scenario withSlots(int newSlots) {
        return new Scenario(name, profile, newSlots, paBase, steps);
    }

    /** The same scenario with other steps (for shrinking). */
    public Scenario withSteps(List<Step> newSteps) {
        return new Scenario(name, profile, slots, paBase, newSteps);
    }
}
