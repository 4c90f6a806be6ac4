/**
 * The Java engine of aarch64-paging 0.12.1: a scenario of profile {@code 0.12.1} on the crate mirror
 * {@code dev.pvmfw.paging.v0_12_1}, with the results every engine produces ({@code docs/scenarios.md}).
 */
package dev.pvmfw.oracle.engine.v0_12_1;
