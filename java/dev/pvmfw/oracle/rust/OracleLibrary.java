package dev.pvmfw.oracle.rust;

import static dev.pvmfw.bindings.v0_4_0.PvmfwPagingOracle040.*;

import dev.pvmfw.bindings.v0_4_0.PvmfwPagingOracle040;
import dev.pvmfw.bindings.v0_4_0.PvpAction;
import dev.pvmfw.bindings.v0_4_0.PvpHypCall;
import dev.pvmfw.bindings.v0_4_0.PvpMapStep;
import dev.pvmfw.bindings.v0_4_0.PvpResult;
import dev.pvmfw.bindings.v0_4_0.PvpTraceEntry;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds, loads and verifies the Rust oracle of aarch64-paging 0.4.0 ({@code libpvmfw_paging_oracle_040.so}, built
 * from {@code native/aarch64-paging-0.4.0} by {@code ./mvnw -Poracle test}). Verification: the ABI version the
 * bindings were generated for equals the library's; every {@code PVP_*} constant of the bindings equals the library's,
 * and the library has no other; the crate versions the library reports ({@code pvp040_versions}: those cargo resolved
 * for its build, which its build script read from {@code Cargo.lock} and checked against the pins) are the profile's;
 * every struct size and field offset the bindings use equals what the compiled library reports.
 *
 * <p>The library's path comes from the system property {@value #PROPERTY}. Loading happens once per JVM.
 */
public final class OracleLibrary {
    /** System property naming the library file. */
    public static final String PROPERTY = "pvmfw.oracle.lib.0.4.0";
    /** How to get the library, for skip messages. */
    public static final String HOW_TO_BUILD = "build it with ./mvnw -Poracle test (needs crates.io for "
            + Profile040.INSTANCE.describe() + ")";

    private static Availability availability;

    private OracleLibrary() {}

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

    private static Availability probe() {
        String property = System.getProperty(PROPERTY);
        if (property == null || property.isBlank()) {
            return new Availability(false, "no oracle library configured (-D" + PROPERTY + "=…); " + HOW_TO_BUILD);
        }
        Path library = Path.of(property);
        if (!Files.isRegularFile(library)) {
            return new Availability(false, "no oracle library at " + library + "; " + HOW_TO_BUILD);
        }
        try {
            NativeAccess.load(library);
            List<String> problems = verify();
            if (!problems.isEmpty()) {
                return new Availability(false, "the oracle library at " + library + " does not match its bindings: "
                        + String.join("; ", problems));
            }
            return new Availability(true, "oracle " + versions() + " (ABI " + pvp040_abi_version() + ") at " + library);
        } catch (OracleUnavailableException e) {
            return new Availability(false, e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return new Availability(false, "the oracle library at " + library + " is unusable: " + e);
        }
    }

    /**
     * The crate versions the library was built with, as cargo resolved them, e.g.
     * {@code aarch64-paging 0.4.0 + bitflags 2.0.2}.
     */
    static String versions() {
        return text(PvmfwPagingOracle040::pvp040_versions);
    }

    /** A text the library writes with {@code f(buf, cap) -> full length}. */
    private static String text(java.util.function.BiFunction<MemorySegment, Long, Long> f) {
        try (Arena arena = Arena.ofConfined()) {
            long cap = 4096;
            MemorySegment buf = arena.allocate(cap);
            long len = f.apply(buf, cap);
            if (len > cap) {
                buf = arena.allocate(len);
                f.apply(buf, len);
            }
            return new String(buf.asSlice(0, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8);
        }
    }

    /**
     * Every disagreement between the header the bindings came from, the bindings' layouts and the compiled library.
     * Empty when they agree.
     */
    public static List<String> verify() {
        List<String> problems = new ArrayList<>();
        if (pvp040_abi_version() != PvmfwPagingOracle040.PVP_ABI_VERSION()) {
            problems.add("ABI version " + pvp040_abi_version() + ", bindings expect " + PVP_ABI_VERSION());
        }
        problems.addAll(AbiConstants.compare(AbiConstants.ofBindings(PvmfwPagingOracle040.class),
                AbiConstants.parse(text(PvmfwPagingOracle040::pvp040_constants))));
        String versions = versions();
        if (!versions.equals(Profile040.INSTANCE.describe())) {
            problems.add("library links " + versions + ", this profile is " + Profile040.INSTANCE.describe());
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
        check(problems, "sizeof(PvpAction)", PVP_LAYOUT_ACTION_SIZE(), PvpAction.sizeof());
        check(problems, "PvpAction.kind", PVP_LAYOUT_ACTION_KIND(), PvpAction.kind$offset());
        check(problems, "PvpAction.set", PVP_LAYOUT_ACTION_SET(), PvpAction.set$offset());
        check(problems, "PvpAction.clear", PVP_LAYOUT_ACTION_CLEAR(), PvpAction.clear$offset());
        check(problems, "sizeof(PvpTraceEntry)", PVP_LAYOUT_TRACE_SIZE(), PvpTraceEntry.sizeof());
        check(problems, "PvpTraceEntry.start", PVP_LAYOUT_TRACE_START(), PvpTraceEntry.start$offset());
        check(problems, "PvpTraceEntry.end", PVP_LAYOUT_TRACE_END(), PvpTraceEntry.end$offset());
        check(problems, "PvpTraceEntry.level", PVP_LAYOUT_TRACE_LEVEL(), PvpTraceEntry.level$offset());
        check(problems, "PvpTraceEntry.before", PVP_LAYOUT_TRACE_BEFORE(), PvpTraceEntry.before$offset());
        check(problems, "PvpTraceEntry.after", PVP_LAYOUT_TRACE_AFTER(), PvpTraceEntry.after$offset());
        check(problems, "sizeof(PvpMapStep)", PVP_LAYOUT_MAP_STEP_SIZE(), PvpMapStep.sizeof());
        check(problems, "PvpMapStep.start", PVP_LAYOUT_MAP_STEP_START(), PvpMapStep.start$offset());
        check(problems, "PvpMapStep.end", PVP_LAYOUT_MAP_STEP_END(), PvpMapStep.end$offset());
        check(problems, "PvpMapStep.pa", PVP_LAYOUT_MAP_STEP_PA(), PvpMapStep.pa$offset());
        check(problems, "PvpMapStep.flags", PVP_LAYOUT_MAP_STEP_FLAGS(), PvpMapStep.flags$offset());
        check(problems, "sizeof(PvpHypCall)", PVP_LAYOUT_HYP_CALL_SIZE(), PvpHypCall.sizeof());
        check(problems, "PvpHypCall.function_id", PVP_LAYOUT_HYP_CALL_FUNCTION_ID(), PvpHypCall.function_id$offset());
        check(problems, "PvpHypCall.argument", PVP_LAYOUT_HYP_CALL_ARGUMENT(), PvpHypCall.argument$offset());
        check(problems, "PvpHypCall.x0", PVP_LAYOUT_HYP_CALL_X0(), PvpHypCall.x0$offset());
        return problems;
    }

    private static void check(List<String> problems, String what, int selector, long bindings) {
        long library = pvp040_layout(selector);
        if (library != bindings) {
            problems.add(what + ": library " + library + ", bindings " + bindings);
        }
    }
}
