/** aarch64-paging 0.12.1's {@code target} module: tables built for another device ({@code TargetAllocator}). */
package dev.pvmfw.paging.v0_12_1.target;
