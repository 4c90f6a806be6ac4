package dev.pvmfw.oracle.runner;

import dev.pvmfw.era.TrackerFactory;
import dev.pvmfw.oracle.engine.Engine;
import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.engine.v0_12_1.JavaEngine0121;
import dev.pvmfw.oracle.engine.v0_12_1.JavaTrackerEngine0121;
import dev.pvmfw.oracle.rust.OracleLibrary;
import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.oracle.rust.RustEngine;
import dev.pvmfw.oracle.rust.v0_12_1.OracleLibrary0121;
import dev.pvmfw.oracle.rust.v0_12_1.RustEngine0121;
import dev.pvmfw.oracle.scenario.Scenario;

/**
 * The engines of a scenario's crate version: the one place where the version is chosen, from the scenario's
 * {@code profile} ({@link Scenario#dialect()}), before any table is made; everything after works on {@link Engine}.
 */
public final class Engines {
    private Engines() {}

    /** The Java engine of {@code scenario}'s crate version (a tracker step that names no era: the 2023-05 tracker). */
    public static Engine java(Scenario scenario) {
        return java(scenario, dev.pvmfw.era2023_05.ScenarioTrackers.INSTANCE);
    }

    /**
     * The Java engine of {@code scenario}'s crate version; a tracker step that names no era runs on the tracker
     * {@code trackers} makes. On 0.12.1 a tracker scenario has an engine of its own ({@link JavaTrackerEngine0121}).
     */
    public static Engine java(Scenario scenario, TrackerFactory trackers) {
        return switch (scenario.dialect()) {
            case V0_4_0 -> new JavaEngine(scenario, trackers);
            case V0_12_1 -> isTracker(scenario) ? new JavaTrackerEngine0121(scenario, trackers)
                    : new JavaEngine0121(scenario);
        };
    }

    /** Whether {@code scenario} is a tracker scenario (its first step is {@code tracker}). */
    public static boolean isTracker(Scenario scenario) {
        return scenario.steps().getFirst() instanceof dev.pvmfw.oracle.scenario.Step.NewTracker;
    }

    /**
     * The real crate of {@code scenario}'s version, through its oracle library.
     *
     * @throws OracleUnavailableException if that library is not loaded and verified
     */
    public static Engine rust(Scenario scenario) throws OracleUnavailableException {
        return switch (scenario.dialect()) {
            case V0_4_0 -> new RustEngine(scenario);
            case V0_12_1 -> new RustEngine0121(scenario);
        };
    }

    /**
     * Whether the oracle library of {@code scenario}'s version can be used; if not, why; if so, what it links.
     *
     * @param available whether it can
     * @param reason why not, or what it is
     */
    public record Availability(boolean available, String reason) {}

    /** The availability of the oracle library for scenarios of {@code dialect}. Never throws. */
    public static Availability rustAvailability(dev.pvmfw.oracle.scenario.Dialect dialect) {
        return switch (dialect) {
            case V0_4_0 -> {
                OracleLibrary.Availability a = OracleLibrary.availability();
                yield new Availability(a.available(), a.reason());
            }
            case V0_12_1 -> {
                OracleLibrary0121.Availability a = OracleLibrary0121.availability();
                yield new Availability(a.available(), a.reason());
            }
        };
    }
}
