package dev.pvmfw.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One boot of QEMU running the program on a batch of jobs: {@code qemu-system-aarch64 -machine virt,
 * virtualization=on -cpu CPU -m 1G -nographic -semihosting}, the batch staged at 0x6000_0000 with QEMU's generic
 * loader (not at the start of RAM, where QEMU puts the DTB), the results read back from the file the program
 * writes through semihosting.
 *
 * @param mmfr0 ID_AA64MMFR0_EL1 as the program read it (likewise mmfr1, mmfr2)
 * @param harnessTable the PA of the program's own level-1 table (TTBR1 of the EL1 phase)
 * @param at per job, 4 words per address (see {@code mmu-oracle.S})
 * @param real per job, 8 words per address, or an empty array
 */
record OracleRun(String cpu, long mmfr0, long mmfr1, long mmfr2, long ldrPa, long strPa, long harnessTable,
        List<long[]> at, List<long[]> real, long millis) {

    static final long MAGIC_BATCH = 0x3148435441424d50L;
    static final long MAGIC_RESULTS = 0x3153455254524d50L;
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** An ESR word recorded with bit 63 set: the exception was taken. */
    static boolean taken(long word) {
        return word < 0;
    }

    /**
     * Boots QEMU on {@code jobs} with {@code -cpu cpu}.
     *
     * @throws AssertionError if QEMU or the program fails (the program's fatal-exception registers in the message)
     */
    static OracleRun run(Path elf, String cpu, List<OracleJob> jobs) throws IOException, InterruptedException {
        Path dir = QemuTools.WORK.resolve("run-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet());
        Files.createDirectories(dir);
        Path batch = dir.resolve("batch.bin");
        Files.write(batch, encode(jobs));
        Path results = dir.resolve("results.bin");
        Files.deleteIfExists(results);
        List<String> command = List.of(QemuTools.qemu().toString(), "-machine", "virt,virtualization=on",
                "-cpu", cpu, "-m", "1G", "-nographic", "-semihosting", "-kernel", elf.toAbsolutePath().toString(),
                "-device", "loader,file=" + batch.toAbsolutePath() + ",addr=0x" + Long.toHexString(OracleJob.BATCH_PA)
                        + ",force-raw=on");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(new File("/dev/null")).redirectOutput(dir.resolve("console.txt").toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("QEMU did not finish in 300 s: " + String.join(" ", command));
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        String console = Files.readString(dir.resolve("console.txt"), StandardCharsets.UTF_8);
        if (!Files.exists(results)) {
            throw new AssertionError("QEMU exited " + p.exitValue() + " without results: " + console.strip());
        }
        ByteBuffer r = ByteBuffer.wrap(Files.readAllBytes(results)).order(ByteOrder.LITTLE_ENDIAN);
        if (r.getLong(0) != MAGIC_RESULTS) {
            throw new AssertionError("bad results magic 0x" + Long.toHexString(r.getLong(0)));
        }
        long status = r.getLong(8);
        if (status != 0 || p.exitValue() != 0) {
            throw new AssertionError("the QEMU program failed: exit " + p.exitValue() + ", status 0x"
                    + Long.toHexString(status) + ", ESR 0x" + Long.toHexString(r.getLong(72)) + ", ELR 0x"
                    + Long.toHexString(r.getLong(80)) + ", FAR 0x" + Long.toHexString(r.getLong(88)) + "; "
                    + console.strip());
        }
        int pos = 128;
        List<long[]> at = new ArrayList<>();
        List<long[]> real = new ArrayList<>();
        for (OracleJob job : jobs) {
            int n = job.addresses().size();
            long[] a = new long[4 * n];
            for (int i = 0; i < a.length; i++, pos += 8) {
                a[i] = r.getLong(pos);
            }
            at.add(a);
            long[] e = new long[job.real() ? 8 * n : 0];
            for (int i = 0; i < e.length; i++, pos += 8) {
                e[i] = r.getLong(pos);
            }
            real.add(e);
        }
        if (pos != r.limit()) {
            throw new AssertionError("results of " + r.limit() + " bytes, expected " + pos);
        }
        deleteRun(dir);
        return new OracleRun(cpu, r.getLong(40), r.getLong(48), r.getLong(56), r.getLong(16), r.getLong(24),
                r.getLong(32), at, real, millis);
    }

    private static void deleteRun(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    /** The batch's bytes (layout: {@code mmu-oracle.S}). */
    static byte[] encode(List<OracleJob> jobs) {
        int header = 64;
        int jobBytes = 256;
        long size = header + (long) jobBytes * jobs.size();
        for (OracleJob j : jobs) {
            size += j.image().length + 16 + 8L * j.addresses().size() + 16
                    + 16L * (j.readWindows().size() + j.writeWindows().size()) + 32;
        }
        if (size > 0x1000_0000L) {
            throw new IllegalArgumentException("a batch of " + size + " bytes does not fit 256 MiB");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, MAGIC_BATCH).putLong(8, 1).putLong(16, jobs.size()).putLong(32, header);
        b.position(header + jobBytes * jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            OracleJob j = jobs.get(i);
            long imageOffset = align(b);
            b.put(j.image());
            long addrOffset = align(b);
            for (long a : j.addresses()) {
                b.putLong(a);
            }
            long readOffset = align(b);
            for (long[] w : j.readWindows()) {
                b.putLong(w[0]).putLong(w[1]);
            }
            long writeOffset = align(b);
            for (long[] w : j.writeWindows()) {
                b.putLong(w[0]).putLong(w[1]);
            }
            long[] words = {(1 | (j.real() ? 2 : 0)), imageOffset, j.image().length, j.imagePa(), j.tcr(), j.ttbr0(),
                    j.ttbr1(), j.mair(), j.sctlr(), addrOffset, j.addresses().size(), j.realTcr(), j.realTtbr0(), 0,
                    OracleJob.HARNESS_OFFSET, readOffset, j.readWindows().size(), writeOffset,
                    j.writeWindows().size()};
            for (int w = 0; w < words.length; w++) {
                b.putLong(header + jobBytes * i + 8 * w, words[w]);
            }
        }
        byte[] out = new byte[align(b)];
        b.get(0, out);
        return out;
    }

    private static int align(ByteBuffer b) {
        while (b.position() % 16 != 0) {
            b.put((byte) 0);
        }
        return b.position();
    }
}
