package dev.pvmfw.oracle.rust.v0_12_1;

import static dev.pvmfw.bindings.v0_12_1.PvmfwPagingOracle0121.*;

import dev.pvmfw.bindings.v0_12_1.PvmfwPagingOracle0121;
import dev.pvmfw.bindings.v0_12_1.PvpAction;
import dev.pvmfw.bindings.v0_12_1.PvpHypCall;
import dev.pvmfw.bindings.v0_12_1.PvpResult;
import dev.pvmfw.bindings.v0_12_1.PvpTraceEntry;
import dev.pvmfw.oracle.rust.AbiConstants;
import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.paging.v0_12_1.profile.Profile0121;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Finds, loads and verifies the Rust oracle of aarch64-paging 0.12.1 ({@code libpvmfw_paging_oracle_0121.so}, built
 * from {@code native/aarch64-paging-0.12.1} by {@code ./mvnw -Poracle test}). Verification: the ABI version, every
 * {@code PVP_*} code both ways (the layout keys are asked one by one through {@code pvp0121_layout}), the crate
 * versions the library reports against the profile's ({@code aarch64-paging 0.12.1 + bitflags 2.11.0 + thiserror
 * 2.0.18}), and every struct size and field offset the bindings use.
 *
 * <p>The library's path comes from the system property {@value #PROPERTY}. Loading happens once per JVM.
 */
public final class OracleLibrary0121 {
    /** System property naming the library file. */
    public static final String PROPERTY = "pvmfw.oracle.lib.0.12.1";
    /** How to get the library, for skip messages. */
    public static final String HOW_TO_BUILD = "build it with ./mvnw -Poracle test (needs crates.io for "
            + Profile0121.INSTANCE.describe() + ")";

    private static Availability availability;

    private OracleLibrary0121() {}

    /**
     * Whether the oracle can be used, and if not why.
     *
     * @param available whether the library is loaded and verified
     * @param reason why not; when available, the oracle's crate versions, ABI version and file
     */
    public record Availability(boolean available, String reason) {}

    /** Loads (once) and verifies the library named by {@value #PROPERTY}. Never throws. */
    public static synchronized Availability availability() {
        if (availability == null) {
            availability = probe();
        }
        return availability;
    }

    /** The library is loaded and verified. @throws OracleUnavailableException if not, saying why */
    public static void require() throws OracleUnavailableException {
        Availability a = availability();
        if (!a.available()) {
            throw new OracleUnavailableException(a.reason());
        }
    }

    /** {@code # oracle …} header text of golden vectors recorded with this library. */
    public static String describe() {
        return Profile0121.INSTANCE.describe() + " (ABI " + PVP_ABI_VERSION() + ")";
    }

    private static Availability probe() {
        String property = System.getProperty(PROPERTY);
        if (property == null || property.isBlank()) {
            return new Availability(false, "no 0.12.1 oracle library configured (-D" + PROPERTY + "=…); "
                    + HOW_TO_BUILD);
        }
        Path library = Path.of(property);
        if (!Files.isRegularFile(library)) {
            return new Availability(false, "no 0.12.1 oracle library at " + library + "; " + HOW_TO_BUILD);
        }
        try {
            NativeAccess0121.load(library);
            List<String> problems = verify();
            if (!problems.isEmpty()) {
                return new Availability(false, "the 0.12.1 oracle library at " + library + " does not match its "
                        + "bindings: " + String.join("; ", problems));
            }
            return new Availability(true, "oracle " + versions() + " (ABI " + PVP_ABI_VERSION() + ") at " + library);
        } catch (OracleUnavailableException e) {
            return new Availability(false, e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return new Availability(false, "the 0.12.1 oracle library at " + library + " is unusable: " + e);
        }
    }

    /** The crate versions the library was built with, as cargo resolved them. */
    static String versions() {
        return text("versions", PvmfwPagingOracle0121::pvp0121_versions);
    }

    private static String text(String what, BiFunction<MemorySegment, Long, Long> f) {
        try (Arena arena = Arena.ofConfined()) {
            long cap = 4096;
            MemorySegment buf = arena.allocate(cap);
            long len = Calls.call(what, () -> f.apply(buf, cap));
            MemorySegment all = buf;
            if (len > cap) {
                MemorySegment big = arena.allocate(len);
                Calls.call(what, () -> f.apply(big, len));
                all = big;
            }
            return new String(all.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    /**
     * Every disagreement between the header the bindings came from, the bindings' layouts and the loaded library;
     * empty when they agree.
     */
    public static List<String> verify() {
        List<String> problems = new ArrayList<>();
        int abi = Calls.callInt("abi_version", PvmfwPagingOracle0121::pvp0121_abi_version);
        if (abi != PVP_ABI_VERSION()) {
            problems.add("ABI version " + abi + ", bindings expect " + PVP_ABI_VERSION());
        }
        // pvp0121_constants lists the codes, not the PVP_LAYOUT_* keys, which are asked below.
        Map<String, Long> bindings = AbiConstants.ofBindings(PvmfwPagingOracle0121.class);
        bindings.keySet().removeIf(n -> n.startsWith("PVP_LAYOUT_"));
        problems.addAll(AbiConstants.compare(bindings, AbiConstants.parse(text("constants",
                PvmfwPagingOracle0121::pvp0121_constants))));
        String versions = versions();
        if (!versions.equals(Profile0121.INSTANCE.describe())) {
            problems.add("library links " + versions + ", this profile is " + Profile0121.INSTANCE.describe());
        }
        check(problems, "sizeof(PvpResult)", PVP_LAYOUT_RESULT_SIZE(), PvpResult.sizeof());
        check(problems, "PvpResult.code", PVP_LAYOUT_RESULT_CODE(), PvpResult.code$offset());
        check(problems, "PvpResult.kind", PVP_LAYOUT_RESULT_KIND(), PvpResult.kind$offset());
        check(problems, "PvpResult.value0", PVP_LAYOUT_RESULT_VALUE0(), PvpResult.value0$offset());
        check(problems, "PvpResult.value1", PVP_LAYOUT_RESULT_VALUE1(), PvpResult.value1$offset());
        check(problems, "PvpResult.message_len", PVP_LAYOUT_RESULT_MESSAGE_LEN(), PvpResult.message_len$offset());
        check(problems, "PvpResult.message", PVP_LAYOUT_RESULT_MESSAGE(), PvpResult.message$offset());
        check(problems, "PvpResult.debug_len", PVP_LAYOUT_RESULT_DEBUG_LEN(), PvpResult.debug_len$offset());
        check(problems, "PvpResult.debug", PVP_LAYOUT_RESULT_DEBUG(), PvpResult.debug$offset());
        check(problems, "sizeof(PvpTraceEntry)", PVP_LAYOUT_TRACE_SIZE(), PvpTraceEntry.sizeof());
        check(problems, "PvpTraceEntry.start", PVP_LAYOUT_TRACE_START(), PvpTraceEntry.start$offset());
        check(problems, "PvpTraceEntry.end", PVP_LAYOUT_TRACE_END(), PvpTraceEntry.end$offset());
        check(problems, "PvpTraceEntry.level", PVP_LAYOUT_TRACE_LEVEL(), PvpTraceEntry.level$offset());
        check(problems, "PvpTraceEntry.applied", PVP_LAYOUT_TRACE_APPLIED(), PvpTraceEntry.applied$offset());
        check(problems, "PvpTraceEntry.before", PVP_LAYOUT_TRACE_BEFORE(), PvpTraceEntry.before$offset());
        check(problems, "PvpTraceEntry.after", PVP_LAYOUT_TRACE_AFTER(), PvpTraceEntry.after$offset());
        check(problems, "PvpTraceEntry.result", PVP_LAYOUT_TRACE_RESULT(), PvpTraceEntry.result$offset());
        check(problems, "PvpTraceEntry.updated", PVP_LAYOUT_TRACE_UPDATED(), PvpTraceEntry.updated$offset());
        check(problems, "sizeof(PvpAction)", PVP_LAYOUT_ACTION_SIZE(), PvpAction.sizeof());
        check(problems, "PvpAction.kind", PVP_LAYOUT_ACTION_KIND(), PvpAction.kind$offset());
        check(problems, "PvpAction.arg0", PVP_LAYOUT_ACTION_ARG0(), PvpAction.arg0$offset());
        check(problems, "PvpAction.arg1", PVP_LAYOUT_ACTION_ARG1(), PvpAction.arg1$offset());
        check(problems, "sizeof(PvpHypCall)", PVP_LAYOUT_HYP_CALL_SIZE(), PvpHypCall.sizeof());
        check(problems, "PvpHypCall.function_id", PVP_LAYOUT_HYP_CALL_FUNCTION_ID(), PvpHypCall.function_id$offset());
        check(problems, "PvpHypCall.argument", PVP_LAYOUT_HYP_CALL_ARGUMENT(), PvpHypCall.argument$offset());
        check(problems, "PvpHypCall.x0", PVP_LAYOUT_HYP_CALL_X0(), PvpHypCall.x0$offset());
        return problems;
    }

    private static void check(List<String> problems, String what, int key, long bindings) {
        long library = Calls.call("layout", () -> pvp0121_layout(key));
        if (library != bindings) {
            problems.add(what + ": library " + library + ", bindings " + bindings);
        }
    }
}
