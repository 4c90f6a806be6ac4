/** aarch64-paging 0.12.1's {@code idmap} module: identity maps (PA = VA) for any regime. */
package dev.pvmfw.paging.v0_12_1.idmap;
