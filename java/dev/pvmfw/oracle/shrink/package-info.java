/** Shrinks a diverging scenario to a small one that still diverges. */
package dev.pvmfw.oracle.shrink;
