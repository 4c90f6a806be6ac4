package dev.pvmfw.catalog;

import dev.pvmfw.era.PvmfwBoot;
import dev.pvmfw.era.TrackerFactory;
import java.util.Objects;

/**
 * A pvmfw era this project reproduces: the id people type ({@code --era 2023-05}), the AOSP state it is, the package
 * that holds it, how it boots on the crosvm layout, and how a scenario makes its tracker.
 *
 * @param id the era's id, the month of its change: {@code 2023-05}
 * @param change the AOSP change or state, commit and title
 * @param javaPackage the package of the era ({@code dev.pvmfw.era2023_05})
 * @param boot the era's boot and exit ({@code CrosvmBoot} of its package)
 * @param trackers how the scenario language's {@code tracker} step makes the era's tracker ({@code ScenarioTrackers})
 */
public record Era(String id, String change, String javaPackage, PvmfwBoot boot, TrackerFactory trackers) {
    /** An era; nothing may be null. */
    public Era {
        Objects.requireNonNull(id);
        Objects.requireNonNull(change);
        Objects.requireNonNull(javaPackage);
        Objects.requireNonNull(boot);
        Objects.requireNonNull(trackers);
    }
}
