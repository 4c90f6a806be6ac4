package dev.pvmfw.paging.v0_12_1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.internal.TableLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The expected contents of one arena slot, in the notation of the reference's worked images: single entries
 * ({@code [i] v}) and runs ({@code [a..b] v step s}); every entry not listed must be 0.
 */
final class SlotImage {
    private final long[] expected = new long[Geometry.ENTRIES_PER_TABLE];

    static SlotImage zero() {
        return new SlotImage();
    }

    /** {@code [index] value}. */
    SlotImage at(int index, long value) {
        expected[index] = value;
        return this;
    }

    /** {@code [first..last] value step step}, last inclusive. */
    SlotImage run(int first, int last, long value, long step) {
        for (int i = first; i <= last; i++) {
            expected[i] = value + step * (i - first);
        }
        return this;
    }

    /** Asserts slot {@code slot} of {@code arena} holds exactly this. */
    void assertIn(TableArena arena, int slot) {
        MemorySegment table = arena.segment().asSlice((long) slot * Geometry.PAGE_SIZE, Geometry.PAGE_SIZE);
        for (int i = 0; i < Geometry.ENTRIES_PER_TABLE; i++) {
            int index = i;
            assertEquals(expected[i], TableLayout.read(table, i),
                    () -> "slot " + slot + " entry " + index + ": expected 0x" + Long.toHexString(expected[index]));
        }
    }

    /** The first 16 hex digits of the SHA-256 of slots {@code 0..=lastSlot}, as the reference gives them. */
    static String sha256Prefix(TableArena arena, int lastSlot) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(arena.segment().asSlice(0, (long) (lastSlot + 1) * Geometry.PAGE_SIZE)
                    .toArray(ValueLayout.JAVA_BYTE));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
