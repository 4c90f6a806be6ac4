/**
 * The hardware's view of translation tables, for every walker in the project ({@code docs/architecture.md}, "The
 * MMU"): what a descriptor is at a level ({@link dev.pvmfw.mmu.DescriptorKind}), the MMU's configuration
 * ({@link dev.pvmfw.mmu.MmuConfig}), the walk, its access checks and a traversal over any
 * {@link dev.pvmfw.paging.PhysicalMemory} ({@link dev.pvmfw.mmu.Walker}), the structured result
 * ({@link dev.pvmfw.mmu.WalkResult}) and the ESR of a fault ({@link dev.pvmfw.mmu.Syndrome}). Independent of any crate
 * version.
 */
package dev.pvmfw.mmu;
