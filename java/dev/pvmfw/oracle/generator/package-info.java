/** Seeded random scenarios for differential campaigns. */
package dev.pvmfw.oracle.generator;
