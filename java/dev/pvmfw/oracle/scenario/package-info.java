/**
 * The differential harness's operation model: a {@link dev.pvmfw.oracle.scenario.Scenario} of
 * {@link dev.pvmfw.oracle.scenario.Step}s, and its text form, parser and printer side by side
 * ({@link dev.pvmfw.oracle.scenario.ScenarioText}).
 */
package dev.pvmfw.oracle.scenario;
