package dev.pvmfw.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvmfw.paging.VaRange;
import org.junit.jupiter.api.Test;

/** TTBR values read as the Arm ARM gives them (D19.2 TTBR0_EL1): ASID and CnP ignored, BADDR bits 47:x. */
class TtbrTest {
    @Test
    void asidAndCnpAreIgnored() {
        MmuConfig c = MmuConfig.forTnsz(25, VaRange.LOWER);
        assertEquals(0x4520_0000L, Ttbr.tableBase(0x0042_0000_4520_0001L, c));
        assertEquals(0x42, Ttbr.asid(0x0042_0000_4520_0001L));
    }

    @Test
    void baddrBelowXIsTreatedAsZeroWhereXFollowsTheRootTablesSize() {
        // T0SZ 25: 512 root entries, x = 12; T0SZ 30: 16 entries at level 1, x = 3 + 4 = 7.
        assertEquals(0x4520_0000L, Ttbr.tableBase(0x4520_0f80L, MmuConfig.forTnsz(25, VaRange.LOWER)));
        assertEquals(0x4520_0f80L, Ttbr.tableBase(0x4520_0fc0L, MmuConfig.forTnsz(30, VaRange.LOWER)));
        // T0SZ 16: level 0, 512 entries; bits above 47 are the ASID
        assertEquals(0xffff_ffff_f000L, Ttbr.tableBase(-1L, MmuConfig.forTnsz(16, VaRange.UPPER)));
    }
}
