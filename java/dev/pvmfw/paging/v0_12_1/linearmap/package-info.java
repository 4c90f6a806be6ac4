/** aarch64-paging 0.12.1's {@code linearmap} module: linear maps (PA = VA + offset) for any regime. */
package dev.pvmfw.paging.v0_12_1.linearmap;
