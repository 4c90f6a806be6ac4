/**
 * aarch64-paging 0.4.0 behind the port: {@link dev.pvmfw.paging.v0_4_0.profile.Profile040} (its
 * {@code CrateProfile}) and {@link dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable} (pvmfw's {@code mmu::PageTable}
 * on 0.4.0, with 0.4.0's attribute sets: its {@code MmuOps}).
 */
package dev.pvmfw.paging.v0_4_0.profile;
