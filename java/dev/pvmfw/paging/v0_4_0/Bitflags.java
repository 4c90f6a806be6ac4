package dev.pvmfw.paging.v0_4_0;

/**
 * The rules of <b>bitflags 2.0.2</b>, the release aarch64-paging 0.4.0 was linked with, as they apply to
 * {@link Attributes}: what {@code from_bits} accepts, what {@code from_bits_truncate} keeps, and how {@code Debug}
 * prints a value. Later bitflags releases differ on all three (from 2.4, {@code from_bits} accepts any bits inside
 * {@code all()}, and a zero-valued flag is never printed); see {@code docs/aarch64-paging-0.4.0.md}, "bitflags 2.0.2".
 *
 * <p>Source: bitflags 2.0.2, {@code src/internal.rs} and {@code src/iter.rs} ({@code IterNames}).
 */
final class Bitflags {
    private Bitflags() {}

    /**
     * bitflags 2.0.2 {@code from_bits_truncate}: the union of every declared flag whose bits are <em>all</em> set in
     * {@code bits}. A zero-valued flag (DEVICE_NGNRE) is always "contained" and adds nothing.
     */
    static long truncateToCompleteFlags(long bits, long[] declaredFlags) {
        if (bits == 0) {
            return 0;
        }
        long truncated = 0;
        for (long flag : declaredFlags) {
            if ((bits & flag) == flag) {
                truncated |= flag;
            }
        }
        return truncated;
    }

    /**
     * bitflags 2.0.2 {@code from_bits}: valid iff truncating to complete flags changes nothing. So bit 2 alone (part
     * of NORMAL = 2|8|9) or bit 53 alone (part of EXECUTE_NEVER = 53|54) is invalid, as is any bit no flag names.
     */
    static boolean isUnionOfCompleteFlags(long bits, long[] declaredFlags) {
        return truncateToCompleteFlags(bits, declaredFlags) == bits;
    }

    /**
     * {@link #isUnionOfCompleteFlags} for flags that do not overlap and have at most two multi-bit members (true of
     * 0.4.0's; {@link Attributes} checks it): no bit outside {@code all}, and each multi-bit flag wholly present or
     * wholly absent. Three masks instead of a loop over every flag; this is what the table walks use.
     */
    static boolean isUnionOfCompleteFlags(long bits, long all, long multiBit0, long multiBit1) {
        long a = bits & multiBit0;
        long b = bits & multiBit1;
        return (bits & ~all) == 0 && (a == 0 || a == multiBit0) && (b == 0 || b == multiBit1);
    }

    /**
     * bitflags 2.0.2 {@code Debug}: {@code Type(NAME | NAME | 0xextra)}, or {@code Type(0x0)} when empty.
     *
     * <p>Names come from {@code iter_names}, which checks "is anything left?" only when asked for the next name and
     * then takes the next declared flag <em>contained in the original value</em>. A zero-valued flag is contained in
     * everything, so it is printed exactly when some bits are still left after the flags declared before it: {@code
     * Attributes(VALID | DEVICE_NGNRE | NORMAL)} but {@code Attributes(VALID | TABLE_OR_PAGE)}. Bits no contained flag
     * removes are appended in hex.
     */
    static String debugFlags(String typeName, long bits, long[] declaredFlags, String[] names) {
        StringBuilder out = new StringBuilder(typeName).append('(');
        if (bits == 0) {
            return out.append("0x0)").toString();
        }
        long state = bits;
        boolean first = true;
        int idx = 0;
        while (state != 0 && idx < declaredFlags.length) {
            // One call of IterNames::next: scan from idx to the first flag contained in the original bits.
            String found = null;
            while (idx < declaredFlags.length) {
                long flag = declaredFlags[idx];
                String name = names[idx];
                idx++;
                if ((bits & flag) == flag) {
                    state &= ~flag;
                    found = name;
                    break;
                }
            }
            if (found == null) {
                break;
            }
            if (!first) {
                out.append(" | ");
            }
            first = false;
            out.append(found);
        }
        if (state != 0) {
            if (!first) {
                out.append(" | ");
            }
            out.append("0x").append(Long.toHexString(state));
        }
        return out.append(')').toString();
    }


    /**
     * Why {@code from_bits} refuses {@code bits}, one phrase a reason, in declaration order: the bits no flag names,
     * then each multi-bit flag set only in part. Empty exactly when {@link #isUnionOfCompleteFlags} holds for flags
     * that do not overlap (0.4.0's).
     */
    static java.util.List<String> refusals(long bits, long[] declaredFlags, String[] names) {
        java.util.List<String> out = new java.util.ArrayList<>();
        long unknown = bits & ~truncateToCompleteFlags(-1L, declaredFlags);
        if (unknown != 0) {
            java.util.List<String> positions = bitPositions(unknown);
            out.add("unknown bit" + (positions.size() > 1 ? "s " : " ") + String.join(", ", positions));
        }
        for (int i = 0; i < declaredFlags.length; i++) {
            long present = bits & declaredFlags[i];
            if (Long.bitCount(declaredFlags[i]) > 1 && present != 0 && present != declaredFlags[i]) {
                out.add("part of " + names[i] + " (bits " + String.join(", ", bitPositions(declaredFlags[i])) + "): 0x"
                        + Long.toHexString(present));
            }
        }
        return out;
    }

    private static java.util.List<String> bitPositions(long bits) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int b = 0; b < 64; b++) {
            if ((bits & 1L << b) != 0) {
                out.add(Integer.toString(b));
            }
        }
        return out;
    }
}
