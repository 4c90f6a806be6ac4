/**
 * The paging core: a Java twin of the Rust crate aarch64-paging 0.4.0 (linked with bitflags 2.0.2), whose tables live
 * in off-heap {@link java.lang.foreign.MemorySegment}s and whose bytes are exactly the crate's.
 *
 * <p>Side by side with the crate: this package holds the crate root ({@link dev.pvmfw.paging.MapError},
 * {@link dev.pvmfw.paging.Mapping}) and the {@code paging} module ({@link dev.pvmfw.paging.RootTable},
 * {@link dev.pvmfw.paging.Attributes}, {@link dev.pvmfw.paging.Descriptor}, {@link dev.pvmfw.paging.MemoryRegion},
 * the address types, {@link dev.pvmfw.paging.Translation}); {@code idmap} and {@code linearmap} are subpackages.
 * Everything version-specific is in {@link dev.pvmfw.paging.Profile}.
 */
package dev.pvmfw.paging;
