/**
 * Golden vectors: what the real crate did at every step of recorded scenarios, replayed against the Java engine
 * where the crate cannot be built.
 */
package dev.pvmfw.oracle.golden;
