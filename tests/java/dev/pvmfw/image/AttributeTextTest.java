package dev.pvmfw.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Memory types from the MAIR the image is read with, decoded by the Arm ARM's MAIR_ELx.Attr&lt;n&gt; encoding. */
class AttributeTextTest {
    /**
     * Linux arm64's MAIR_EL1 ({@code arch/arm64/include/asm/memory.h}, {@code sysreg.h}): MT_NORMAL 0 = 0xff,
     * MT_NORMAL_TAGGED 1 = 0xf0, MT_NORMAL_NC 2 = 0x44, MT_DEVICE_nGnRnE 3 = 0x00, MT_DEVICE_nGnRE 4 = 0x04.
     */
    static final long LINUX_MAIR = 0x04_00_44_f0_ffL;

    static MmuConfig withMair(long mair) {
        return MmuConfig.of(1, VaRange.LOWER).withMair(mair);
    }

    /** A descriptor with AttrIndx {@code n} (bits 4:2). */
    static long attrIndx(int n) {
        return 0x401L | (long) n << 2;
    }

    @Test
    void everyMairEncodingHasItsArmArmMeaning() {
        // Device 0b0000dd00: dd = 00 nGnRnE, 01 nGnRE, 10 nGRE, 11 GRE; 0b0000dd01 with FEAT_XS; dd1x UNPREDICTABLE.
        assertEquals("DEVICE/nGnRnE", AttributeText.memoryType(0x00));
        assertEquals("DEVICE/nGnRE", AttributeText.memoryType(0x04));
        assertEquals("DEVICE/nGRE", AttributeText.memoryType(0x08));
        assertEquals("DEVICE/GRE", AttributeText.memoryType(0x0c));
        assertEquals("DEVICE/nGnRE-XS0", AttributeText.memoryType(0x05));
        assertEquals("UNPREDICTABLE/0x06", AttributeText.memoryType(0x06));
        // Normal 0booooiiii. 1111: write-back non-transient, read- and write-allocate.
        assertEquals("MEM/NORMAL", AttributeText.memoryType(0xff));
        assertEquals("MEM/NORMAL-NC", AttributeText.memoryType(0x44));                 // 0100: non-cacheable
        assertEquals("MEM/NORMAL-WT-RWA", AttributeText.memoryType(0xbb));             // 1011: WT non-transient, RW
        assertEquals("MEM/NORMAL-WB-RA", AttributeText.memoryType(0xee));              // 1110: WB non-transient, R
        assertEquals("MEM/NORMAL-WT-NA", AttributeText.memoryType(0x88));              // 1000: WT, no allocation
        assertEquals("MEM/NORMAL-WBt-RWA", AttributeText.memoryType(0x77));            // 0111: WB transient, RW
        assertEquals("MEM/NORMAL-WTt-WA", AttributeText.memoryType(0x11));             // 0001: WT transient, W
        assertEquals("MEM/NORMAL-ONC/IWB-RWA", AttributeText.memoryType(0x4f));        // outer NC, inner WB
        // iiii = 0000 with oooo != 0: only FEAT_XS's 0x40, 0xa0 and FEAT_MTE2's 0xf0 mean something.
        assertEquals("MEM/NORMAL-NC-XS0", AttributeText.memoryType(0x40));
        assertEquals("MEM/NORMAL-WT-RA-XS0", AttributeText.memoryType(0xa0));
        assertEquals("MEM/NORMAL-TAGGED", AttributeText.memoryType(0xf0));
        assertEquals("UNPREDICTABLE/0x30", AttributeText.memoryType(0x30));
    }

    @Test
    void theMemoryTypeIsTheMairAttributeTheIndexSelects() {
        MmuConfig pvmfw = MmuConfig.pvmfw(); // 0xff04: Attr0 0x04, Attr1 0xff, Attr2..7 0x00
        assertEquals("DEVICE/nGnRE", AttributeText.memoryType(attrIndx(0), pvmfw));
        assertEquals("MEM/NORMAL", AttributeText.memoryType(attrIndx(1), pvmfw));
        for (int i = 2; i < 8; i++) {
            assertEquals("DEVICE/nGnRnE", AttributeText.memoryType(attrIndx(i), pvmfw));
        }
        MmuConfig linux = withMair(LINUX_MAIR);
        assertEquals(List.of("MEM/NORMAL", "MEM/NORMAL-TAGGED", "MEM/NORMAL-NC", "DEVICE/nGnRnE", "DEVICE/nGnRE"),
                List.of(0, 1, 2, 3, 4).stream().map(i -> AttributeText.memoryType(attrIndx(i), linux)).toList());
        assertTrue(AttributeText.columns(attrIndx(3), linux).endsWith("NSH DEVICE/nGnRnE"),
                AttributeText.columns(attrIndx(3), linux));
    }

    @Test
    void decodeNamesTheMemoryTypeOfTheMairItIsGiven() {
        assertTrue(DescriptorDecode.explain(attrIndx(2), 2, Profile040.INSTANCE)
                .contains("AttrIndx 2 (DEVICE/nGnRnE)"));
        assertTrue(DescriptorDecode.explain(attrIndx(2), 2, Profile040.INSTANCE, withMair(LINUX_MAIR))
                .contains("AttrIndx 2 (MEM/NORMAL-NC)"));
    }
}
