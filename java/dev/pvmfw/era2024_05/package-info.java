/**
 * pvmfw's lazy MMIO path in the 2024-05 era ({@code docs/pvmfw-2024-05.md}): vmbase at AOSP {@code c08e63cb}
 * (2024-05-22), whose lazy path is unchanged through the newest AOSP commit read, {@code 758d65de} (2024-09), and
 * which 2025 libvmbase keeps in logic under new names ({@code handle_mmio_fault} → {@code mmio_sharer.share} →
 * {@code map_device_expect_lazy}, teardown by {@code unshare_all_mmio_except_uart}). The hypervisor MAP comes first,
 * through the {@link dev.pvmfw.era2024_05.MmioSharer}, which shares whole MMIO guard granules (any power-of-two
 * multiple of 4 KiB) and unshares them in ascending order; then every page of the granule is made valid in place.
 * Written against the port, with 0.5's walks from {@link dev.pvmfw.era.LeafWalks}, so it runs on any crate version.
 *
 * <p>Arithmetic on addresses wraps and compares unsigned, as {@code usize} in a release build.
 */
package dev.pvmfw.era2024_05;
