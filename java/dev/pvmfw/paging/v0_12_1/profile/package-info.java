/**
 * aarch64-paging 0.12.1 behind the port: {@link dev.pvmfw.paging.v0_12_1.profile.Profile0121} (its
 * {@code CrateProfile}) and {@link dev.pvmfw.paging.v0_12_1.profile.PvmfwPageTable} (pvmfw's page table on 0.12.1,
 * with libvmbase's attribute sets: its {@code MmuOps}).
 */
package dev.pvmfw.paging.v0_12_1.profile;
