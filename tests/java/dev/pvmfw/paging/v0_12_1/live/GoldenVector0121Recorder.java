package dev.pvmfw.paging.v0_12_1.live;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pvmfw.bindings.v0_12_1.PvmfwPagingOracle0121;
import dev.pvmfw.bindings.v0_12_1.PvpUpdater;
import dev.pvmfw.bindings.v0_12_1.PvpVisitor;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Records the 0.12.1 golden vectors from the live crate: {@value Golden0121#SCENARIOS} scenarios of the live test's
 * generator, each as the oracle library produced it ({@link Transcript0121#rust}). Not a test (surefire's default
 * includes skip it); run on purpose, with the oracle built:
 * {@code ./mvnw -o -Poracle test -Dtest=GoldenVector0121Recorder -Dpvmfw.golden0121.record=FILE}
 * ({@link Golden0121#RECORD_COMMAND}). Without {@code pvmfw.golden0121.record} it does nothing.
 */
class GoldenVector0121Recorder {
    @Test
    void record() throws Exception {
        String file = System.getProperty("pvmfw.golden0121.record");
        assumeTrue(file != null && !file.isBlank(), "-Dpvmfw.golden0121.record=FILE not given");
        assumeFalse(Boolean.getBoolean("pvmfw.test.modulePath"), "recorded once, by the class-path run");
        Oracle0121 o = Oracle0121.get();
        assertNotNull(o, () -> "the 0.12.1 oracle is unavailable: " + Oracle0121.unavailable());
        Path out = Path.of(file);
        Files.createDirectories(out.toAbsolutePath().getParent());
        long steps = 0;
        try (Arena arena = Arena.ofConfined();
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(
                        new GZIPOutputStream(Files.newOutputStream(out)), StandardCharsets.UTF_8))) {
            MemorySegment updater = PvpUpdater.allocate(LiveDifferential0121Test::nativeUpdater, arena);
            MemorySegment visitor = PvpVisitor.allocate(LiveDifferential0121Test::nativeVisitor, arena);
            for (String line : Golden0121.header(Oracle0121.VERSIONS, PvmfwPagingOracle0121.PVP_ABI_VERSION())) {
                w.write(line);
                w.write('\n');
            }
            for (int i = 0; i < Golden0121.SCENARIOS; i++) {
                for (String line : Transcript0121.rust(o, Golden0121.FIRST_SEED + i, updater, visitor)) {
                    steps += line.startsWith("step ") ? 1 : 0;
                    w.write(line);
                    w.write('\n');
                }
            }
        }
        System.out.println("GoldenVector0121Recorder: " + Golden0121.SCENARIOS + " scenarios, " + steps + " steps -> "
                + out);
    }
}
