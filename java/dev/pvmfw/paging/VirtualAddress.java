package dev.pvmfw.paging;

/**
 * An AArch64 virtual address, the input of a stage-1 table ({@code paging::VirtualAddress(pub usize)}). The value is
 * an unsigned 64-bit quantity held in a {@code long}; ordering is unsigned.
 *
 * <p>Arithmetic is checked like the crate's operators in a debug build: an unsigned overflow or underflow throws
 * {@link ArithmeticException} with Rust's panic text. (The engine itself computes with wrapping arithmetic, as the
 * crate does in the release build the oracle uses.)
 *
 * @param value the address bits
 */
public record VirtualAddress(long value) implements Comparable<VirtualAddress> {

    /** {@code self + offset}. @throws ArithmeticException on unsigned overflow ("attempt to add with overflow") */
    public VirtualAddress add(long offset) {
        return new VirtualAddress(Addresses.checkedAdd(value, offset));
    }

    /** {@code self - offset}. @throws ArithmeticException on underflow ("attempt to subtract with overflow") */
    public VirtualAddress subtract(long offset) {
        return new VirtualAddress(Addresses.checkedSub(value, offset));
    }

    /** {@code self - other}, a byte count. @throws ArithmeticException if other is above self */
    public long minus(VirtualAddress other) {
        return Addresses.checkedSub(value, other.value);
    }

    @Override
    public int compareTo(VirtualAddress o) {
        return Long.compareUnsigned(value, o.value);
    }

    /** Rust {@code Debug}: {@code VirtualAddress(0x0000000000001000)}. */
    public String debug() {
        return "VirtualAddress(" + this + ")";
    }

    /** Rust {@code Display}, {@code {:#018x}}: {@code 0x} and 16 hex digits. */
    @Override
    public String toString() {
        return format(value);
    }

    /** {@code {:#018x}} of any value. */
    public static String format(long value) {
        return Addresses.hex018(value);
    }
}
