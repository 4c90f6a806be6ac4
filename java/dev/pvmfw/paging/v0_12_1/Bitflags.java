package dev.pvmfw.paging.v0_12_1;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules of <b>bitflags 2.11.0</b>, the release aarch64-paging 0.12.1 is linked with, written out once for every
 * flags type of this package ({@link El1Attributes}, {@link El23Attributes}, {@link Stage2Attributes},
 * {@link Constraints}); see {@code docs/aarch64-paging-0.12.1.md}, "bitflags 2.11".
 *
 * <ul>
 *   <li>{@code all()} is the union of every declared flag's bits.</li>
 *   <li>{@code from_bits} fails only on a bit outside {@code all()}: any bit of any flag counts, so part of a
 *       multi-bit flag is accepted (bitflags 2.0.2 refused it).</li>
 *   <li>{@code from_bits_truncate} is {@code bits & all()}; {@code from_bits_retain} keeps every bit.</li>
 *   <li>{@code !x} (complement) is {@code !bits & all()}: truncated, so {@code (a | b) & !c} drops every unknown
 *       bit of {@code a} and {@code b}. Union, intersection, difference and symmetric difference keep unknown
 *       bits.</li>
 *   <li>{@code contains} is "all bits present", {@code intersects} "any bit present".</li>
 *   <li>{@code Debug}: {@code Type(0x0)} when empty; otherwise the names, in declaration order, of every flag whose
 *       bits are all present in the value <em>and</em> which adds a bit no name before it covered (so a zero-valued
 *       flag is never printed, and {@code INNER_SHAREABLE} = 0b11 is printed after {@code OUTER_SHAREABLE} = 0b10 for
 *       0x300), joined by {@code " | "}, then any bits no printed name covered as one lower-case hex number
 *       ({@code 0x…}).</li>
 * </ul>
 *
 * <p>Source: bitflags 2.11.0, {@code src/public.rs} (the generated operations), {@code src/iter.rs}
 * ({@code IterNames}), {@code src/parser.rs} ({@code to_writer}), {@code src/internal.rs} (the {@code 0x0} case).
 */
final class Bitflags {
    private Bitflags() {}

    /** {@code all()}: the union of every declared flag. */
    static long all(long[] declared) {
        long all = 0;
        for (long flag : declared) {
            all |= flag;
        }
        return all;
    }

    /** {@code from_bits(bits).is_some()}: no bit outside {@code all}. */
    static boolean isKnown(long bits, long all) {
        return (bits & ~all) == 0;
    }

    /** {@code from_bits_truncate(bits).bits()}. */
    static long truncate(long bits, long all) {
        return bits & all;
    }

    /** {@code (!x).bits()}: the complement, truncated to {@code all}. */
    static long complement(long bits, long all) {
        return ~bits & all;
    }

    /** {@code a.contains(b)}: every bit of b is set in a. */
    static boolean contains(long a, long b) {
        return (a & b) == b;
    }

    /** The index of the flag named {@code name} (case-sensitive, as {@code from_name}), or -1. */
    static int indexOfName(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The names {@code iter_names} yields for {@code bits}, in order: a declared flag is yielded when it is contained
     * in the original value and intersects what earlier names left; the iteration stops as soon as nothing is left.
     *
     * @param remainingOut if not null, element 0 receives the bits no yielded name covered
     */
    static List<String> iterNames(long bits, long[] declared, String[] names, long[] remainingOut) {
        List<String> out = new ArrayList<>();
        long remaining = bits;
        for (int i = 0; i < declared.length && remaining != 0; i++) {
            long flag = declared[i];
            if (contains(bits, flag) && (remaining & flag) != 0) {
                remaining &= ~flag;
                out.add(names[i]);
            }
        }
        if (remainingOut != null) {
            remainingOut[0] = remaining;
        }
        return out;
    }

    /** The {@code Debug} text of a value of the flags type {@code typeName}: {@code El1Attributes(VALID | 0x4000)}. */
    static String debug(String typeName, long bits, long[] declared, String[] names) {
        StringBuilder out = new StringBuilder(typeName.length() + 48).append(typeName).append('(');
        if (bits == 0) {
            return out.append("0x0)").toString();
        }
        long[] remaining = new long[1];
        List<String> printed = iterNames(bits, declared, names, remaining);
        out.append(String.join(" | ", printed));
        if (remaining[0] != 0) {
            if (!printed.isEmpty()) {
                out.append(" | ");
            }
            out.append("0x").append(Long.toHexString(remaining[0]));
        }
        return out.append(')').toString();
    }
}
