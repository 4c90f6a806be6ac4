package dev.pvmfw.oracle.runner;

import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.scenario.Step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.VirtualAddress;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.v0_4_0.MapError;
import dev.pvmfw.paging.VaRange;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A mismatch report names the slot, its level, the entry's VA, both descriptors decoded and the bits that differ. */
class DivergenceReportTest {

    @Test
    void imageMismatchIsLocatedAndDecoded() throws Exception {
        Scenario s = ScenarioText.parse("table level=1\nmap 0x9000000 0x9001000 pa=0x9000000 flags=VALID\n");
        try (JavaEngine a = new JavaEngine(s); JavaEngine b = new JavaEngine(s)) {
            for (Step step : s.steps()) {
                a.apply(step);
                b.apply(step);
            }
            MemorySegment other = Arena.ofAuto().allocate(b.image().byteSize(), 4096).copyFrom(b.image());
            TableLayout.write(other.asSlice(2 * 4096L, 4096), 0, 0x900_0401L); // the page turned into a "block"
            String report = Divergence.imageReport(a.image(), other, a.image().mismatch(other), s.paBase(), 1,
                    VaRange.LOWER);
            assertTrue(report.startsWith("  image: slot 2 (level 3 table) index 0 (VA 0x9000000)\n"
                    + "    java 0x00000009000403 (0x0000000009000000, Attributes(VALID | TABLE_OR_PAGE | DEVICE_NGNRE | "
                    + "ACCESSED))\n    rust 0x00000009000401"), report);
            assertTrue(report.contains("flag bits only in java: Attributes(TABLE_OR_PAGE)"), report);
            assertTrue(report.endsWith("(1 descriptors differ in all)"), report);
        }
    }

    @Test
    void outcomeHypervisorAndEventDifferencesAreReportedFirst() {
        Scenario s = new Scenario("x", 4, 0x4000_0000L, List.of(new Step.NewTracker(1L << 40, true)));
        StepResult ok = new StepResult(new Outcome.Ok(), List.of(), new int[] {0});
        StepResult failed = new StepResult(new Outcome.TrackerFailed("InvalidPte", "Page table entry is not valid"),
                List.of(), new int[] {0});
        MemorySegment image = MemorySegment.ofArray(new byte[4 * 4096]);
        Optional<Divergence> d = Divergence.compare(s, 0, ok, failed, image, image, 1, VaRange.LOWER);
        assertEquals("outcome", d.orElseThrow().what());
        assertTrue(d.get().report().contains("rust tracker-err InvalidPte msg=\"Page table entry is not valid\""));
        StepResult moreEvents = new StepResult(new Outcome.Ok(), List.of(), new int[] {0, 1});
        assertEquals("events", Divergence.compare(s, 0, ok, moreEvents, image, image, 1, VaRange.LOWER).orElseThrow()
                .what());
        StepResult withCall = new StepResult(new Outcome.Ok(), List.of(), new int[] {0},
                List.of(new dev.pvmfw.hyp.HypCall(0xc600_0007, 0x9000000, 0)));
        assertEquals("hypervisor", Divergence.compare(s, 0, ok, withCall, image, image, 1, VaRange.LOWER).orElseThrow()
                .what());
        assertTrue(Divergence.compare(s, 0, ok, ok, image, image, 1, VaRange.LOWER).isEmpty());
    }

    /** The crate's Debug and Display texts of a MapError are compared with Java's, not rebuilt from the payload. */
    @Test
    void mapErrorTextsThatDifferFromJavasAreADivergence() throws Exception {
        Scenario s = ScenarioText.parse("table level=1\n");
        MapError error = new MapError.AddressRange(new VirtualAddress(0x1000));
        StepResult java = new StepResult(new Outcome.Failed(error), List.of(), new int[0]);
        assertEquals(new Outcome.Failed(error, "AddressRange(VirtualAddress(0x0000000000001000))",
                "Virtual address 0x0000000000001000 out of range"), java.outcome(), "Java's own texts");
        MemorySegment image = MemorySegment.ofArray(new byte[16 * 4096]);
        StepResult sameTexts = new StepResult(new Outcome.Failed(error, error.toString(), error.display()), List.of(),
                new int[0]);
        assertTrue(Divergence.compare(s, 0, java, sameTexts, image, image, 1, VaRange.LOWER).isEmpty());

        StepResult otherDebug = new StepResult(new Outcome.Failed(error, "AddressRange(0x1000)", error.display()),
                List.of(), new int[0]);
        Divergence d = Divergence.compare(s, 0, java, otherDebug, image, image, 1, VaRange.LOWER).orElseThrow();
        assertEquals("outcome", d.what());
        assertTrue(d.report().contains("rust err AddressRange(0x1000) msg=\"Virtual address 0x0000000000001000 out of "
                + "range\" payload=AddressRange(VirtualAddress(0x0000000000001000))"), d.report());

        StepResult otherDisplay = new StepResult(new Outcome.Failed(error, error.toString(), "out of range"), List.of(),
                new int[0]);
        assertEquals("outcome", Divergence.compare(s, 0, java, otherDisplay, image, image, 1, VaRange.LOWER)
                .orElseThrow().what());
    }

    /** A tracker error's Debug text is compared as the crate formats it, not rebuilt from the variant. */
    @Test
    void trackerErrorDebugTextsThatDifferAreADivergence() throws Exception {
        Scenario s = new Scenario("x", 4, 0x4000_0000L, List.of(new Step.NewTracker(1L << 40, true)));
        MemorySegment image = MemorySegment.ofArray(new byte[4 * 4096]);
        StepResult java = new StepResult(new Outcome.TrackerFailed("Hypervisor(KvmError(NotSupported, 3321888775))",
                "Hypervisor error"), List.of(), new int[0]);
        StepResult rust = new StepResult(new Outcome.TrackerFailed("Hypervisor(KvmError(NotSupported, 0xc6000007))",
                "Hypervisor error"), List.of(), new int[0]);
        assertEquals("outcome", Divergence.compare(s, 0, java, rust, image, image, 1, VaRange.LOWER).orElseThrow()
                .what());
        StepResult hyp = new StepResult(new Outcome.HypFailed("KvmError(InvalidParameter, 3321888775)",
                "Invalid parameter"), List.of(), new int[0]);
        StepResult hypOther = new StepResult(new Outcome.HypFailed("KvmError(InvalidParameter, 3321888775)",
                "Invalid parameter (-3)"), List.of(), new int[0]);
        assertEquals("outcome", Divergence.compare(s, 0, hyp, hypOther, image, image, 1, VaRange.LOWER).orElseThrow()
                .what());
    }

    /** The root table's PA, then the guard-mapped IPAs, are compared after a step; equal state is no divergence. */
    @Test
    void rootPaAndGuardMappedIpasAreCompared() throws Exception {
        Scenario s = ScenarioText.parse("tracker\nfault 0x9001000\n");
        java.util.OptionalLong root = java.util.OptionalLong.of(0x4000_0000L);
        List<Long> guard = List.of(0x900_1000L);
        assertTrue(Divergence.compareState(s, 1, root, root, guard, guard).isEmpty());
        Divergence d = Divergence.compareState(s, 1, root, root, guard, List.of()).orElseThrow();
        assertEquals("guard-mapped", d.what());
        assertTrue(d.report().contains("guard-mapped IPAs\n    java [0x9001000]\n    rust []"), d.report());
        assertEquals("guard-mapped", Divergence.compareState(s, 1, root, root, guard, List.of(0x900_2000L))
                .orElseThrow().what());
        Divergence r = Divergence.compareState(s, 1, root, java.util.OptionalLong.empty(), guard, List.of())
                .orElseThrow();
        assertEquals("root", r.what(), "the root is compared first");
        assertTrue(r.report().contains("rust none"), r.report());
    }

    /** Debug dumps: the first differing line is shown; a panicking dump is one that differs from a printed one. */
    @Test
    void debugDumpsAreComparedLineByLine() throws Exception {
        Scenario s = ScenarioText.parse("table level=1\n");
        assertTrue(Divergence.compareDumps(s, 0, Optional.of("a\nb"), Optional.of("a\nb")).isEmpty());
        assertTrue(Divergence.compareDumps(s, 0, Optional.empty(), Optional.empty()).isEmpty());
        Divergence d = Divergence.compareDumps(s, 0, Optional.of("a\nb"), Optional.of("a\nc")).orElseThrow();
        assertEquals("debug", d.what());
        assertTrue(d.report().endsWith("  line 2\n    java b\n    rust c"), d.report());
        assertTrue(Divergence.compareDumps(s, 0, Optional.of("a"), Optional.empty()).orElseThrow().report()
                .endsWith("rust <panicked>"));
    }

    /** Every scenario the runner compares ends with a drop: one is appended where the text has none. */
    @Test
    void aScenarioWithoutADropIsComparedWithOneAppended() throws Exception {
        Scenario without = ScenarioText.parse("tracker\nmmio-map 0x9000000 0x9001000\n");
        Scenario compared = Differential.withFinalDrop(without);
        assertEquals(3, compared.steps().size());
        assertEquals(new Step.DropTable(), compared.steps().getLast());
        assertEquals(without.steps(), compared.steps().subList(0, 2));
        Scenario with = ScenarioText.parse("table level=1\ndrop\n");
        assertEquals(with, Differential.withFinalDrop(with), "no second drop");
    }
}
