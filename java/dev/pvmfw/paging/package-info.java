/**
 * What no aarch64-paging release changes, shared by every crate version: the geometry of the 4 KiB granule
 * ({@link dev.pvmfw.paging.Geometry}), the address types, {@link dev.pvmfw.paging.MemoryRegion} and
 * {@link dev.pvmfw.paging.VaRange}; the memory that holds tables — {@link dev.pvmfw.paging.Translation} (the crate's
 * allocation interface), {@link dev.pvmfw.paging.TableArena} (the deterministic arena shared with the Rust oracle),
 * {@link dev.pvmfw.paging.TableHeap}, and {@link dev.pvmfw.paging.PhysicalMemory}, tables by PA, read-only, as the MMU
 * reads them; and the errors every version shares ({@link dev.pvmfw.paging.CratePanic},
 * {@link dev.pvmfw.paging.TranslationPanic}, {@link dev.pvmfw.paging.MemoryLifetimeException}).
 *
 * <p>Each crate version is a package of its own below this one ({@code dev.pvmfw.paging.v0_4_0}); see
 * {@code docs/architecture.md}.
 */
package dev.pvmfw.paging;
