/**
 * Internals of the paging packages, not exported: the descriptor byte layout ({@link
 * dev.pvmfw.paging.internal.TableLayout}, the only raw read and write of a descriptor in the library) and the crate's
 * chunking of a range ({@link dev.pvmfw.paging.internal.Chunks}).
 */
package dev.pvmfw.paging.internal;
