package dev.pvmfw.paging;

/** Shared arithmetic and formatting of the address newtypes. */
final class Addresses {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Addresses() {}

    static long checkedAdd(long a, long b) {
        long sum = a + b;
        if (Long.compareUnsigned(sum, a) < 0) {
            throw new ArithmeticException("attempt to add with overflow");
        }
        return sum;
    }

    static long checkedSub(long a, long b) {
        if (Long.compareUnsigned(a, b) < 0) {
            throw new ArithmeticException("attempt to subtract with overflow");
        }
        return a - b;
    }

    /** Rust {@code {:#018x}}: {@code 0x} plus exactly 16 lower-case hex digits. */
    static String hex018(long value) {
        char[] out = new char[18];
        out[0] = '0';
        out[1] = 'x';
        for (int i = 17; i >= 2; i--) {
            out[i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
        return new String(out);
    }
}
