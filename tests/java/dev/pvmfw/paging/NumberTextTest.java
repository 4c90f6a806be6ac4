package dev.pvmfw.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The numbers of scenarios and the command line: decimal or 0x hex, with underscores; a typed, echoed error. */
class NumberTextTest {
    @Test
    void decimalDigitsZeroToNineAreDigits() {
        assertEquals(9_081_726_354L, NumberText.parseUnsigned("9_081_726_354"));
        assertEquals(0, NumberText.parseUnsigned(" 0 "));
        assertEquals(0xabcdefL, NumberText.parseUnsigned("0xABC_def"));
        assertEquals(-1L, NumberText.parseUnsigned("18446744073709551615"));
    }

    @Test
    void aLetterInADecimalNumberIsNotANumber() {
        NumberFormatException e = assertThrows(NumberFormatException.class, () -> NumberText.parseUnsigned("12a"));
        assertEquals("not a number: '12a'", e.getMessage());
        assertEquals("not a number: '1/'", assertThrows(NumberFormatException.class,
                () -> NumberText.parseUnsigned("1/")).getMessage()); // '/' is just below '0'
        assertEquals("not a number: '1:'", assertThrows(NumberFormatException.class,
                () -> NumberText.parseUnsigned("1:")).getMessage()); // ':' is just above '9'
        assertEquals("not a number: '0x'", assertThrows(NumberFormatException.class,
                () -> NumberText.parseUnsigned("0x")).getMessage());
        assertEquals("not a number: '0xg'", assertThrows(NumberFormatException.class,
                () -> NumberText.parseUnsigned("0xg")).getMessage());
    }

    @Test
    void aNumberPast64BitsSaysSo() {
        assertEquals("'18446744073709551616' does not fit in 64 bits", assertThrows(NumberFormatException.class,
                () -> NumberText.parseUnsigned("18446744073709551616")).getMessage());
    }

    @Test
    void theEchoIsCutAfter40Characters() {
        String forty = "x".repeat(40);
        assertEquals(forty, NumberText.echo(forty));
        assertEquals(forty + "…", NumberText.echo(forty + "y"));
        assertEquals("", NumberText.echo(""));
    }
}
