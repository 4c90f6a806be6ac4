package dev.pvmfw.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pvmfw.tool.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Page tables from a real machine (issue 12, {@code docs/real-dumps.md}): a guest of ours
 * ({@code tests/qemu/dump-guest.S}) builds stage-1 tables itself, scattered through 128 MiB of RAM, records
 * QEMU's own {@code AT S1E1R}/{@code AT S1E1W} answers (PAR_EL1) through semihosting and waits; QEMU's monitor
 * (HMP {@code dump-guest-memory}) writes the ELF core; {@code translate --ttbr0 ... --json} on that core must give,
 * for every address, the answer PAR_EL1 gave: the PA, the memory attribute and shareability of a translation, or the
 * fault's kind and level, for the read and for the write. The expected values come from QEMU, not from the tool.
 * Skipped with the reason without QEMU or binutils ({@link QemuTools}).
 */
class QemuDumpTest {
    private static final long MAGIC = 0x31504d5544524d50L;
    /** TCR_EL1.IPS to bits (Arm ARM D19.2, TCR_EL1). */
    private static final int[] IPS_BITS = {32, 36, 40, 42, 44, 48, 52};

    @Test
    void translateOnQemusDumpAgreesWithTheGuestsOwnParEl1() throws Exception {
        Path elf = QemuTools.program("dump-guest");
        Path dir = QemuTools.WORK.resolve("dump-" + ProcessHandle.current().pid());
        Files.createDirectories(dir);
        Path results = dir.resolve("results.bin");
        Path core = dir.resolve("core.elf");
        Path ram = dir.resolve("ram.bin");
        Files.deleteIfExists(results);
        Files.deleteIfExists(core);
        Process qemu = new ProcessBuilder(QemuTools.qemu().toString(), "-machine", "virt,virtualization=on",
                "-cpu", "max", "-m", "128M", "-display", "none", "-serial", "none", "-monitor", "stdio",
                "-semihosting", "-kernel", elf.toAbsolutePath().toString())
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("monitor.txt").toFile()).start();
        try {
            byte[] bytes = awaitResults(qemu, results);
            try (OutputStream monitor = qemu.getOutputStream()) {
                monitor.write(("stop\ndump-guest-memory " + core.toAbsolutePath() + "\nquit\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            if (!qemu.waitFor(120, TimeUnit.SECONDS)) {
                fail("QEMU did not quit in 120 s after dump-guest-memory: "
                        + Files.readString(dir.resolve("monitor.txt")));
            }
            assertTrue(Files.isRegularFile(core) && Files.size(core) > 128L << 20,
                    () -> "no core written: " + readQuietly(dir.resolve("monitor.txt")));
            compare(bytes, core, List.of());
            // the same memory as a raw RAM file: the core's PT_LOAD copied out by this test, read with --ram-base
            long ramPa = extractRam(core, ram);
            compare(bytes, ram, List.of("--ram-base", "0x" + Long.toHexString(ramPa)));
        } finally {
            qemu.destroyForcibly();
            for (Path f : List.of(results, core, ram, dir.resolve("monitor.txt"))) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Waits for the guest's results file to be complete (its header says how long). */
    private static byte[] awaitResults(Process qemu, Path results) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!qemu.isAlive()) {
                fail("QEMU exited " + qemu.exitValue() + " before the guest wrote its results");
            }
            if (Files.exists(results) && Files.size(results) >= 32) {
                byte[] b = Files.readAllBytes(results);
                ByteBuffer r = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(MAGIC, r.getLong(0), "results magic");
                if (b.length == 32 + 24 * r.getLong(8)) {
                    return b;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the guest wrote no complete results in 120 s");
    }

    /** Copies the core's one PT_LOAD (QEMU's 128 MiB of RAM) to {@code ram}; returns its p_paddr. */
    private static long extractRam(Path core, Path ram) throws IOException {
        try (FileChannel in = FileChannel.open(core); FileChannel out = FileChannel.open(ram,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer h = ByteBuffer.allocate(64 + 56 * 8).order(ByteOrder.LITTLE_ENDIAN);
            in.read(h, 0);
            int phoff = (int) h.getLong(32);
            int phnum = h.getShort(56);
            for (int i = 0; i < phnum && phoff + 56 * i + 56 <= h.capacity(); i++) {
                int ph = phoff + 56 * i;
                if (h.getInt(ph) == 1) {
                    long offset = h.getLong(ph + 8);
                    long size = h.getLong(ph + 32);
                    for (long done = 0; done < size; ) {
                        done += in.transferTo(offset + done, size - done, out);
                    }
                    return h.getLong(ph + 24);
                }
            }
        }
        throw new AssertionError("no PT_LOAD in QEMU's core");
    }

    private static void compare(byte[] bytes, Path core, List<String> more) {
        ByteBuffer r = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) r.getLong(8);
        long ttbr0 = r.getLong(16);
        long tcr = r.getLong(24);
        int t0sz = (int) (tcr & 0x3f);
        int outputBits = IPS_BITS[(int) (tcr >>> 32) & 7];
        List<String> disagreements = new ArrayList<>();
        TreeMap<String, Integer> classes = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < n; i++) {
            long va = r.getLong(32 + 24 * i);
            long parRead = r.getLong(40 + 24 * i);
            long parWrite = r.getLong(48 + 24 * i);
            List<String> command = new ArrayList<>(List.of("translate", "0x" + Long.toHexString(va), core.toString(),
                    "--ttbr0", "0x" + Long.toHexString(ttbr0), "--t0sz", Integer.toString(t0sz), "--output-bits",
                    Integer.toString(outputBits), "--cpu", "qemu-max", "--machine", "qemu-virt:128", "--json"));
            command.addAll(more);
            String[] args = command.toArray(String[]::new);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertTrue(status == 0 || status == 1, () -> String.join(" ", args) + ": " + err);
            JsonNode doc = json.readTree(out.toString(StandardCharsets.UTF_8));
            String read = toolOutcome(doc, "read");
            String write = toolOutcome(doc, "write");
            String qemuRead = parOutcome(parRead, va);
            String qemuWrite = parOutcome(parWrite, va);
            classes.merge(qemuRead, 1, Integer::sum);
            if (!read.equals(qemuRead) || !write.equals(qemuWrite)) {
                disagreements.add(String.format("VA 0x%x: QEMU read %s write %s; tool read %s write %s", va,
                        qemuRead, qemuWrite, read, write));
                continue;
            }
            if ((parRead & 1) == 0) {
                JsonNode leaf = doc.get("steps").get(doc.get("steps").size() - 1);
                long d = Long.parseUnsignedLong(leaf.get("raw").asString().substring(2), 16);
                int attr = (int) (0xff04L >>> (8 * ((d >>> 2) & 7))) & 0xff;
                boolean device = (attr & 0xf0) == 0;
                if ((parRead >>> 56) != attr || (!device && ((parRead >>> 7) & 3) != ((d >>> 8) & 3))) {
                    disagreements.add(String.format("VA 0x%x: PAR 0x%x, the tool's leaf 0x%x (attribute 0x%x)",
                            va, parRead, d, attr));
                }
            }
        }
        System.err.printf("pvmfw-paging: real QEMU dump (%s): %d addresses, %d disagreements; QEMU's answers %s%n",
                more.isEmpty() ? "ELF core" : "raw RAM", n, disagreements.size(), classes);
        assertEquals(18, n, "the guest's address count");
        assertTrue(classes.size() >= 5, () -> "too few kinds of answer to mean much: " + classes);
        assertEquals(List.of(), disagreements);
    }

    /** PAR_EL1 as "pa 0x..." or "kind@level" (FST is a DFSC, Arm ARM D19.2 PAR_EL1). */
    static String parOutcome(long par, long va) {
        if ((par & 1) == 0) {
            return String.format("pa 0x%x", (par & 0x0000_ffff_ffff_f000L) | (va & 0xfff));
        }
        int fst = (int) (par >>> 1) & 0x3f;
        String kind = switch (fst >>> 2) {
            case 0 -> "address_size";
            case 1 -> "translation";
            case 2 -> "access_flag";
            case 3 -> "permission";
            case 5 -> "external_abort_on_walk";
            default -> "fst 0x" + Integer.toHexString(fst);
        };
        return kind + "@" + (fst & 3);
    }

    /**
     * The tool's answer in the same words: the walk's fault, else the access's fault, else the PA. An external
     * abort on the access itself (nothing behind the PA) is what AT does not see: AT translates without accessing.
     */
    static String toolOutcome(JsonNode doc, String access) {
        JsonNode fault = doc.get("fault");
        if (fault != null) {
            return fault.get("kind").asString() + "@" + fault.get("level").asInt();
        }
        JsonNode a = doc.get("access").get(access);
        if (!a.get("ok").asBoolean() && !a.get("kind").asString().equals("external_abort")) {
            return a.get("kind").asString() + "@" + a.get("level").asInt();
        }
        return "pa " + doc.get("translated").get("pa").asString().toLowerCase(Locale.ROOT);
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
