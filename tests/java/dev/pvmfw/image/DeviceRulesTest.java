package dev.pvmfw.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.v0_12_1.profile.Profile0121;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code check}'s descriptor-level device rules on the words of the aarch64-paging 0.12 reference's R4 (an L3 table of
 * lazy pages, DEVICE_LAZY {@code 0x00c0_0000_0000_0400}; op 1 writes {@code 0x00c0_0000_0000_0401} at 0x8000, op 2
 * {@code 0x00c0_0000_0000_9403} at 0x9000), placed in a root-level-1 image at VA 0x8000.. through an L2 and an L3 table.
 */
public class DeviceRulesTest {
    static final long BASE = 0x4000_0000L;

    /** Root L1[0] -> L2 (slot 1), L2[0] -> L3 (slot 2); L3[8] = op 1's word, L3[9] = op 2's, L3[10] = lazy. */
    static TableImage r4Image(long entry9) throws ImageFormatException {
        return TableImage.of(MemorySegment.ofArray(r4Bytes(entry9)), BASE, 1, VaRange.LOWER, 0);
    }

    /** The image's bytes (three slots from {@link #BASE}). */
    public static byte[] r4Bytes(long entry9) {
        byte[] bytes = new byte[3 * 4096];
        MemorySegment b = MemorySegment.ofArray(bytes);
        TableLayout.write(b, 0, (BASE + 0x1000) | 0b11);
        TableLayout.write(b.asSlice(4096), 0, (BASE + 0x2000) | 0b11);
        TableLayout.write(b.asSlice(2 * 4096), 8, 0x00c0_0000_0000_0401L);
        TableLayout.write(b.asSlice(2 * 4096), 9, entry9);
        TableLayout.write(b.asSlice(2 * 4096), 10, 0x00c0_0000_0000_0400L);
        return bytes;
    }

    static List<Violation> check(TableImage image, DeviceRules rules, MmuConfig mmu) {
        return ImageCheck.check(ImageWalk.walk(image, mmu, Profile0121.INSTANCE), rules);
    }

    static List<String> at(List<Violation> v, String rule) {
        return v.stream().filter(x -> x.rule().equals(rule)).map(x -> "0x" + Long.toHexString(x.va())).toList();
    }

    @Test
    void opOnesWordIsReservedAtLevel3WithoutAnyOption() throws Exception {
        List<Violation> v = check(r4Image(0x00c0_0000_0000_9403L), DeviceRules.NONE, MmuConfig.pvmfw());
        assertEquals(List.of("0x8000"), at(v, "reserved-descriptor"));
        assertEquals(List.of(), at(v, "not-identity"));
    }

    @Test
    void identityFlagsOpOnesOutputAddressZeroButNotOpTwosIdentityPage() throws Exception {
        List<Violation> v = check(r4Image(0x00c0_0000_0000_9403L), new DeviceRules(true, DeviceRules.DeviceBy.SWFLAG_0),
                MmuConfig.pvmfw());
        assertEquals(List.of("0x8000"), at(v, "not-identity"));
        Violation n = v.stream().filter(x -> x.rule().equals("not-identity")).findFirst().orElseThrow();
        assertTrue(n.message().contains("output address 0x0 is not its identity address 0x8000"), n.message());
    }

    @Test
    void identityAlsoFlagsAValidDevicePageMappingAnotherAddress() throws Exception {
        List<Violation> v = check(r4Image(0x00c0_0000_0000_a403L), new DeviceRules(true, DeviceRules.DeviceBy.SWFLAG_0),
                MmuConfig.pvmfw());
        assertEquals(List.of("0x8000", "0x9000"), at(v, "not-identity"));
    }

    /**
     * Device by MAIR: under pvmfw's MAIR (0xff04) AttrIndx 0 is Device, so the words are device leaves; under a MAIR
     * whose Attr0 is Normal (0xff) they are not, and an identity violation of a Normal leaf is no device rule's business.
     */
    @Test
    void deviceByMairFollowsTheMair() throws Exception {
        DeviceRules byMair = new DeviceRules(true, DeviceRules.DeviceBy.MAIR);
        assertEquals(List.of("0x8000", "0x9000"),
                at(check(r4Image(0x00c0_0000_0000_a403L), byMair, MmuConfig.pvmfw()), "not-identity"));
        assertEquals(List.of(), at(check(r4Image(0x00c0_0000_0000_a403L), byMair, MmuConfig.pvmfw().withMair(0xff)),
                "not-identity"));
    }
}
