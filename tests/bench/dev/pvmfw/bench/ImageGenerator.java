package dev.pvmfw.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The images of the image-command benchmark ({@code tests/bench/image-commands.sh}): raw arenas at PA 0x4000_0000,
 * root level 1 in slot 0, every slot a reachable table (the root, then level-2 tables, then level-3 tables under them).
 *
 * <ul>
 *   <li>{@code sparse}: the tables' pointers, and four valid 4 KiB pages in each level-3 table (seeded);</li>
 *   <li>{@code dense}: every entry of every table non-zero: the pointers, 1 GiB and 2 MiB blocks in the rest of the
 *       root and the level-2 tables, 512 pages in each level-3 table.</li>
 * </ul>
 *
 * <p>Run from the source: {@code java tests/bench/dev/pvmfw/bench/ImageGenerator.java sparse|dense MIB SEED OUT}.
 * The same arguments always give the same bytes. {@code addresses MIB SEED OUT} writes the 10,000 addresses of
 * {@code translate --batch} for the sparse image of those arguments, one a line: every other one a VA the image maps
 * (a random page of it, a random offset in the page), the rest random VAs of the 39-bit range (mostly faults).
 */
public final class ImageGenerator {
    private static final long PA_BASE = 0x4000_0000L;
    private static final long TABLE = 0b11;
    /** VALID | TABLE_OR_PAGE | AttrIndx 1 (Normal under pvmfw's MAIR) | inner shareable | AF | UXN | PXN. */
    private static final long PAGE = 0x0060_0000_0000_0707L;
    /** The same attributes as a block (bit 1 clear). */
    private static final long BLOCK = PAGE & ~0b10L;

    private ImageGenerator() {}

    /** {@code sparse|dense MIB SEED OUT}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 4 || !(args[0].equals("sparse") || args[0].equals("dense")
                || args[0].equals("addresses"))) {
            System.err.println("usage: ImageGenerator sparse|dense|addresses MIB SEED OUT");
            System.exit(2);
        }
        if (args[0].equals("addresses")) {
            Files.writeString(Path.of(args[3]), addresses(Integer.parseInt(args[1]), Long.parseLong(args[2])));
            return;
        }
        byte[] image = generate(args[0].equals("dense"), Integer.parseInt(args[1]), Long.parseLong(args[2]));
        try (OutputStream out = Files.newOutputStream(Path.of(args[3]))) {
            out.write(image);
        }
    }

    /** The image of {@code mib} MiB ({@code 256·mib} slots). */
    public static byte[] generate(boolean dense, int mib, long seed) {
        return generate(dense, mib, seed, new java.util.ArrayList<>());
    }

    /** The addresses for {@code translate --batch} (see the class comment). */
    static String addresses(int mib, long seed) {
        java.util.List<Long> mapped = new java.util.ArrayList<>();
        generate(false, mib, seed, mapped);
        SplittableRandom random = new SplittableRandom(seed + 1);
        StringBuilder out = new StringBuilder("# translate --batch addresses for the sparse " + mib + " MiB image\n");
        for (int n = 0; n < 10_000; n++) {
            long va = n % 2 == 0 ? mapped.get(random.nextInt(mapped.size())) + random.nextInt(4096)
                    : random.nextLong(1L << 39);
            out.append("0x").append(Long.toHexString(va)).append('\n');
        }
        return out.toString();
    }

    /** The image, and in {@code mappedPages} the VA of every page it maps (sparse only). */
    private static byte[] generate(boolean dense, int mib, long seed, java.util.List<Long> mappedPages) {
        int slots = mib * 256;
        ByteBuffer b = ByteBuffer.allocate(slots * 4096).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom random = new SplittableRandom(seed);
        int level2 = (slots - 1 + 512) / 513; // 1 + level2 + level3 = slots, level3 <= 512 * level2
        for (int i = 0; i < 512; i++) {
            put(b, 0, i, i < level2 ? pa(1 + i) | TABLE : dense ? ((long) i << 30) | BLOCK : 0);
        }
        for (int j = 0; j < level2; j++) {
            for (int k = 0; k < 512; k++) {
                int child = 1 + level2 + j * 512 + k;
                long blockPa = 0x80_0000_0000L + ((long) j << 30) + ((long) k << 21);
                put(b, 1 + j, k, child < slots ? pa(child) | TABLE : dense ? blockPa | BLOCK : 0);
            }
        }
        for (int s = 1 + level2; s < slots; s++) {
            long pagesPa = 0x100_0000_0000L + ((long) s << 21);
            if (dense) {
                for (int k = 0; k < 512; k++) {
                    put(b, s, k, pagesPa + ((long) k << 12) | PAGE);
                }
            } else {
                for (int n = 0; n < 4; n++) {
                    int k = random.nextInt(512);
                    put(b, s, k, pagesPa + ((long) k << 12) | PAGE);
                    int parent = s - 1 - level2; // the level-2 entry pointing here: table parent / 512, index % 512
                    mappedPages.add(((long) (parent / 512) << 30) + ((long) (parent % 512) << 21) + ((long) k << 12));
                }
            }
        }
        return b.array();
    }

    private static long pa(int slot) {
        return PA_BASE + 4096L * slot;
    }

    private static void put(ByteBuffer b, int slot, int index, long descriptor) {
        b.putLong(slot * 4096 + index * 8, descriptor);
    }
}
