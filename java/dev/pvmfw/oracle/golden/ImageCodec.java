package dev.pvmfw.oracle.golden;

import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.internal.TableLayout;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Compact, exact forms of an arena image for golden vectors.
 *
 * <p><b>Digest</b>: SHA-256 over every slot that is not all zero, as (slot number, 4 bytes little-endian; the slot's
 * 4096 bytes). All-zero slots are left out, so the digest covers every byte of the arena.
 *
 * <p><b>Runs</b>: one line per non-zero slot, {@code image SLOT RUN RUN …}, where a run is {@code INDEX:VALUE} (one
 * entry) or {@code INDEX+COUNT:FIRST/STRIDE} (COUNT entries forming an arithmetic progression, as 0.4.0's garbage
 * fill does). Zero entries are omitted.
 */
public final class ImageCodec {
    private ImageCodec() {}

    /** The digest of a whole arena, hex. */
    public static String digest(MemorySegment image) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long slots = image.byteSize() / TableLayout.TABLE_SIZE;
        ByteBuffer number = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        for (int s = 0; s < slots; s++) {
            MemorySegment table = image.asSlice((long) s * TableLayout.TABLE_SIZE, TableLayout.TABLE_SIZE);
            if (isZero(table)) {
                continue;
            }
            number.clear();
            sha.update(number.putInt(s).flip());
            sha.update(table.asByteBuffer());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static boolean isZero(MemorySegment table) {
        for (long off = 0; off < table.byteSize(); off += 8) {
            if (table.get(TableLayout.DESCRIPTOR, off) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The run lines of every non-zero slot. */
    public static List<String> encode(MemorySegment image) {
        List<String> lines = new ArrayList<>();
        long slots = image.byteSize() / TableLayout.TABLE_SIZE;
        for (int s = 0; s < slots; s++) {
            MemorySegment table = image.asSlice((long) s * TableLayout.TABLE_SIZE, TableLayout.TABLE_SIZE);
            if (isZero(table)) {
                continue;
            }
            StringBuilder line = new StringBuilder("image ").append(s);
            int i = 0;
            while (i < Geometry.ENTRIES_PER_TABLE) {
                long v = TableLayout.read(table, i);
                if (v == 0) {
                    i++;
                    continue;
                }
                int count = 1;
                long stride = 0;
                if (i + 1 < Geometry.ENTRIES_PER_TABLE && TableLayout.read(table, i + 1) != 0) {
                    stride = TableLayout.read(table, i + 1) - v;
                    while (i + count < Geometry.ENTRIES_PER_TABLE
                            && TableLayout.read(table, i + count) == v + count * stride
                            && TableLayout.read(table, i + count) != 0) {
                        count++;
                    }
                }
                if (count < 3) {
                    count = 1; // two values always form a "progression"; only three or more say something
                }
                line.append(' ').append(i);
                if (count > 1) {
                    line.append('+').append(count);
                }
                line.append(":0x").append(Long.toHexString(v));
                if (count > 1) {
                    line.append("/0x").append(Long.toHexString(stride));
                }
                i += count;
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** Writes one run line into {@code image} (which the caller has zeroed). */
    public static void decodeInto(String line, MemorySegment image) {
        String[] words = line.trim().split("\\s+");
        if (!words[0].equals("image") || words.length < 2) {
            throw new IllegalArgumentException("not an image line: " + line);
        }
        int slot = Integer.parseInt(words[1]);
        MemorySegment table = image.asSlice((long) slot * TableLayout.TABLE_SIZE, TableLayout.TABLE_SIZE);
        for (int w = 2; w < words.length; w++) {
            String run = words[w];
            int colon = run.indexOf(':');
            String where = run.substring(0, colon);
            String what = run.substring(colon + 1);
            int plus = where.indexOf('+');
            int index = Integer.parseInt(plus < 0 ? where : where.substring(0, plus));
            int count = plus < 0 ? 1 : Integer.parseInt(where.substring(plus + 1));
            int slash = what.indexOf('/');
            long first = Long.parseUnsignedLong((slash < 0 ? what : what.substring(0, slash)).substring(2), 16);
            long stride = slash < 0 ? 0 : Long.parseUnsignedLong(what.substring(slash + 3), 16);
            for (int k = 0; k < count; k++) {
                TableLayout.write(table, index + k, first + k * stride);
            }
        }
    }
}
