package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code upgrade} on the seed's own scenario (a lazy 2 MiB block at 0x900_0000, a fault on 0x900_1000) from 0.4.0 to
 * 0.12.1. The expected words come from the references, not from a run: pvmfw-lazy-mmio, "Latent quirks" ("Lazy 2 MiB block, then
 * a fault on page k": on 0.4.0 the lazy block {@code 0x00E0_0000_0900_0400} at L2, after the fault L3[1] =
 * {@code 0x00E0_0000_0900_1403} and every other L3 entry {@code 0x00E0_0000_0900_0402 + j·0x1000}; exactly one MAP);
 * the aarch64-paging 0.12 reference, "R4: L3 root lazy trick vs corrected" (DEVICE_LAZY {@code 0x00c0_0000_0000_0400} stored as flags only; op 1,
 * {@code modify_flags(VALID)}, gives {@code 0x00c0_0000_0000_0401}; op 2, {@code set(pa, DEVICE | TABLE_OR_PAGE)},
 * gives {@code 0x00c0_0000_0000_9403} for PA 0x9000, i.e. PA | 0x00c0_0000_0000_0403); pvmfw-eras-verified, "MmioSharer" (a second share of a granule is
 * {@code DuplicateMmioShare(base)}).
 */
class UpgradeCommandTest {

    @Test
    void theSeedsScenarioOnTheSeedsEraFrom040To0121() {
        ToolRun run = ToolRun.of("upgrade", "--scenario", "seed", "--from", "0.4.0", "--to", "0.12.1");
        String out = run.out();
        assertEquals(0, run.status(), out + run.err());
        assertTrue(out.contains("  A: era 2023-05 on aarch64-paging 0.4.0"), out);
        assertTrue(out.contains("  B: era 2023-05 on aarch64-paging 0.12.1"), out);
        // The lazy block: 0.4.0 writes the PA; 0.12.1 the flags alone.
        assertTrue(out.contains("L2 0x9000000: 0 -> 0x00e0000009000400 (lazy"), out);
        assertTrue(out.contains("L2 0x9000000: 0 -> 0x00c0000000000400 (lazy, OA 0x0"), out);
        // The fault: one MAP in both; 0.4.0's split junk, 0.12.1's map_device writes PA | DEVICE | TABLE_OR_PAGE.
        assertTrue(out.contains("hypervisor: same: MMIO_GUARD_MAP(0x9001000) -> 0x0"), out);
        assertTrue(out.contains("L3 0x9001000: 0 -> 0x00e0000009001403 (page, OA 0x9001000"), out);
        assertTrue(out.contains("L3 0x9002000..0x9200000 (510 entries, the first shown, each next one granule further):"
                + " 0 -> 0x00e0000009002402"), out);
        assertTrue(out.contains("L3 0x9001000: 0 -> 0x00c0000009001403 (page, OA 0x9001000"), out);
        // Teardown UNMAPs exactly the page made valid ("Latent quirks"); the scenario's tracker never activates the table
        // (2023-05's MemoryTracker::new does not), so 0.12.1's break-before-make dry run does not run the callback
        // twice here, as it does in the demo's live teardown.
        assertTrue(out.contains("hypervisor: same: MMIO_GUARD_UNMAP(0x9001000) -> 0x0\n"), out);
        assertFalse(out.contains("FLAG"), out);
        assertTrue(out.endsWith("summary\n  A: works\n  B: works\n"), out);
    }

    @Test
    void theSeedsScenarioOn2024_05From040To0121FlagsTheReservedWord() {
        ToolRun run = ToolRun.of("upgrade", "--era", "2024-05");
        String out = run.out();
        assertEquals(1, run.status(), out + run.err());
        assertTrue(out.contains("L3 0x9001000: 0 -> 0x00e0000009001403 (page, OA 0x9001000"), out);
        assertTrue(out.contains("L3 0x9001000: 0 -> 0x00c0000000000401 (reserved, OA 0x0"), out);
        assertTrue(out.contains("FLAG B: valid L3 entry with low bits 0b01 at 0x9001000 (0x00c0000000000401)"), out);
        assertTrue(out.contains("FLAG B: valid device leaf whose output address is not its identity address: "
                + "0x9001000 has output address 0x0"), out);
        assertTrue(out.contains("InternalError(DuplicateMmioShare(" + 0x900_1000L + "))"), out);
        assertFalse(out.contains("FLAG A"), out);
        assertTrue(out.contains("  A: works\n  B: breaks: valid L3 entry with low bits 0b01"), out);
    }

    @Test
    void theCorrectedFlowOn0121WritesThePageDescriptor() {
        ToolRun run = ToolRun.of("upgrade", "--from-era", "2024-05", "--to-era", "2024-05+fix", "--from", "0.12.1");
        String out = run.out();
        assertEquals(0, run.status(), out + run.err());
        assertTrue(out.contains("L3 0x9001000: 0 -> 0x00c0000009001403 (page, OA 0x9001000"), out);
        assertTrue(out.contains("FLAG A: valid L3 entry with low bits 0b01"), out);
        assertFalse(out.contains("FLAG B"), out);
    }

    @Test
    void anUnknownScenarioIsAUsageError() {
        ToolRun run = ToolRun.of("upgrade", "--scenario", "nope");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("'nope' is not a scenario: seed, demo"), run.err());
    }
    /** The change of {@code side} at {@code level} and {@code va}, or null. */
    static tools.jackson.databind.JsonNode change(tools.jackson.databind.JsonNode side, int level, long va) {
        for (tools.jackson.databind.JsonNode c : side.get("changes")) {
            if (c.get("level").asInt() == level && c.get("va").asString().equals("0x" + Long.toHexString(va))) {
                return c;
            }
        }
        return null;
    }

    @Test
    void jsonCarriesTheReportsStepsOutcomesCallsAndChanges() {
        // The same reference values as the text tests above, read from the document: 2024-05 on 0.12.1 writes
        // 0x00c0_0000_0000_0401 (R4 op 1) at L3 0x900_1000, the reserved 0b01 word; 0.4.0 writes 0x00e0_0000_0900_1403.
        ToolRun run = ToolRun.of("upgrade", "--era", "2024-05", "--json");
        assertEquals(1, run.status(), run.out() + run.err());
        tools.jackson.databind.JsonNode doc = new tools.jackson.databind.ObjectMapper().readTree(run.out());
        assertEquals("pvmfw-paging upgrade", doc.get("format").asString());
        assertEquals(3, doc.get("formatVersion").asInt());
        assertEquals("seed", doc.get("scenario").asString());
        assertEquals("2024-05", doc.get("a").get("era").asString());
        assertEquals("0.4.0", doc.get("a").get("profile").get("id").asString());
        assertEquals("0.12.1", doc.get("b").get("profile").get("id").asString());
        assertEquals("works", doc.get("a").get("verdict").asString());
        assertTrue(doc.get("b").get("verdict").asString().startsWith("breaks: valid L3 entry with low bits 0b01"));
        assertFalse(doc.get("ok").asBoolean());
        String text = ToolRun.of("upgrade", "--era", "2024-05").out();
        tools.jackson.databind.JsonNode steps = doc.get("steps");
        assertEquals(text.lines().filter(l -> l.startsWith("step ")).count(), steps.size(), "one element per step");
        boolean faultSeen = false;
        for (tools.jackson.databind.JsonNode step : steps) {
            assertTrue(text.contains("step " + step.get("step").asInt() + ": " + step.get("name").asString() + "\n"));
            for (String side : new String[] {"a", "b"}) {
                tools.jackson.databind.JsonNode s = step.get(side);
                assertTrue(text.contains(s.get("outcome").asString()), s.get("outcome").asString());
                for (tools.jackson.databind.JsonNode c : s.get("hypervisor")) {
                    assertTrue(text.contains(c.get("function").asString() + "(" + c.get("argument").asString()
                            + ") -> " + c.get("x0").asString()), c.toString());
                }
            }
            tools.jackson.databind.JsonNode a = change(step.get("a"), 3, 0x900_1000L);
            tools.jackson.databind.JsonNode b = change(step.get("b"), 3, 0x900_1000L);
            if (a != null && b != null && !a.get("after").get("raw").asString().equals("0x0")) { // not the teardown
                faultSeen = true;
                assertEquals("0xe0000009001403", a.get("after").get("raw").asString());
                assertEquals("page", a.get("after").get("kind").asString());
                assertEquals("0xc0000000000401", b.get("after").get("raw").asString());
                assertEquals("reserved", b.get("after").get("kind").asString());
                assertTrue(step.get("b").get("broken").get(0).asString()
                        .startsWith("valid L3 entry with low bits 0b01 at 0x9001000"));
            }
        }
        assertTrue(faultSeen, "the fault's step changes L3 0x9001000 on both sides");
    }
}
