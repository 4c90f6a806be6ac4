package dev.pvmfw.paging;

import java.util.Locale;

/**
 * Unsigned 64-bit numbers as people write addresses and descriptors: decimal, or hex with {@code 0x}; underscores
 * anywhere are ignored ({@code 0x4000_0000}). No sign: a negative address is not an address.
 */
public final class NumberText {
    /** Longest input echoed back in an error message. */
    private static final int ECHO = 40;

    private NumberText() {}

    /**
     * The value of {@code text}.
     *
     * @throws NumberFormatException "not a number: '…'" (the text cut to 40 characters), or "… does not fit in 64
     *     bits"
     */
    public static long parseUnsigned(String text) {
        String t = text.trim().replace("_", "").toLowerCase(Locale.ROOT);
        boolean hex = t.startsWith("0x");
        String digits = hex ? t.substring(2) : t;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> hex ? Character.digit(c, 16) >= 0
                : c >= '0' && c <= '9')) {
            throw new NumberFormatException("not a number: '" + echo(text) + "'");
        }
        try {
            return Long.parseUnsignedLong(digits, hex ? 16 : 10);
        } catch (NumberFormatException e) {
            throw new NumberFormatException("'" + echo(text) + "' does not fit in 64 bits");
        }
    }

    /** {@code text} cut to 40 characters, marked with … when cut. */
    public static String echo(String text) {
        return text.length() <= ECHO ? text : text.substring(0, ECHO) + "…";
    }
}
