package dev.pvmfw.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.paging.DescriptorBits;
import dev.pvmfw.paging.SlotMemory;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.paging.port.MmuOpsException;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import dev.pvmfw.testing.Mmus;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pvmfw's invariant between its tables and the MMIO guard: every valid device page is guard-mapped. */
class GuardMapCheckTest {
    final RecordingHypervisor rec = new RecordingHypervisor();

    @Test
    void findsValidDevicePagesWithoutGuardMap() throws MmuOpsException {
        try (PvmfwPageTable pt = new PvmfwPageTable()) {
            pt.mapDevice(0x3f8, 0x3f9);
            pt.mapDeviceLazy(0x10_0000, 0x20_0000);
            pt.mapData(0x8000_0000L, 0x8020_0000L); // DATA has no SWFLAG_0: ignored
            assertEquals(List.of(0L), Mmus.unguardedValidDevicePages(rec, pt.rootTable()));
            AssertionError e = assertThrows(AssertionError.class,
                    () -> Mmus.assertNoValidDevicePageWithoutGuardMap(rec, pt.rootTable()));
            assertTrue(e.getMessage().contains("0x0"), e.getMessage());
            rec.hvc64(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, Smccc.args(0));
            Mmus.assertNoValidDevicePageWithoutGuardMap(rec, pt.rootTable());
            assertThrows(AssertionError.class, () -> Mmus.assertNothingGuardMapped(rec));
            rec.hvc64(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP, Smccc.args(0));
            Mmus.assertNothingGuardMapped(rec);
        }
    }

    @Test
    void aValidBlockCountsEveryPageAndAGuardMapCoversItsGranule() throws MmuOpsException {
        try (PvmfwPageTable pt = new PvmfwPageTable()) {
            pt.mapDevice(0x20_0000, 0x40_0000); // one 2 MiB block
            assertEquals(512, Mmus.unguardedValidDevicePages(rec, pt.rootTable()).size());
            rec.setMmioGuardGranule(1L << 21);
            rec.hvc64(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP, Smccc.args(0x20_0000));
            assertEquals(List.of(), Mmus.unguardedValidDevicePages(rec, pt.rootTable()));
        }
    }

    // Hand-written tables: slot i is the table at PA 0x4000_0000 + 4096·i; pvmfw's MMU configuration (root level 1).
    static final long BASE = 0x4000_0000L;
    static final long DEVICE_PAGE = 0x403 | DescriptorBits.SOFTWARE_BIT_55; // valid page, AF, SWFLAG_0

    static MemorySegment slots(int n) {
        return MemorySegment.ofArray(new byte[n * 4096]);
    }

    static void put(MemorySegment bytes, int slot, int index, long descriptor) {
        TableLayout.write(bytes.asSlice(slot * 4096L, 4096), index, descriptor);
    }

    static List<Long> unguarded(MemorySegment bytes, java.util.function.LongPredicate guardMapped) {
        return GuardMapCheck.unguardedValidDevicePages(new SlotMemory(bytes, BASE), MmuConfig.pvmfw(), BASE,
                guardMapped);
    }

    @Test
    void theCheckIsOnTheIpaTheLeafOutputsNotOnTheVa() {
        // VA 0x8000_0000 (root[2], L2[0], L3[0]) -> IPA 0x0900_0000.
        MemorySegment b = slots(3);
        put(b, 0, 2, (BASE + 0x1000) | 3);
        put(b, 1, 0, (BASE + 0x2000) | 3);
        put(b, 2, 0, 0x0900_0000L | DEVICE_PAGE);
        assertEquals(List.of(0x0900_0000L), unguarded(b, ipa -> false));
        assertEquals(List.of(), unguarded(b, ipa -> ipa == 0x0900_0000L));
        assertEquals(List.of(0x0900_0000L), unguarded(b, ipa -> ipa == 0x8000_0000L));
    }

    @Test
    void anIpaReachedFromTwoVasIsListedOnce() {
        // root[2] and root[3] share the level-2 table: VAs 0x8000_0000 and 0xC000_0000, one IPA.
        MemorySegment b = slots(3);
        put(b, 0, 2, (BASE + 0x1000) | 3);
        put(b, 0, 3, (BASE + 0x1000) | 3);
        put(b, 1, 0, (BASE + 0x2000) | 3);
        put(b, 2, 0, 0x0900_0000L | DEVICE_PAGE);
        assertEquals(List.of(0x0900_0000L), unguarded(b, ipa -> false));
    }

    @Test
    void aDevicePageReachedOnlyThroughACycleIsChecked() {
        // root[0] points back at the root, tagged SWFLAG_0 (ignored in a table descriptor). The walk of VA 0 reads the
        // root as level 2, then as level 3, where root[0] (0b11) is a page: IPA 0x4000_0000, SWFLAG_0 set.
        MemorySegment b = slots(1);
        put(b, 0, 0, BASE | 3 | DescriptorBits.SOFTWARE_BIT_55);
        assertEquals(BASE, Walker.walk(new SlotMemory(b, BASE), MmuConfig.pvmfw(), BASE, 0)
                .leafIfTranslated().orElseThrow().pa());
        assertEquals(List.of(BASE), unguarded(b, ipa -> false));
    }
}
