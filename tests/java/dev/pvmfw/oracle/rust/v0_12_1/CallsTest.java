package dev.pvmfw.oracle.rust.v0_12_1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * Every downcall into the 0.12.1 library goes through {@code Calls.call}: the FFM failures it can meet — jextract's
 * {@link AssertionError} around a failing invocation, a closed arena's {@link IllegalStateException}, a foreign
 * thread's {@link WrongThreadException}, a denied native access's {@link IllegalCallerException} — come out as our
 * {@link OracleCallException} naming the call, the FFM exception as its cause; a value passes through. Without the
 * library, the loader says which property to set and how to build it.
 */
class CallsTest {
    @Test
    void ffmFailuresBecomeOracleCallExceptions() throws Exception {
        MemorySegment closed;
        try (Arena a = Arena.ofConfined()) {
            closed = a.allocate(8);
        }
        MemorySegment gone = closed;
        OracleCallException e = assertThrows(OracleCallException.class,
                () -> Calls.call("map_range", () -> gone.get(ValueLayout.JAVA_LONG, 0)));
        assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
        assertTrue(e.getMessage().startsWith("the 0.12.1 oracle call map_range failed: "), e.getMessage());

        try (Arena confined = Arena.ofConfined()) {
            MemorySegment mine = confined.allocate(8);
            Thread t = Thread.ofPlatform().start(() -> {
                OracleCallException w = assertThrows(OracleCallException.class,
                        () -> Calls.call("event_log", () -> mine.get(ValueLayout.JAVA_LONG, 0)));
                assertTrue(w.getCause() instanceof WrongThreadException, w.toString());
            });
            t.join();
        }
        AssertionError jextract = new AssertionError("should not reach here", new Throwable("invocation"));
        assertSame(jextract, assertThrows(OracleCallException.class, () -> Calls.call("table_new", () -> {
            throw jextract;
        })).getCause());
        IllegalCallerException denied = new IllegalCallerException("native access");
        assertSame(denied, assertThrows(OracleCallException.class, () -> Calls.callInt("abi_version", () -> {
            throw denied;
        })).getCause());
        assertEquals(7, Calls.callInt("layout", () -> 7));
    }

    @Test
    void withoutTheLibraryTheLoaderSaysHowToGetIt() {
        assumeFalse(OracleLibrary0121.availability().available(),
                "the 0.12.1 oracle library is loaded: this pins the message of a machine without it");
        String reason = OracleLibrary0121.availability().reason();
        assertTrue(reason.contains("0.12.1 oracle library") && reason.contains("./mvnw -Poracle test")
                && reason.contains("aarch64-paging 0.12.1 + bitflags 2.11.0 + thiserror 2.0.18"), reason);
    }

    @Test
    void theHintNamesTheFlag() {
        assertTrue(NativeAccess0121.ENABLE_FLAG_HINT.contains("--enable-native-access=ALL-UNNAMED"));
        assertTrue(NativeAccess0121.ENABLE_FLAG_HINT.contains("--enable-native-access=dev.pvmfw.paging"));
    }
}
