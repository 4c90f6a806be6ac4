package dev.pvmfw.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.TranslationRegime;
import org.junit.jupiter.api.Test;

/**
 * The regime's attribute fields, by the Arm ARM's encodings: stage-2 MemAttr[3:0] without FEAT_S2FWB (D8.6.5,
 * "Stage 2 memory type and Cacheability attributes when FEAT_S2FWB is disabled"), S2AP (bit 6 read, bit 7 write),
 * and XN at bit 54 for EL2, EL3 and stage 2.
 */
class RegimeAttributesTest {
    @Test
    void stage2MemAttrIsDeviceBelow0b0100AndNormalWithOuterAndInnerCacheabilityAbove() {
        assertEquals("DEVICE/nGnRnE", RegimeAttributes.stage2MemoryType(0b0000));
        assertEquals("DEVICE/nGnRE", RegimeAttributes.stage2MemoryType(0b0001));
        assertEquals("DEVICE/nGRE", RegimeAttributes.stage2MemoryType(0b0010));
        assertEquals("DEVICE/GRE", RegimeAttributes.stage2MemoryType(0b0011));
        assertEquals("UNPREDICTABLE/0x4", RegimeAttributes.stage2MemoryType(0b0100), "inner 00: reserved");
        assertEquals("MEM/NORMAL-NC", RegimeAttributes.stage2MemoryType(0b0101));
        assertEquals("MEM/NORMAL-WT", RegimeAttributes.stage2MemoryType(0b1010));
        assertEquals("MEM/NORMAL-WB", RegimeAttributes.stage2MemoryType(0b1111));
        assertEquals("MEM/NORMAL-OWB/INC", RegimeAttributes.stage2MemoryType(0b1101));
    }

    @Test
    void s2apBit6ReadsAndBit7Writes() {
        assertEquals("none", RegimeAttributes.s2ap(0));
        assertEquals("RO", RegimeAttributes.s2ap(1L << 6));
        assertEquals("WO", RegimeAttributes.s2ap(1L << 7));
        assertEquals("RW", RegimeAttributes.s2ap(3L << 6));
        assertTrue(RegimeAttributes.writable(1L << 7, TranslationRegime.STAGE2));
        assertFalse(RegimeAttributes.writable(1L << 6, TranslationRegime.STAGE2));
        // Stage 1: AP[2] (bit 7) is read-only, the opposite sense.
        assertFalse(RegimeAttributes.writable(1L << 7, TranslationRegime.EL2));
    }

    @Test
    void bit54IsXnForOnePrivilegeLevelAndStage2AndUxnForEl1And0() {
        long xn = 1L << 54;
        for (TranslationRegime r : new TranslationRegime[] {TranslationRegime.EL2, TranslationRegime.EL3,
            TranslationRegime.STAGE2}) {
            assertFalse(RegimeAttributes.executable(xn, r), r.id());
        }
        assertTrue(RegimeAttributes.executable(xn, TranslationRegime.EL1_AND_0), "UXN does not stop EL1");
        assertFalse(RegimeAttributes.executable(1L << 53, TranslationRegime.EL2_AND_0), "PXN stops EL2 in EL2&0");
        assertTrue(RegimeAttributes.executable(1L << 53, TranslationRegime.EL2), "bit 53 is RES0 in EL2");
    }

    @Test
    void stage2MemoryTypeNeedsNoMair() {
        MmuConfig mmu = MmuConfig.pvmfw();
        // MemAttr 0b0001 (Device-nGnRE) in bits 5:2; under pvmfw's MAIR AttrIndx 1 would read Normal.
        assertEquals("DEVICE/nGnRE", RegimeAttributes.memoryType(0b0001L << 2, TranslationRegime.STAGE2, mmu));
        assertTrue(RegimeAttributes.isDevice(0b0001L << 2, TranslationRegime.STAGE2, mmu));
        assertEquals("MEM/NORMAL", RegimeAttributes.memoryType(0b0001L << 2, TranslationRegime.EL2, mmu));
    }
}
