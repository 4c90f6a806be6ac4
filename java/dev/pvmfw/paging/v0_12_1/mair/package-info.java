/** aarch64-paging 0.12.1's {@code mair} module: MAIR values built field by field, and their Display texts. */
package dev.pvmfw.paging.v0_12_1.mair;
