package dev.pvmfw.oracle.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioText;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java engine's view of a tracker step: pvmfw's own callbacks inside it are traced (the page table the engine gives
 * the tracker wraps them), with the values of docs/pvmfw-2023-05.md ("The fault handler", "Teardown") and the
 * descriptors of the reference's S3 image (a lazy 2 MiB block at 0x0900_0000: {@code 0x00e0_0000_0900_0400}).
 */
class JavaEngineTest {

    static List<StepResult> run(String text) throws Exception {
        Scenario s = ScenarioText.parse(text);
        try (JavaEngine java = new JavaEngine(s)) {
            return s.steps().stream().map(java::apply).toList();
        }
    }

    /** On 0.4.0 verify_lazy_mapped_block sees the level-1 table descriptor, then the level-2 lazy block. */
    @Test
    void aFaultTracesVerifyLazyMappedBlockOnTheL1TableThenTheL2LazyBlock() throws Exception {
        List<StepResult> r = run("tracker\nmmio-map 0x9000000 0x9200000\nfault 0x9001000\ndrop");
        long l1 = 0x4000_1003L; // the L2 table in slot 1, VALID | TABLE_OR_PAGE
        long block = 0x00e0_0000_0900_0400L;
        assertEquals(List.of(new TraceEntry(0, 0x4000_0000L, 1, l1, l1),
                new TraceEntry(0x900_0000L, 0x920_0000L, 2, block, block)), r.get(2).trace());
        assertEquals(new Outcome.Ok(), r.get(2).outcome());
        assertEquals(List.of(), r.get(1).trace(), "map_mmio_range runs no callback");
    }

    /** mmio_guard_unmap_page is called on every entry of the region; a repeated fault's verify fails on the page. */
    @Test
    void teardownTracesMmioGuardUnmapPageOnEveryEntryOfTheRegion() throws Exception {
        List<StepResult> r = run("tracker\nmmio-map 0x10000 0x12000\nfault 0x10000\nfault 0x10000\nmmio-unmap-all");
        // L1 table, L2 table, then the two L3 pages: the valid one and the lazy one.
        assertEquals(4, r.get(4).trace().size());
        assertEquals(List.of(1, 2, 3, 3), r.get(4).trace().stream().map(TraceEntry::level).toList());
        assertEquals(0x00e0_0000_0001_0403L, r.get(4).trace().get(2).before());
        assertEquals(0x00e0_0000_0001_1402L, r.get(4).trace().get(3).before());
        TraceEntry last = r.get(3).trace().getLast();
        assertEquals(3, last.level(), "the repeated fault stops at the valid page");
        assertEquals("tracker-err InvalidPte msg=\"Page table entry is not valid\"", r.get(3).outcome().text());
    }
}
