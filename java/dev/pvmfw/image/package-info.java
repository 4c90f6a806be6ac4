/**
 * Host tooling over raw page-table images (tables in slot order, as {@code run --save} writes them): the
 * {@link dev.pvmfw.image.TableImage}, its walk ({@link dev.pvmfw.image.ImageWalk}, over the MMU's traversal), the
 * invariants ({@link dev.pvmfw.image.ImageCheck}), the dumps ({@link dev.pvmfw.image.Dumps}), {@code diff} and
 * {@code decode}. The crate's view of a descriptor comes from the {@link dev.pvmfw.paging.port.CrateProfile} the
 * image is read with.
 */
package dev.pvmfw.image;
