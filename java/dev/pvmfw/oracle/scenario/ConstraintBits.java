package dev.pvmfw.oracle.scenario;

import dev.pvmfw.paging.NumberText;
import java.util.StringJoiner;

/**
 * aarch64-paging 0.12's {@code Constraints} in the scenario text ({@code docs/scenarios.md}, "Steps of a table
 * scenario"): {@code NO_BLOCK_MAPPINGS} (bit 0) and {@code NO_CONTIGUOUS_HINT} (bit 1) by name, any other bit as a
 * number ({@code map_range} takes {@code from_bits_retain}); {@code ConstraintBitsTest} checks the names against the
 * crate mirror's {@code Constraints}.
 */
public final class ConstraintBits {
    /** {@code Constraints::NO_BLOCK_MAPPINGS}. */
    public static final long NO_BLOCK_MAPPINGS = 1L;
    /** {@code Constraints::NO_CONTIGUOUS_HINT}. */
    public static final long NO_CONTIGUOUS_HINT = 1L << 1;

    private static final String[] NAMES = {"NO_BLOCK_MAPPINGS", "NO_CONTIGUOUS_HINT"};
    private static final long[] BITS = {NO_BLOCK_MAPPINGS, NO_CONTIGUOUS_HINT};

    private ConstraintBits() {}

    /** The names joined by {@code |}, then any other bits in hex; {@code 0} for none. */
    public static String text(long bits) {
        if (bits == 0) {
            return "0";
        }
        StringJoiner out = new StringJoiner("|");
        long left = bits;
        for (int i = 0; i < NAMES.length; i++) {
            if ((bits & BITS[i]) != 0) {
                out.add(NAMES[i]);
                left &= ~BITS[i];
            }
        }
        if (left != 0) {
            out.add("0x" + Long.toHexString(left));
        }
        return out.toString();
    }

    /**
     * Reads names and numbers joined by {@code |}, or {@code 0}.
     *
     * @throws IllegalArgumentException naming the unknown part
     */
    public static long parse(String text) {
        long bits = 0;
        for (String part : text.trim().split("\\|", -1)) {
            String p = part.trim();
            if (!p.isEmpty() && Character.isDigit(p.charAt(0))) {
                try {
                    bits |= NumberText.parseUnsigned(p);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(e.getMessage());
                }
                continue;
            }
            int i = java.util.List.of(NAMES).indexOf(p);
            if (i < 0) {
                throw new IllegalArgumentException("unknown constraint '" + NumberText.echo(p)
                        + "' (NO_BLOCK_MAPPINGS, NO_CONTIGUOUS_HINT, or a number)");
            }
            bits |= BITS[i];
        }
        return bits;
    }
}
