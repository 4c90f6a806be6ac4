/**
 * An {@link dev.pvmfw.oracle.engine.Engine} applies steps and reports what happened in a form both engines produce
 * ({@link dev.pvmfw.oracle.engine.StepResult}, {@link dev.pvmfw.oracle.engine.Outcome}); the Java engine is here.
 */
package dev.pvmfw.oracle.engine;
