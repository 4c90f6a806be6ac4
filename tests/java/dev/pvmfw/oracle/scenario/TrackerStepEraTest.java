package dev.pvmfw.oracle.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.hyp.HypCall;
import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.engine.StepResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code tracker} step's era keys ({@code docs/scenarios.md}, "Eras"): parsed, printed, checked, and obeyed. */
class TrackerStepEraTest {

    static Step.NewTracker tracker(String line) throws ScenarioSyntaxException {
        return (Step.NewTracker) ScenarioText.parseStep(line, 1);
    }

    @Test
    void theKeysReadBackExactlyAndDefaultsAreNotPrinted() throws Exception {
        Step.NewTracker plain = tracker("tracker");
        assertNull(plain.era());
        assertEquals(4096, plain.granule());
        assertTrue(plain.mmioGuard());
        assertEquals("tracker ram-end=0x10000000000 compat-android13=on", plain.text());
        Step.NewTracker full = tracker("tracker era=2024-05 granule=0x4000 mmio-guard=off compat-android13=off");
        assertEquals("2024-05", full.era());
        assertEquals(0x4000, full.granule());
        assertEquals(false, full.mmioGuard());
        assertEquals("tracker ram-end=0x10000000000 compat-android13=off era=2024-05 granule=0x4000 mmio-guard=off",
                full.text());
        assertEquals(full, tracker(full.text()));
        assertEquals(-1L, tracker("tracker era=2024-05 granule=-1").granule());
    }

    @Test
    void anUnknownEraOrTheSeedWithAGranuleOrNoGuardIsASyntaxError() {
        assertTrue(assertThrows(ScenarioSyntaxException.class, () -> tracker("tracker era=2022-01")).getMessage()
                .contains("unknown era '2022-01' (known: 2023-05, 2023-11, 2024-05)"));
        assertTrue(assertThrows(ScenarioSyntaxException.class, () -> tracker("tracker granule=0x4000")).getMessage()
                .contains("need a later era's tracker"));
        assertTrue(assertThrows(ScenarioSyntaxException.class, () -> tracker("tracker era=2023-05 mmio-guard=off"))
                .getMessage().contains("need a later era's tracker"));
        assertThrows(ScenarioSyntaxException.class, () -> tracker("tracker era=2023-11 mmio-guard=maybe"));
    }

    /** 2024-05's tracker reads the granule once when made ({@code docs/pvmfw-2024-05.md}, "MmioSharer"); 2023-11's and the seed's do not. */
    @Test
    void theJavaEngineRunsTheStepsEra() throws Exception {
        for (String era : List.of("2023-05", "2023-11", "2024-05")) {
            Scenario s = ScenarioText.parse("scenario e\ntracker era=" + era + "\nhyp-init\ndrop");
            try (JavaEngine engine = new JavaEngine(s)) {
                StepResult made = engine.apply(s.steps().get(0));
                assertEquals(new Outcome.Ok(), made.outcome(), era);
                List<Integer> ids = made.hypCalls().stream().map(HypCall::functionId).toList();
                assertEquals(era.equals("2024-05") ? List.of(0xc600_0005) : List.of(), ids, era);
                Outcome init = engine.apply(s.steps().get(1)).outcome();
                assertEquals(era.equals("2023-05"), init instanceof Outcome.Ok, era + ": " + init.text());
            }
        }
    }

    /** A granule the 2024-05 tracker refuses is the tracker step's panic, with Rust's unwrap message. */
    @Test
    void aBadGranuleIsTheTrackerStepsPanic() throws Exception {
        Scenario s = ScenarioText.parse("scenario e\ntracker era=2024-05 granule=0x1800\ndrop");
        try (JavaEngine engine = new JavaEngine(s)) {
            assertEquals("panic none msg=\"called `Result::unwrap()` on an `Err` value: "
                    + "UnsupportedMmioGuardGranule(6144)\"", engine.apply(s.steps().get(0)).outcome().text());
        }
    }
    /** {@code entry=on} reads back, is printed last and only when on, and needs a later era's tracker. */
    @Test
    void theEntryKeyReadsBackAndNeedsALaterEra() throws Exception {
        Step.NewTracker on = tracker("tracker entry=on era=2023-11 mmio-guard=off");
        assertTrue(on.entry());
        assertEquals("tracker ram-end=0x10000000000 compat-android13=on era=2023-11 mmio-guard=off entry=on",
                on.text());
        assertEquals(on, tracker(on.text()));
        assertEquals(false, tracker("tracker era=2024-05 entry=off").entry());
        assertEquals("tracker ram-end=0x10000000000 compat-android13=on era=2024-05",
                tracker("tracker era=2024-05 entry=off").text());
        assertTrue(assertThrows(ScenarioSyntaxException.class, () -> tracker("tracker entry=on")).getMessage()
                .contains("entry=on needs a later era's tracker"));
        assertThrows(ScenarioSyntaxException.class, () -> tracker("tracker era=2023-11 entry=yes"));
        assertEquals(new Step.ConsoleUnmap(), ScenarioText.parseStep("console-unmap", 1));
        assertThrows(ScenarioSyntaxException.class, () -> ScenarioText.parseStep("console-unmap 0x0", 1));
        assertThrows(ScenarioSyntaxException.class, () -> ScenarioText.parse("scenario t\ntable level=1\n"
                + "console-unmap\ndrop"));
    }

    /** {@code console-unmap} is a later era's step: on the 2023-05 tracker it is invalid, and makes no call. */
    @Test
    void consoleUnmapIsInvalidOnTheSeedsTracker() throws Exception {
        Scenario s = ScenarioText.parse("scenario e\ntracker\nconsole-unmap\ndrop");
        try (JavaEngine engine = new JavaEngine(s)) {
            engine.apply(s.steps().get(0));
            StepResult r = engine.apply(s.steps().get(1));
            assertEquals("invalid msg=\"step 'console-unmap' runs on a later era's tracker only (2023-05: hyp-unmap)\"",
                    r.outcome().text());
            assertEquals(List.of(), r.hypCalls());
        }
    }
}
