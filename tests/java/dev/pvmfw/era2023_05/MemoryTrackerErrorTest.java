package dev.pvmfw.era2023_05;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvmfw.era2023_05.HypError;
import dev.pvmfw.hyp.KvmError;
import dev.pvmfw.hyp.Smccc;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The b99905d3 MemoryTrackerError: declaration order (shared ordinals with the oracle) and Display strings. */
class MemoryTrackerErrorTest {
    static final HypError HYP = new HypError.Kvm(KvmError.NotSupported.INSTANCE, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP);
    static final List<MemoryTrackerError> ALL = List.of(MemoryTrackerError.DIFFERENT_BASE_ADDRESS,
            MemoryTrackerError.SIZE_TOO_LARGE, MemoryTrackerError.SIZE_TOO_SMALL, MemoryTrackerError.FULL,
            MemoryTrackerError.OUT_OF_RANGE, MemoryTrackerError.OVERLAPS, MemoryTrackerError.FAILED_TO_MAP,
            MemoryTrackerError.FAILED_TO_UNMAP, new MemoryTrackerError.Hypervisor(HYP),
            MemoryTrackerError.SHARED_MEMORY_SET_FAILURE, MemoryTrackerError.SHARED_POOL_SET_FAILURE,
            MemoryTrackerError.INVALID_PTE);

    @Test
    void declarationOrderIsTheRustOne() {
        assertEquals(List.of("DifferentBaseAddress", "SizeTooLarge", "SizeTooSmall", "Full", "OutOfRange", "Overlaps",
                "FailedToMap", "FailedToUnmap", "Hypervisor", "SharedMemorySetFailure", "SharedPoolSetFailure",
                "InvalidPte"), MemoryTrackerError.names());
        for (int i = 0; i < ALL.size(); i++) {
            assertEquals(i, ALL.get(i).ordinal());
            assertEquals(MemoryTrackerError.names().get(i), ALL.get(i).name());
        }
    }

    @Test
    void displayStringsAreUpstreams() {
        assertEquals(List.of("Received different base address", "Tried to shrink to a larger memory size",
                "Tracked regions would not fit in memory size", "Reached limit number of tracked regions",
                "Region is out of the tracked memory address space", "New region overlaps with tracked regions",
                "Failed to map the new region", "Failed to unmap the new region",
                "Failed to invoke the HVC function with function ID 3321888775: KVM call not supported",
                "Failed to set SHARED_MEMORY", "Failed to set SHARED_POOL", "Page table entry is not valid"),
                ALL.stream().map(MemoryTrackerError::display).toList());
    }

    @Test
    void debugStrings() {
        assertEquals("InvalidPte", MemoryTrackerError.INVALID_PTE.toString());
        assertEquals("Hypervisor(KvmError(NotSupported, 3321888775))", ALL.get(8).toString());
        assertEquals("Page table entry is not valid",
                new MemoryTrackerException(MemoryTrackerError.INVALID_PTE).getMessage());
    }
}
