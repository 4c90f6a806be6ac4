package dev.pvmfw.era2023_05;

import dev.pvmfw.era.InvariantViolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.era2023_05.KvmHypervisor;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.Descriptor;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.port.PteVisitor;
import dev.pvmfw.paging.v0_4_0.PteUpdater;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import org.junit.jupiter.api.Test;

/**
 * The seed's callbacks on aarch64-paging 0.4.0, their exact panic messages (compared with the Rust oracle) and
 * is_leaf_pte's table.
 */
class PteCallbacksTest {
    static final MemoryRegion PAGE = MemoryRegion.of(0x9000_1000L, 0x9000_2000L);
    static final MemoryRegion BLOCK = MemoryRegion.of(0x0900_0000L, 0x0920_0000L);

    @Test
    void isLeafPteByTableOrPageAndLevel() {
        long top = Attributes.TABLE_OR_PAGE.bits();
        for (int level = 0; level <= 3; level++) {
            assertEquals(level == 3, PteCallbacks.isLeafPte(top, level), "TABLE_OR_PAGE at " + level);
            assertEquals(level < 3, PteCallbacks.isLeafPte(0, level), "no TABLE_OR_PAGE at " + level);
        }
    }

    @Test
    void verifyAcceptsTablesAndLazyInvalidLeavesOnly() {
        assertTrue(verify(0x4000_1003L, 1)); // table descriptor: not a leaf
        assertTrue(verify(0x00E0_0000_0900_0400L, 2)); // lazy block
        assertTrue(verify(0x00E0_0000_0900_1402L, 3)); // lazy page
        assertFalse(verify(0x00E0_0000_0900_1403L, 3)); // valid device page: already mapped
        assertFalse(verify(0x0060_0000_8000_0F07L, 3)); // DATA page
        assertFalse(verify(0, 1)); // zero L1 entry: an (invalid) "block" without the flag
        assertFalse(verify(0x1402L, 3)); // 0.4.0 garbage fill
    }

    /** An all-zero level-3 entry lacks TABLE_OR_PAGE, so it is "not a leaf" and accepted: the blind spot. */
    @Test
    void verifyAcceptsAllZeroLevel3EntryQuirk() {
        assertTrue(verify(0, 3));
        assertTrue(verify(0x0080_0000_0000_0000L, 3)); // any L3 value without bit 1
    }

    @Test
    void verifyPanicsOnUnknownFlagsWithTheRustMessage() {
        InvariantViolation e = assertThrows(InvariantViolation.class, () -> verify(1L << 52 | 0x403, 3));
        assertEquals("Unsupported PTE flags set", e.getMessage());
        e = assertThrows(InvariantViolation.class, () -> verify(1L << 59, 1)); // table attribute bits unknown in 0.4
        assertEquals("Unsupported PTE flags set", e.getMessage());
    }

    @Test
    void verifyNeverChangesTheDescriptor() {
        Descriptor d = Descriptor.detached(0x00E0_0000_0900_0400L);
        on040(PteCallbacks.VERIFY_LAZY_MAPPED_BLOCK).update(BLOCK, d, 2);
        assertEquals(0x00E0_0000_0900_0400L, d.bits());
    }

    @Test
    void unmapPageUnmapsValidDevicePagesOnly() {
        RecordingHypervisor hyp = new RecordingHypervisor();
        PteUpdater unmap = on040(PteCallbacks.mmioGuardUnmapPage(new KvmHypervisor(hyp)));
        assertTrue(unmap.update(PAGE, Descriptor.detached(0x00E0_0000_9000_1402L), 3)); // lazy: skipped
        assertTrue(unmap.update(BLOCK, Descriptor.detached(0x4000_2003L), 2)); // table: skipped
        assertTrue(unmap.update(BLOCK, Descriptor.detached(0x00E0_0000_0900_0400L), 2)); // lazy block: skipped
        assertEquals(0, hyp.callCount());
        Descriptor valid = Descriptor.detached(0x00E0_0000_9000_1403L);
        assertTrue(unmap.update(PAGE, valid, 3));
        assertEquals(java.util.List.of(0x9000_1000L), hyp.arguments(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_UNMAP));
        assertEquals(0x00E0_0000_9000_1403L, valid.bits()); // the PTE stays valid
    }

    @Test
    void unmapPageReturnsErrOnHypervisorError() {
        RecordingHypervisor hyp = new RecordingHypervisor().injectAtCall(0, Smccc.INVALID_PARAMETER);
        PteUpdater unmap = on040(PteCallbacks.mmioGuardUnmapPage(new KvmHypervisor(hyp)));
        assertFalse(unmap.update(PAGE, Descriptor.detached(0x00E0_0000_9000_1403L), 3));
    }

    @Test
    void unmapPagePanicsWithTheRustMessages() {
        PteUpdater unmap = on040(PteCallbacks.mmioGuardUnmapPage(new KvmHypervisor(new RecordingHypervisor())));
        InvariantViolation e = assertThrows(InvariantViolation.class,
                () -> unmap.update(PAGE, Descriptor.detached(0x0060_0000_9000_1F07L), 3));
        assertEquals("Attempting MMIO guard unmap for non-device pages", e.getMessage());

        e = assertThrows(InvariantViolation.class,
                () -> unmap.update(BLOCK, Descriptor.detached(0x00E0_0000_0900_0401L), 2));
        assertEquals("assertion `left == right` failed: Failed to break down block mapping before MMIO guard mapping"
                + "\n  left: 2097152\n right: 4096", e.getMessage());

        e = assertThrows(InvariantViolation.class,
                () -> unmap.update(PAGE, Descriptor.detached(1L << 52 | 0x403), 3));
        assertEquals("Unsupported PTE flags set", e.getMessage());
    }

    @Test
    void assertEqWithoutMessageFormat() {
        assertEquals("assertion `left == right` failed\n  left: 512\n right: 0",
                InvariantViolation.assertEqFailed(512, 0, null).getMessage());
        assertEquals("assertion `left != right` failed\n  left: 0\n right: 0",
                InvariantViolation.assertNeFailed(0, 0, null).getMessage());
    }

    private static boolean verify(long bits, int level) {
        MemoryRegion range = level == 3 ? PAGE : BLOCK;
        return on040(PteCallbacks.VERIFY_LAZY_MAPPED_BLOCK).update(range, Descriptor.detached(bits), level);
    }

    /** The crate-neutral callback as aarch64-paging 0.4.0 runs it (through its port). */
    private static PteUpdater on040(PteVisitor visitor) {
        return PvmfwPageTable.updater(visitor);
    }
}
