package dev.pvmfw.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tools the QEMU oracle needs, found on PATH: {@code qemu-system-aarch64} (Debian: qemu-system-arm) and
 * {@code aarch64-linux-gnu-as}/{@code -ld} (binutils-aarch64-linux-gnu). Without them the QEMU tests are skipped
 * with the reason, unless {@code -Dpvmfw.qemu.required=true} (what {@code .ci/run} sets), which makes it a failure.
 * The program ({@code tests/qemu/mmu-oracle.S}) is assembled once per JVM into {@code target/qemu-oracle/}.
 */
final class QemuTools {
    static final Path SOURCE = Path.of("tests/qemu/mmu-oracle.S");
    static final Path LINKER_SCRIPT = Path.of("tests/qemu/mmu-oracle.ld");
    static final Path WORK = Path.of("target/qemu-oracle");

    private static Path elf;
    private static String unavailable;
    private static boolean told;

    private QemuTools() {}

    /** The assembled program, or a skip (a failure with pvmfw.qemu.required) naming what is missing. */
    static synchronized Path program() {
        if (elf == null && unavailable == null) {
            try {
                elf = assemble();
            } catch (IOException | InterruptedException e) {
                fail("cannot assemble " + SOURCE + ": " + e.getMessage()); // the tools are there: a real failure
            } catch (Unavailable u) {
                unavailable = u.getMessage();
            }
        }
        if (unavailable != null) {
            if (!told) {
                told = true;
                System.err.println("pvmfw-paging: QEMU cross-check skipped: " + unavailable);
            }
            if (Boolean.getBoolean("pvmfw.qemu.required")) {
                fail("the QEMU oracle is required (-Dpvmfw.qemu.required=true) but unavailable: " + unavailable);
            }
            assumeTrue(false, () -> "QEMU cross-check skipped: " + unavailable);
        }
        return elf;
    }

    /**
     * The sibling program {@code tests/qemu/NAME.S} (linked with {@code NAME.ld}), assembled once per JVM, or the
     * same skip as {@link #program()} when the tools are missing.
     */
    static synchronized Path program(String name) {
        program(); // the skip (or failure) when the tools are missing
        Path out = WORK.resolve(name + ".elf");
        if (!Files.exists(out)) {
            try {
                Path as = onPath("aarch64-linux-gnu-as").orElseThrow();
                Path ld = onPath("aarch64-linux-gnu-ld").orElseThrow();
                Path object = WORK.resolve(name + ".o");
                run(List.of(as.toString(), "-o", object.toString(), "tests/qemu/" + name + ".S"));
                run(List.of(ld.toString(), "-T", "tests/qemu/" + name + ".ld", "-o", out.toString(),
                        object.toString()));
            } catch (IOException | InterruptedException | Unavailable e) {
                fail("cannot assemble tests/qemu/" + name + ".S: " + e.getMessage());
            }
        }
        return out;
    }

    /** The executable {@code name} on PATH. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static Path qemu() {
        return onPath("qemu-system-aarch64").orElseThrow();
    }

    private static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private static Path assemble() throws IOException, InterruptedException, Unavailable {
        Path as = onPath("aarch64-linux-gnu-as").orElseThrow(() -> new Unavailable(
                "no aarch64-linux-gnu-as on PATH (Debian: apt-get install binutils-aarch64-linux-gnu)"));
        Path ld = onPath("aarch64-linux-gnu-ld").orElseThrow(() -> new Unavailable(
                "no aarch64-linux-gnu-ld on PATH (Debian: apt-get install binutils-aarch64-linux-gnu)"));
        if (onPath("qemu-system-aarch64").isEmpty()) {
            throw new Unavailable("no qemu-system-aarch64 on PATH (Debian: apt-get install qemu-system-arm)");
        }
        Files.createDirectories(WORK);
        Path object = WORK.resolve("mmu-oracle.o");
        Path out = WORK.resolve("mmu-oracle.elf");
        run(List.of(as.toString(), "-o", object.toString(), SOURCE.toString()));
        run(List.of(ld.toString(), "-T", LINKER_SCRIPT.toString(), "-o", out.toString(), object.toString()));
        return out;
    }

    private static void run(List<String> command) throws IOException, InterruptedException, Unavailable {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new Unavailable(command.getFirst() + " did not finish in 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): "
                    + new String(output, StandardCharsets.UTF_8).strip());
        }
    }
}
