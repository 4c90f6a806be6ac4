package dev.pvmfw.tool;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run of the launcher's ahead-of-time cache ({@code java/dist/bin/pvmfw-paging}): the image commands once
 * each, in process, on a two-table image of its own in a temporary folder, output discarded, so that the JVM records
 * the classes they load and how their methods run ({@code -XX:AOTCacheOutput}, JDK 25) and later starts each command
 * from that record. Not a command: the launcher runs it in the background when it has no cache for the distribution.
 */
public final class AotTraining {
    private AotTraining() {}

    /**
     * Runs the commands; exit status 0, or 1 if the temporary files cannot be written.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Logging.defaults();
        PrintStream none = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        try {
            Path dir = Files.createTempDirectory("pvmfw-paging-aot");
            try {
                Path image = dir.resolve("t.img");
                Path batch = dir.resolve("va.txt");
                Files.write(image, image());
                Files.writeString(batch, "# training\n0x1000\n0x200000\n0x40000000\n");
                String img = image.toString();
                String[][] runs = {{"check", img}, {"check", "--json", img}, {"dump", img},
                    {"dump", "--format", "tree", img}, {"dump", "--format", "json", img},
                    {"dump", "--format", "svg", img}, {"diff", img, img}, {"diff", "--json", img, img},
                    {"translate", "0x1000", img}, {"translate", "--json", "0x1000", img},
                    {"translate", "--batch", batch.toString(), img}, {"decode", "0x40000000000703"}, {"--version"}};
                for (String[] run : runs) {
                    Main.run(run, none, none);
                }
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            System.exit(Main.FINDINGS);
        }
        System.exit(Main.OK);
    }

    /**
     * Root level 1 at the default PA base: entry 0 a table (slot 1), whose entry 0 is a page table (slot 2, one page)
     * and entry 1 a 2 MiB block.
     */
    private static byte[] image() {
        long base = 0x4000_0000L;
        ByteBuffer b = ByteBuffer.allocate(3 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, base + 0x1000 | 0b11);
        b.putLong(4096, base + 0x2000 | 0b11);
        b.putLong(4096 + 8, 0x0060_0000_0020_0705L);
        b.putLong(2 * 4096 + 8, 0x0060_0000_0000_1707L);
        return b.array();
    }
}
