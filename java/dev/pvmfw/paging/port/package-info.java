/**
 * The port between pvmfw eras and aarch64-paging releases ({@code docs/architecture.md}, "The port"):
 * {@link dev.pvmfw.paging.port.CrateProfile}, one crate version, chosen once where a table is made; and
 * {@link dev.pvmfw.paging.port.MmuOps}, pvmfw's page table as an era uses it (libvmbase's {@code MmuOps}), which each
 * crate version implements once and each era is written against.
 */
package dev.pvmfw.paging.port;
