/**
 * aarch64-paging 0.12.1 linked with bitflags 2.11.0 and thiserror 2.0.18, in Java over off-heap memory, byte for byte
 * the crate's ({@code docs/aarch64-paging-0.12.1.md}), under the crate's names: the crate root
 * ({@link dev.pvmfw.paging.v0_12_1.Mapping}, {@link dev.pvmfw.paging.v0_12_1.MapError}), its {@code descriptor}
 * module ({@link dev.pvmfw.paging.v0_12_1.El1Attributes}, {@link dev.pvmfw.paging.v0_12_1.El23Attributes},
 * {@link dev.pvmfw.paging.v0_12_1.Stage2Attributes}, {@link dev.pvmfw.paging.v0_12_1.PagingAttributes},
 * {@link dev.pvmfw.paging.v0_12_1.Descriptor}, {@link dev.pvmfw.paging.v0_12_1.UpdatableDescriptor}) and its
 * {@code paging} module ({@link dev.pvmfw.paging.v0_12_1.RootTable}, {@link dev.pvmfw.paging.v0_12_1.Constraints},
 * the regimes {@link dev.pvmfw.paging.v0_12_1.El1And0}, {@link dev.pvmfw.paging.v0_12_1.El2And0},
 * {@link dev.pvmfw.paging.v0_12_1.El2}, {@link dev.pvmfw.paging.v0_12_1.El3}, {@link dev.pvmfw.paging.v0_12_1.Stage2});
 * the callbacks {@link dev.pvmfw.paging.v0_12_1.Updater} and {@link dev.pvmfw.paging.v0_12_1.Visitor} stand for the
 * crate's closures. The {@code idmap}, {@code linearmap}, {@code target} and {@code mair} modules are subpackages.
 * The algorithms ({@code PageTableWithLevel}) and the bitflags 2.11 rules ({@code Bitflags}) are package-private.
 */
package dev.pvmfw.paging.v0_12_1;
