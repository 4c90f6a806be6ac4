package dev.pvmfw.oracle.rust;

import dev.pvmfw.testing.LiveOracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.bindings.v0_4_0.PvmfwPagingOracle040;
import dev.pvmfw.bindings.v0_4_0.PvpAction;
import dev.pvmfw.bindings.v0_4_0.PvpMapStep;
import dev.pvmfw.bindings.v0_4_0.PvpResult;
import dev.pvmfw.bindings.v0_4_0.PvpTraceEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The header, the committed bindings and the library must agree. Without the library: the header's hash is the one
 * the bindings were generated from, and every {@code #define} equals the bindings' constant. With it: ABI version,
 * crate versions, and every struct size and field offset.
 */
class OracleBindingsTest {
    static final Path HEADER = Path.of("native/aarch64-paging-0.4.0/include/pvmfw_paging_oracle_040.h");

    @Test
    void bindingsWereGeneratedFromTheCommittedHeader() throws Exception {
        String readme = Files.readString(Path.of("bindings/README.md"));
        Matcher m = Pattern.compile("sha256\\s+`([0-9a-f]{64})`").matcher(readme);
        assertTrue(m.find(), "bindings/README.md records the header's sha256");
        String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(HEADER)));
        assertEquals(m.group(1), actual, HEADER + " changed since the bindings were generated: regenerate them "
                + "(bindings/README.md)");
    }

    @Test
    void headerDefinesEqualTheBindingsConstants() throws Exception {
        Matcher m = Pattern.compile("#define (PVP_[A-Z0-9_]+) \\(?(-?\\d+)\\)?").matcher(Files.readString(HEADER));
        int checked = 0;
        while (m.find()) {
            Object value = PvmfwPagingOracle040.class.getMethod(m.group(1)).invoke(null);
            assertEquals(Long.parseLong(m.group(2)), ((Number) value).longValue(), m.group(1));
            checked++;
        }
        assertTrue(checked >= 30, "found " + checked + " #defines");
    }

    @Test
    void bindingLayoutsHaveTheCFieldOrder() {
        assertEquals(List.of(0L, 4L, 8L, 16L, 24L, 28L, 540L, 544L), List.of(PvpResult.code$offset(),
                PvpResult.kind$offset(), PvpResult.value0$offset(), PvpResult.value1$offset(),
                PvpResult.message_len$offset(), PvpResult.message$offset(), PvpResult.debug_len$offset(),
                PvpResult.debug$offset()));
        assertEquals(List.of(24L, 0L, 8L, 16L), List.of(PvpAction.sizeof(), PvpAction.kind$offset(),
                PvpAction.set$offset(), PvpAction.clear$offset()));
        assertEquals(40, PvpTraceEntry.sizeof());
        assertEquals(32, PvpMapStep.sizeof());
        assertEquals(List.of(24L, 0L, 8L, 16L), List.of(dev.pvmfw.bindings.v0_4_0.PvpHypCall.sizeof(),
                dev.pvmfw.bindings.v0_4_0.PvpHypCall.function_id$offset(), dev.pvmfw.bindings.v0_4_0.PvpHypCall.argument$offset(),
                dev.pvmfw.bindings.v0_4_0.PvpHypCall.x0$offset()));
    }

    /** The bindings' constants as the load-time check reads them: every #define of the header, nothing else. */
    @Test
    void bindingsConstantsAreTheHeadersDefines() throws Exception {
        Matcher m = Pattern.compile("#define (PVP_[A-Z0-9_]+) ").matcher(Files.readString(HEADER));
        java.util.Set<String> defines = new java.util.TreeSet<>();
        while (m.find()) {
            defines.add(m.group(1));
        }
        assertEquals(defines, AbiConstants.ofBindings(PvmfwPagingOracle040.class).keySet());
    }

    @Test
    void libraryAgreesWithTheBindings() {
        LiveOracle.require();
        assertEquals(List.of(), OracleLibrary.verify());
    }
}
