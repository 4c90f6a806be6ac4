package dev.pvmfw.paging.v0_4_0;

import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.internal.TableLayout;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.Optional;

/**
 * One page-table entry ({@code paging::Descriptor}): a view of a little-endian 8-byte descriptor inside a table
 * segment, or a detached one made with {@link #detached}. Reads and writes go straight to memory.
 *
 * <p>Bits 12–47 ({@link #PHYSICAL_ADDRESS_BITMASK}) are the output address; every other bit is a flag bit.
 * {@link #flags()} reads the flag bits with bitflags 2.0.2 semantics, so it is empty when an unknown bit or a partial
 * multi-bit flag is set. The static functions on raw {@code long} values are the same rules for code that already
 * holds the bits (dumps, checks, the differential harness).
 *
 * <p>A descriptor kept after its table's memory is gone, or used from a thread the memory is confined to, fails on
 * every read or write with {@link MemoryLifetimeException} (CLOSED or WRONG_THREAD), never a raw FFM exception.
 */
public final class Descriptor {
    /** Bits 12–47: {@code !(PAGE_SIZE - 1) & !(0xffff << 48)}. No LPA: PA bits 48–51 are dropped. */
    public static final long PHYSICAL_ADDRESS_BITMASK = ~(long) (Geometry.PAGE_SIZE - 1) & ~(0xffffL << 48);

    private final MemorySegment table;
    private final int index;

    Descriptor(MemorySegment table, int index) {
        this.table = table;
        this.index = index;
    }

    /** A descriptor in its own 8 bytes of heap memory, holding {@code bits}: for tests and tools. */
    public static Descriptor detached(long bits) {
        MemorySegment cell = MemorySegment.ofArray(new long[1]);
        TableLayout.write(cell, 0, bits);
        return new Descriptor(cell, 0);
    }

    /**
     * The raw 64-bit value.
     *
     * @throws MemoryLifetimeException if the table memory has been released (CLOSED: the arena or table closed) or is
     *     confined to another thread (WRONG_THREAD)
     */
    public long bits() {
        try {
            return TableLayout.read(table, index);
        } catch (IllegalStateException | WrongThreadException e) {
            throw gone(e);
        }
    }

    private void write(long bits) {
        try {
            TableLayout.write(table, index, bits);
        } catch (IllegalStateException | WrongThreadException e) {
            throw gone(e);
        }
    }

    /** The FFM API's exception for a segment that cannot be used, as a lifetime error; anything else is rethrown. */
    private RuntimeException gone(RuntimeException e) {
        if (!table.scope().isAlive()) {
            return new MemoryLifetimeException(MemoryLifetimeException.Kind.CLOSED,
                    "the descriptor's table memory has been released", e);
        }
        if (!table.isAccessibleBy(Thread.currentThread())) {
            return new MemoryLifetimeException(MemoryLifetimeException.Kind.WRONG_THREAD,
                    "the descriptor's table memory is confined to another thread", e);
        }
        return e;
    }

    /** The output address, bits 12–47 (private in the crate; public here for tools). */
    public PhysicalAddress outputAddress() {
        return new PhysicalAddress(bits() & PHYSICAL_ADDRESS_BITMASK);
    }

    /** The flag bits, or empty if they are not a valid set (bitflags 2.0.2 {@code from_bits}). */
    public Optional<Attributes> flags() {
        return flagsOf(bits());
    }

    /**
     * {@code bits = (bits | set) & !clear}, with no checks at all, as in 0.4.0: a callback may even turn a block into a
     * "table" or clear VALID from a table descriptor.
     */
    public void modifyFlags(Attributes set, Attributes clear) {
        write((bits() | set.bits()) & ~clear.bits());
    }

    /** Whether VALID (bit 0) is set. */
    public boolean isValid() {
        return isValid(bits());
    }

    /** Whether {@code flags()} is present and holds both TABLE_OR_PAGE and VALID. */
    public boolean isTableOrPage() {
        return isTableOrPage(bits());
    }

    /** {@code bits = (pa & MASK) | flags} (private in the crate). The flags are not masked. */
    void set(PhysicalAddress pa, Attributes flags) {
        write((pa.value() & PHYSICAL_ADDRESS_BITMASK) | flags.bits());
    }

    /** The Rust {@code Debug} text; see {@link #debugString(long)}. */
    @Override
    public String toString() {
        return debugString(bits());
    }

    // --- the same rules on raw values ---------------------------------------------------------------------------------

    /** {@code Some(flags)} iff the bits outside the address field are a valid flag set. */
    public static Optional<Attributes> flagsOf(long bits) {
        return Attributes.fromBits(bits & ~PHYSICAL_ADDRESS_BITMASK);
    }

    /** {@link #flagsOf}{@code .isPresent()} without allocating. */
    public static boolean hasKnownFlags(long bits) {
        return Attributes.isValidBits(bits & ~PHYSICAL_ADDRESS_BITMASK);
    }

    /** Bits 12–47. */
    public static long outputAddressOf(long bits) {
        return bits & PHYSICAL_ADDRESS_BITMASK;
    }

    /** {@code Descriptor::is_valid} of raw bits: bit 0 (VALID) is set. */
    public static boolean isValid(long bits) {
        return (bits & Attributes.VALID_BIT) != 0;
    }

    /** VALID and TABLE_OR_PAGE set, and the flags known. At level &lt; 3 this is what makes an entry a table. */
    public static boolean isTableOrPage(long bits) {
        long both = Attributes.VALID_BIT | Attributes.TABLE_OR_PAGE_BIT;
        return (bits & both) == both && hasKnownFlags(bits);
    }

    /**
     * The crate's {@code Debug}: the value as {@code {:#016x}} (the width includes {@code 0x}, so normally 14 hex
     * digits), then, only if VALID is set and the flags are known, {@code " (" + pa + ", " + flags + ")"} with the PA
     * as {@code {:#018x}}. E.g. {@code 0x00000040001003 (0x0000000040001000, Attributes(VALID | TABLE_OR_PAGE))}.
     */
    public static String debugString(long bits) {
        StringBuilder out = new StringBuilder(64).append(hex016(bits));
        if (isValid(bits)) {
            Optional<Attributes> flags = flagsOf(bits);
            if (flags.isPresent()) {
                out.append(" (").append(PhysicalAddress.format(outputAddressOf(bits))).append(", ")
                        .append(flags.get()).append(')');
            }
        }
        return out.toString();
    }

    /** Rust {@code {:#016x}}: {@code 0x} plus at least 14 lower-case hex digits. */
    static String hex016(long bits) {
        String hex = Long.toHexString(bits);
        return hex.length() >= 14 ? "0x" + hex : "0x" + "0".repeat(14 - hex.length()) + hex;
    }
}
