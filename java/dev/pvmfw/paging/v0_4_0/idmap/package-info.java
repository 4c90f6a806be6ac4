/** aarch64-paging 0.4.0's {@code idmap} module: identity maps (PA = VA). */
package dev.pvmfw.paging.v0_4_0.idmap;
