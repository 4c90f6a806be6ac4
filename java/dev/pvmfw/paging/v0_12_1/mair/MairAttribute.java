package dev.pvmfw.paging.v0_12_1.mair;

/**
 * One 8-bit field of the MAIR ({@code mair::MairAttribute(pub u8)}). {@link #toString()} is the crate's Display:
 * the four device types by name, Normal memory as {@code Normal, Inner …, Outer …} when both nibbles decode, anything
 * else {@code Unpredictable (0x..)}.
 *
 * @param value the field, 0..255
 */
public record MairAttribute(int value) {
    /** Device-nGnRnE, {@code 0b0000_0000}. */
    public static final MairAttribute DEVICE_NGNRNE = new MairAttribute(0b0000_0000);
    /** Device-nGnRE, {@code 0b0000_0100}. */
    public static final MairAttribute DEVICE_NGNRE = new MairAttribute(0b0000_0100);
    /** Device-nGRE, {@code 0b0000_1000}. */
    public static final MairAttribute DEVICE_NGRE = new MairAttribute(0b0000_1000);
    /** Device-GRE, {@code 0b0000_1100}. */
    public static final MairAttribute DEVICE_GRE = new MairAttribute(0b0000_1100);

    /**
     * The attribute field {@code value}; it is a {@code u8} in the crate.
     *
     * @throws IllegalArgumentException if {@code value} is outside 0..255
     */
    public MairAttribute {
        if (value < 0 || value > 0xff) {
            throw new IllegalArgumentException("a MAIR attribute is a u8, not " + value);
        }
    }

    /** {@code MairAttribute::normal(inner, outer)}: {@code outer << 4 | inner}. */
    public static MairAttribute normal(NormalMemory inner, NormalMemory outer) {
        return new MairAttribute(outer.value() << 4 | inner.value());
    }

    /** The crate's {@code Display}. */
    @Override
    public String toString() {
        switch (value) {
            case 0b0000_0000: return "Device-nGnRnE";
            case 0b0000_0100: return "Device-nGnRE";
            case 0b0000_1000: return "Device-nGRE";
            case 0b0000_1100: return "Device-GRE";
            default: break;
        }
        var inner = NormalMemory.tryFrom(value & 0x0f);
        var outer = NormalMemory.tryFrom(value >> 4);
        if (inner.isPresent() && outer.isPresent()) {
            return "Normal, Inner " + inner.get() + ", Outer " + outer.get();
        }
        return String.format("Unpredictable (0x%02x)", value);
    }
}
