package dev.pvmfw.oracle.scenario;

import dev.pvmfw.paging.NumberText;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.port.CrateProfile;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Descriptor flag bits as a scenario writes them, under one crate version's names ({@code docs/scenarios.md},
 * "Flags"): any 64 bits, named or not — masks that are not whole named flags (bit 52, bit 2 alone, an address bit)
 * are part of the language, since the crate's {@code modify_flags} and {@code map_range} take them as they are.
 *
 * <p>Text: the profile's non-zero named flags wholly contained, in declaration order, then the remaining bits in hex,
 * joined by {@code |}; {@code 0} when empty. {@link #parse} reads any mix of names and numbers back, so
 * {@code parse(format(x)) == x}.
 *
 * <p>From aarch64-paging 0.12 on the names depend on the table's translation regime (its attribute type:
 * {@code El1Attributes}, {@code El23Attributes}, {@code Stage2Attributes}); a set carries the regime whose names it
 * uses, EL1&amp;0 unless said.
 *
 * @param bits the raw bits
 * @param profile whose names the text uses
 * @param regime whose attribute type's names the text uses
 */
public record FlagSet(long bits, CrateProfile profile, TranslationRegime regime) {
    /**
     * The set; neither {@code profile} nor {@code regime} may be null.
     *
     * @throws IllegalArgumentException if the profile does not know the regime
     */
    public FlagSet {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(regime, "regime");
        profile.requireRegime(regime);
    }

    /** The set with EL1&amp;0's names. */
    public FlagSet(long bits, CrateProfile profile) {
        this(bits, profile, TranslationRegime.EL1_AND_0);
    }

    /** No bits. */
    public static FlagSet empty(CrateProfile profile) {
        return new FlagSet(0, profile);
    }

    /** Whether no bit is set. */
    public boolean isEmpty() {
        return bits == 0;
    }

    /** The text form. */
    public String text() {
        if (bits == 0) {
            return "0";
        }
        StringJoiner out = new StringJoiner("|");
        long left = bits;
        for (CrateProfile.NamedFlag f : profile.flags(regime)) {
            if (f.bits() != 0 && (bits & f.bits()) == f.bits()) {
                out.add(f.name());
                left &= ~f.bits();
            }
        }
        if (left != 0) {
            out.add("0x" + Long.toHexString(left));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text();
    }

    /** {@link #parse(String, CrateProfile, TranslationRegime)} with EL1&amp;0's names. */
    public static FlagSet parse(String text, CrateProfile profile) {
        return parse(text, profile, TranslationRegime.EL1_AND_0);
    }

    /**
     * Parses names of {@code profile}'s flags of {@code regime} and numbers (hex {@code 0x…} or decimal), joined by
     * {@code |}, or {@code 0}.
     *
     * @throws IllegalArgumentException naming the unknown part
     */
    public static FlagSet parse(String text, CrateProfile profile, TranslationRegime regime) {
        long bits = 0;
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty flags (write 0 for none)");
        }
        for (String part : t.split("\\|", -1)) {
            String p = part.trim();
            if (!p.isEmpty() && Character.isDigit(p.charAt(0))) {
                try {
                    bits |= NumberText.parseUnsigned(p);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(e.getMessage());
                }
                continue;
            }
            long named = -1;
            boolean found = false;
            for (CrateProfile.NamedFlag f : profile.flags(regime)) {
                if (f.name().equals(p)) {
                    named = f.bits();
                    found = true;
                }
            }
            if (!found) {
                throw new IllegalArgumentException("unknown flag '" + NumberText.echo(p) + "' for aarch64-paging "
                        + profile.id() + (profile.regimes().size() > 1 ? " " + regime.rustName() : "") + " (its flags: "
                        + String.join(", ", profile.flags(regime).stream()
                                .map(CrateProfile.NamedFlag::name).toList()) + "; or a number)");
            }
            bits |= named;
        }
        return new FlagSet(bits, profile, regime);
    }
}
