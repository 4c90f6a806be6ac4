package dev.pvmfw.paging;

/**
 * An AArch64 physical or intermediate physical address, the output of a stage-1 table
 * ({@code paging::PhysicalAddress(pub usize)}). Unsigned; arithmetic checked as in a debug build (see
 * {@link VirtualAddress}).
 *
 * @param value the address bits
 */
public record PhysicalAddress(long value) implements Comparable<PhysicalAddress> {

    /** {@code self + offset}. @throws ArithmeticException on unsigned overflow ("attempt to add with overflow") */
    public PhysicalAddress add(long offset) {
        return new PhysicalAddress(Addresses.checkedAdd(value, offset));
    }

    /** {@code self - offset}. @throws ArithmeticException on underflow ("attempt to subtract with overflow") */
    public PhysicalAddress subtract(long offset) {
        return new PhysicalAddress(Addresses.checkedSub(value, offset));
    }

    /** {@code self - other}, a byte count. @throws ArithmeticException if other is above self */
    public long minus(PhysicalAddress other) {
        return Addresses.checkedSub(value, other.value);
    }

    @Override
    public int compareTo(PhysicalAddress o) {
        return Long.compareUnsigned(value, o.value);
    }

    /** Rust {@code Debug}: {@code PhysicalAddress(0x0000000080000000)}. */
    public String debug() {
        return "PhysicalAddress(" + this + ")";
    }

    /** Rust {@code Display}, {@code {:#018x}}. */
    @Override
    public String toString() {
        return format(value);
    }

    /** {@code {:#018x}} of any value. */
    public static String format(long value) {
        return Addresses.hex018(value);
    }
}
