/** Runs a scenario on both engines, comparing after every step, and reports the first divergence. */
package dev.pvmfw.oracle.runner;
