package dev.pvmfw.paging.v0_12_1;

import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.internal.TableLayout;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * One page-table entry ({@code descriptor::Descriptor<A>}): a view of a little-endian 8-byte descriptor inside a
 * table, or a detached one ({@link #detached}). The crate's tables hand it out read-only ({@code walk_range}); the
 * writes go through {@link UpdatableDescriptor}.
 *
 * <p>Bits 47:12 ({@link #PHYSICAL_ADDRESS_BITMASK}) are the output address; {@link #flags()} is every other bit
 * <em>verbatim</em> ({@code from_bits_retain}), so it never fails and keeps unknown bits, and an attribute bit inside
 * the address field (El1Attributes' {@code NT}, bit 16) is never part of it. The static functions are the same rules
 * on raw values.
 *
 * @param <A> the attribute type
 */
public final class Descriptor<A extends PagingAttributes<A>> {
    /** Bits 47:12: {@code !(PAGE_SIZE - 1) & !(0xffff << 48)}. */
    public static final long PHYSICAL_ADDRESS_BITMASK = ~(long) (Geometry.PAGE_SIZE - 1) & ~(0xffffL << 48);

    private final PagingAttributes.Type<A> type;
    private final MemorySegment table;
    private final int index;

    Descriptor(PagingAttributes.Type<A> type, MemorySegment table, int index) {
        this.type = type;
        this.table = table;
        this.index = index;
    }

    /**
     * A descriptor in its own 8 bytes of heap memory, holding {@code bits} ({@code Descriptor::new}, crate-private).
     */
    public static <A extends PagingAttributes<A>> Descriptor<A> detached(PagingAttributes.Type<A> type, long bits) {
        MemorySegment cell = MemorySegment.ofArray(new long[1]);
        TableLayout.write(cell, 0, bits);
        return new Descriptor<>(Objects.requireNonNull(type), cell, 0);
    }

    /** The raw value (crate-private {@code bits()}, an acquire load). */
    public long bits() {
        return TableLayout.read(table, index);
    }

    /** {@code output_address()}: bits 47:12, whatever the flags say. */
    public PhysicalAddress outputAddress() {
        return new PhysicalAddress(outputAddressOf(bits()));
    }

    /** {@code flags()}: every bit outside the address field, unknown ones included. */
    public A flags() {
        return type.fromBitsRetain(flagBitsOf(bits()));
    }

    /** {@code is_valid()}: bit 0. */
    public boolean isValid() {
        return isValid(bits());
    }

    /** {@code is_table_or_page()}: VALID and TABLE_OR_PAGE both set; the level is not considered. */
    public boolean isTableOrPage() {
        return isTableOrPage(bits());
    }

    /** The attribute type. */
    public PagingAttributes.Type<A> type() {
        return type;
    }

    /** The table (or detached cell) holding the descriptor. */
    MemorySegment segment() {
        return table;
    }

    /** The descriptor's index in {@link #segment()}. */
    int index() {
        return index;
    }

    /** {@code set(pa, flags)} (crate-private): {@code (pa & MASK) | flags}, an unchecked release store. */
    void set(PhysicalAddress pa, A flags) {
        TableLayout.write(table, index, (pa.value() & PHYSICAL_ADDRESS_BITMASK) | flags.bits());
    }

    /** The Rust {@code Debug} text; see {@link #debugString}. */
    @Override
    public String toString() {
        return debugString(type, bits());
    }

    // --- the same rules on raw values -----------------------------------------------------------------------------

    /** Bits 47:12. */
    public static long outputAddressOf(long bits) {
        return bits & PHYSICAL_ADDRESS_BITMASK;
    }

    /** Every bit outside 47:12. */
    public static long flagBitsOf(long bits) {
        return bits & ~PHYSICAL_ADDRESS_BITMASK;
    }

    /** {@code is_valid()} of raw bits: bit 0 (VALID) is set. */
    public static boolean isValid(long bits) {
        return (bits & PagingAttributes.Type.VALID) != 0;
    }

    /** VALID and TABLE_OR_PAGE (bits 1:0 = 0b11). */
    public static boolean isTableOrPage(long bits) {
        long both = PagingAttributes.Type.VALID | PagingAttributes.Type.TABLE_OR_PAGE;
        return (bits & both) == both;
    }

    /**
     * The crate's {@code Debug}: the value as {@code {:#016x}} (the width counts {@code 0x}, so at least 14 digits),
     * then, when VALID is set, {@code " (" + PA {:#018x} + ", " + flags Debug + ")"}. E.g. {@code
     * 0x00000000001003 (0x0000000000001000, El1Attributes(VALID | TABLE_OR_PAGE))}.
     */
    public static String debugString(PagingAttributes.Type<?> type, long bits) {
        StringBuilder out = new StringBuilder(80).append(hex016(bits));
        if (isValid(bits)) {
            out.append(" (").append(PhysicalAddress.format(outputAddressOf(bits))).append(", ")
                    .append(type.debug(flagBitsOf(bits))).append(')');
        }
        return out.toString();
    }

    /** Rust {@code {:#016x}}: {@code 0x} and at least 14 lower-case hex digits. */
    static String hex016(long bits) {
        String hex = Long.toHexString(bits);
        return hex.length() >= 14 ? "0x" + hex : "0x" + "0".repeat(14 - hex.length()) + hex;
    }
}
