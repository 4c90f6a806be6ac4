package dev.pvmfw.paging.v0_12_1.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pvmfw.bindings.v0_12_1.PvmfwPagingOracle0121;
import dev.pvmfw.oracle.rust.AbiConstants;
import dev.pvmfw.oracle.rust.v0_12_1.OracleLibrary0121;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The 0.12.1 header, its committed jextract bindings ({@code bindings/aarch64-paging-0.12.1}) and, when built, the
 * library agree. Without the library: the header's hash is the one {@code bindings/README.md} records for 0.12.1, and
 * every {@code #define} is a constant of the bindings (and nothing else is). With it: the main loader's {@link OracleLibrary0121#verify}.
 */
class Bindings0121Test {
    static final Path HEADER = Path.of("native/aarch64-paging-0.12.1/include/pvmfw_paging_oracle_0121.h");

    @Test
    void bindingsWereGeneratedFromTheCommittedHeader() throws Exception {
        String readme = Files.readString(Path.of("bindings/README.md"));
        Matcher m = Pattern.compile("`aarch64-paging-0\\.12\\.1/`: from the header[^`]*sha256\\s+`([0-9a-f]{64})`")
                .matcher(readme);
        assertTrue(m.find(), "bindings/README.md records the 0.12.1 header's sha256");
        String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(HEADER)));
        assertEquals(m.group(1), actual, HEADER + " changed since the bindings were generated: regenerate them "
                + "(bindings/README.md)");
    }

    @Test
    void bindingsConstantsAreTheHeadersDefines() throws Exception {
        Matcher m = Pattern.compile("#define (PVP_[A-Z0-9_]+) ").matcher(Files.readString(HEADER));
        Set<String> defines = new TreeSet<>();
        while (m.find()) {
            defines.add(m.group(1));
        }
        assertEquals(defines, AbiConstants.ofBindings(PvmfwPagingOracle0121.class).keySet());
        assertEquals(4, PvmfwPagingOracle0121.PVP_ABI_VERSION(), "ABI 4: pvmfw's entry and console unmap added (ABI 3: its trackers)");
    }

    @Test
    void libraryAgreesWithTheBindings() {
        Oracle0121 o = Oracle0121.get();
        if (o == null && Boolean.getBoolean("pvmfw.oracle.required")) {
            throw new AssertionError("the 0.12.1 oracle is required (-Poracle) but unavailable: "
                    + Oracle0121.unavailable());
        }
        assumeTrue(o != null, () -> "0.12.1 oracle unavailable: " + Oracle0121.unavailable());
        assertEquals(List.of(), OracleLibrary0121.verify());
    }
}
