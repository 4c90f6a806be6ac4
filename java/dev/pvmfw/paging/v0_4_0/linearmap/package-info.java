/** aarch64-paging 0.4.0's {@code linearmap} module: linear maps (PA = VA + offset). */
package dev.pvmfw.paging.v0_4_0.linearmap;
