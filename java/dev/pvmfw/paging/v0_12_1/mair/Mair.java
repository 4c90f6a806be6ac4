package dev.pvmfw.paging.v0_12_1.mair;

import dev.pvmfw.paging.CratePanic;
import java.util.Objects;

/**
 * A Memory Attribute Indirection Register value ({@code mair::Mair(pub u64)}): eight {@link MairAttribute}s, field
 * {@code i} in bits {@code 8i+7:8i}. {@link #toString()} is the crate's Display, e.g.
 * {@code {0: Device-nGnRE; 1: Normal, …; …; 7: Device-nGnRnE}}.
 *
 * @param value the register value
 */
public record Mair(long value) {
    /** {@code Mair::EMPTY}, 0. */
    public static final Mair EMPTY = new Mair(0);

    /** {@code Mair::new(attributes)}: field i from attribute i. */
    public static Mair of(MairAttribute... attributes) {
        if (attributes.length != 8) {
            throw new IllegalArgumentException("a MAIR has 8 attributes, not " + attributes.length);
        }
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value |= (long) Objects.requireNonNull(attributes[i]).value() << (8 * i);
        }
        return new Mair(value);
    }

    /**
     * {@code with_attribute(index, attribute)}: field {@code index} replaced.
     *
     * @throws CratePanic {@code "assertion failed: index < 8"} for an index above 7 (a u8 in the crate; negative here
     *     too)
     */
    public Mair withAttribute(int index, MairAttribute attribute) {
        if (index < 0 || index >= 8) {
            throw new CratePanic("assertion failed: index < 8");
        }
        int offset = index * 8;
        return new Mair(value & ~(0xffL << offset) | (long) attribute.value() << offset);
    }

    /** {@code attributes()}: the eight fields, field 0 first. */
    public MairAttribute[] attributes() {
        MairAttribute[] out = new MairAttribute[8];
        for (int i = 0; i < 8; i++) {
            out[i] = new MairAttribute((int) (value >>> (8 * i)) & 0xff);
        }
        return out;
    }

    /** The crate's {@code Display}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        MairAttribute[] attributes = attributes();
        for (int i = 0; i < attributes.length; i++) {
            if (i != 0) {
                out.append("; ");
            }
            out.append(i).append(": ").append(attributes[i]);
        }
        return out.append('}').toString();
    }
}
