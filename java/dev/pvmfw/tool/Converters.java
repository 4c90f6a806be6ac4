package dev.pvmfw.tool;

import dev.pvmfw.catalog.Era;
import dev.pvmfw.catalog.Eras;
import dev.pvmfw.catalog.Profiles;
import dev.pvmfw.paging.NumberText;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.port.CrateProfile;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the values the commands take; every failure is one line naming the value. */
final class Converters {
    private Converters() {}

    /** An unsigned 64-bit number, decimal or {@code 0x} hex, underscores allowed ({@link NumberText}). */
    static final class Number implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return NumberText.parseUnsigned(value);
            } catch (NumberFormatException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A byte count: a number, or a number with K, M, G or T (powers of 1024). */
    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            int shift = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
                case 'K' -> 10;
                case 'M' -> 20;
                case 'G' -> 30;
                case 'T' -> 40;
                default -> 0;
            };
            long n = new Number().convert(shift == 0 ? v : v.substring(0, v.length() - 1));
            if (n > (Long.MAX_VALUE >>> shift)) {
                throw new TypeConversionException("'" + NumberText.echo(value) + "' is too large");
            }
            return n << shift;
        }
    }

    /** {@code lower} or {@code upper}. */
    static final class Range implements ITypeConverter<VaRange> {
        @Override
        public VaRange convert(String value) {
            return switch (value) {
                case "lower" -> VaRange.LOWER;
                case "upper" -> VaRange.UPPER;
                default -> throw new TypeConversionException("'" + NumberText.echo(value)
                        + "' is not a VA range: lower (TTBR0) or upper (TTBR1)");
            };
        }
    }

    /** A regime id ({@link TranslationRegime#id()}). */
    static final class Regime implements ITypeConverter<TranslationRegime> {
        @Override
        public TranslationRegime convert(String value) {
            return TranslationRegime.byId(value).orElseThrow(() -> new TypeConversionException("'"
                    + NumberText.echo(value) + "' is not a regime: el1and0, el2and0, el2, el3 or stage2"));
        }
    }

    /** A profile id ({@link Profiles}). */
    static final class Profile implements ITypeConverter<CrateProfile> {
        @Override
        public CrateProfile convert(String value) {
            return Profiles.byId(value).orElseThrow(() -> new TypeConversionException("'" + NumberText.echo(value)
                    + "' is not a profile: " + Profiles.ids()));
        }
    }

    /** An era id ({@link Eras}). */
    static final class EraId implements ITypeConverter<Era> {
        @Override
        public Era convert(String value) {
            return Eras.byId(value).orElseThrow(() -> new TypeConversionException("'" + NumberText.echo(value)
                    + "' is not an era: " + Eras.ids()));
        }
    }

    /** The era ids, for help and completion. */
    static final class EraIds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Eras.all().stream().map(Era::id).iterator();
        }
    }

    /** The profile ids, for help and completion. */
    static final class ProfileIds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Profiles.all().stream().map(CrateProfile::id).iterator();
        }
    }
}
