package dev.pvmfw.oracle.scenario;

import dev.pvmfw.paging.v0_4_0.Attributes;
import java.util.StringJoiner;

/** The text form of an {@link Attributes} value: names joined by {@code |} ({@code VALID|NORMAL}), or {@code 0}. */
public final class Flags {
    private Flags() {}

    /** Declared names present in {@code flags}, in declaration order, joined by {@code |}; {@code 0} when empty. */
    public static String format(Attributes flags) {
        if (flags.isEmpty()) {
            return "0";
        }
        StringJoiner out = new StringJoiner("|");
        for (String name : Attributes.declaredNames()) {
            Attributes flag = Attributes.fromName(name).orElseThrow();
            if (!flag.isEmpty() && flags.contains(flag)) {
                out.add(name);
            }
        }
        return out.toString();
    }

    /**
     * Parses {@code NAME|NAME}, {@code 0}, or a hex value {@code 0x…} that must be a valid flag set.
     *
     * @throws IllegalArgumentException naming the unknown flag or invalid bits
     */
    public static Attributes parse(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.equals("0")) {
            return Attributes.empty();
        }
        if (t.startsWith("0x") || t.startsWith("0X")) {
            long bits = Long.parseUnsignedLong(t.substring(2).replace("_", ""), 16);
            return Attributes.fromBits(bits).orElseThrow(() -> new IllegalArgumentException(
                    "0x" + Long.toHexString(bits) + " is not a valid set of 0.4.0 flags"));
        }
        Attributes out = Attributes.empty();
        for (String part : t.split("\\|")) {
            String name = part.trim();
            out = out.union(Attributes.fromName(name).orElseThrow(() -> new IllegalArgumentException(
                    "unknown flag '" + name + "' (known: " + String.join(", ", Attributes.declaredNames()) + ")")));
        }
        return out;
    }
}
