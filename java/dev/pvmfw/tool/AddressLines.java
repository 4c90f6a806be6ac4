package dev.pvmfw.tool;

import dev.pvmfw.paging.NumberText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The addresses of {@code translate --batch}, read one line at a time (never the whole input): one address per
 * line in the positional VA's syntax ({@link NumberText}: decimal or {@code 0x} hex, underscores allowed), spaces
 * around it ignored; blank lines and comments ({@code #} to the end of the line, alone or after the address) are
 * skipped. A line longer than {@link #MAX_LINE} bytes, not UTF-8, or not one address is a {@link BadLine} naming
 * its number (from 1).
 */
final class AddressLines {
    /** The longest line read: far more than any address with comment, and a bound on what one line can take. */
    static final int MAX_LINE = 4096;

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private final byte[] line = new byte[MAX_LINE];
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private int at;
    private int end;
    private long number;
    private long address;

    /** A line that is not an address. */
    static final class BadLine extends Exception {
        private static final long serialVersionUID = 1L;
        /** Its number, from 1. */
        final long line;

        BadLine(long line, String message) {
            super("line " + line + ": " + message, null, false, false);
            this.line = line;
        }
    }

    /** The lines of {@code in} (not closed here). */
    AddressLines(InputStream in) {
        this.in = in;
    }

    /**
     * Moves to the next address; false at the end of the input.
     *
     * @throws BadLine if the next line that is not blank or a comment is not an address
     * @throws IOException if the input fails
     */
    boolean next() throws BadLine, IOException {
        while (true) {
            int length = readLine();
            if (length < 0) {
                return false;
            }
            number++;
            String text;
            try {
                text = utf8.decode(ByteBuffer.wrap(line, 0, length)).toString();
            } catch (CharacterCodingException e) {
                throw new BadLine(number, "not UTF-8 text");
            }
            int hash = text.indexOf('#');
            String value = (hash < 0 ? text : text.substring(0, hash)).strip();
            if (value.isEmpty()) {
                continue;
            }
            try {
                address = NumberText.parseUnsigned(value);
            } catch (NumberFormatException e) {
                throw new BadLine(number, e.getMessage());
            }
            return true;
        }
    }

    /** The address {@link #next} moved to. */
    long address() {
        return address;
    }

    /** The number of the line {@link #next} read last, from 1. */
    long lineNumber() {
        return number;
    }

    /** Reads the next line into {@link #line} (without its {@code \n} or {@code \r\n}); -1 at the end. */
    private int readLine() throws BadLine, IOException {
        int length = 0;
        boolean any = false;
        while (true) {
            if (at == end) {
                end = in.read(buffer);
                at = 0;
                if (end <= 0) {
                    end = 0;
                    return any ? trimCr(length) : -1;
                }
            }
            byte b = buffer[at++];
            any = true;
            if (b == '\n') {
                return trimCr(length);
            }
            if (length == MAX_LINE) {
                throw new BadLine(number + 1, "longer than " + MAX_LINE + " bytes");
            }
            line[length++] = b;
        }
    }

    private int trimCr(int length) {
        return length > 0 && line[length - 1] == '\r' ? length - 1 : length;
    }
}
