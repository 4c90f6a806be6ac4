/**
 * aarch64-paging 0.4.0 linked with bitflags 2.0.2, in Java over off-heap memory, byte for byte the crate's
 * ({@code docs/aarch64-paging-0.4.0.md}): the crate root ({@link dev.pvmfw.paging.v0_4_0.Mapping},
 * {@link dev.pvmfw.paging.v0_4_0.MapError}) and its {@code paging} module ({@link dev.pvmfw.paging.v0_4_0.RootTable},
 * {@link dev.pvmfw.paging.v0_4_0.Attributes}, {@link dev.pvmfw.paging.v0_4_0.Descriptor},
 * {@link dev.pvmfw.paging.v0_4_0.PteUpdater}), under the crate's names; {@code idmap} and {@code linearmap} are
 * subpackages. The algorithms ({@code PageTableWithLevel}) and the bitflags 2.0.2 rules ({@code Bitflags}) are
 * package-private.
 */
package dev.pvmfw.paging.v0_4_0;
