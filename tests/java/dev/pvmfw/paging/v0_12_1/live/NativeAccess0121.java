package dev.pvmfw.paging.v0_12_1.live;

import java.lang.foreign.MemorySegment;

/**
 * The one restricted native operation of the 0.12.1 live tests: sizing the pointer an upcall receives. Loading the
 * library (and explaining a missing {@code --enable-native-access}) is the main loader's,
 * {@code dev.pvmfw.oracle.rust.v0_12_1.OracleLibrary0121}; the generated bindings' own restricted calls (downcall and
 * upcall handles) only run after it has succeeded.
 */
final class NativeAccess0121 {
    private NativeAccess0121() {}

    /**
     * A pointer an upcall received, as a segment of exactly {@code size} bytes (the bindings type it with
     * {@code C_POINTER}, whose target is {@code Long.MAX_VALUE} bytes).
     *
     * @throws IllegalArgumentException if {@code pointer} is NULL
     */
    @SuppressWarnings("restricted")
    static MemorySegment sized(MemorySegment pointer, long size) {
        if (pointer.address() == 0) {
            throw new IllegalArgumentException("the library passed a NULL pointer");
        }
        return pointer.reinterpret(size);
    }
}
