package dev.pvmfw.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --fix} and the {@code +fix} era ids. */
class EraFixOptionTest {

    @Test
    void fixOnAnEraWithoutACorrectedFlowIsAUsageError() {
        ToolRun run = ToolRun.of("demo", "--era", "2023-05", "--fix");
        assertEquals(2, run.status(), run.out());
        assertTrue(run.err().contains("--fix: era 2023-05 has no corrected flow"), run.err());
    }

    @Test
    void fixAndThePlusFixIdNameTheSameVariant() {
        ToolRun fix = ToolRun.of("demo", "--era", "2024-05", "--fix", "--profile", "0.12.1");
        ToolRun id = ToolRun.of("demo", "--era", "2024-05+fix", "--profile", "0.12.1");
        assertEquals(0, fix.status(), fix.err());
        assertEquals(fix.out(), id.out());
        assertTrue(fix.out().contains("(era 2024-05+fix, AOSP c08e63cb with the corrected lazy flow"), fix.out());
        assertTrue(fix.out().contains("-> fault (ESR 0x96000007), MMIO_GUARD_MAP(0x10000) -> 0x0, retried: ok (PA "
                + "0x10000, Device)"), fix.out());
        assertTrue(fix.out().contains("cross-check against the Rust crate skipped: the corrected flow 2024-05+fix has no "
                + "Rust side"), fix.out());
    }

    /**
     * The era's flow on 0.12.1: the retried access faults again on the 0b01 entry, and the second fault, re-executed,
     * is refused by the sharer: DuplicateMmioShare of the page (pvmfw-eras-verified, "MmioSharer").
     */
    @Test
    void theErasFlowOn0121FaultsAgainAndTheSecondFaultIsADuplicateShare() {
        ToolRun run = ToolRun.of("demo", "--era", "2024-05", "--profile", "0.12.1");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("MMIO_GUARD_MAP(0x10000) -> 0x0, faulted again; re-executed: fault (ESR "
                + "0x96000007), reboot: Error[error=InternalError(DuplicateMmioShare(" + 0x10000 + "))]"), run.out());
    }
}
