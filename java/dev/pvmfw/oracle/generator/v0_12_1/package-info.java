/** The seeded scenario generator of profile 0.12.1 ({@code docs/scenarios.md}). */
package dev.pvmfw.oracle.generator.v0_12_1;
