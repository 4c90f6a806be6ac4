package dev.pvmfw.era2023_05;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvmfw.era2023_05.HypError;
import dev.pvmfw.hyp.KvmError;
import dev.pvmfw.hyp.Smccc;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The b99905d3 MemoryTrackerError: declaration order (shared ordinals with the oracle) and Display strings. */
class MemoryTrackerErrorTest {
    static final HypError HYP = new HypError.Kvm(KvmError.Unit.NotSupported, Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP);
    static final List<MemoryTrackerError> ALL = List.of(MemoryTrackerError.Unit.DifferentBaseAddress,
            MemoryTrackerError.Unit.SizeTooLarge, MemoryTrackerError.Unit.SizeTooSmall, MemoryTrackerError.Unit.Full,
            MemoryTrackerError.Unit.OutOfRange, MemoryTrackerError.Unit.Overlaps, MemoryTrackerError.Unit.FailedToMap,
            MemoryTrackerError.Unit.FailedToUnmap, new MemoryTrackerError.Hypervisor(HYP),
            MemoryTrackerError.Unit.SharedMemorySetFailure, MemoryTrackerError.Unit.SharedPoolSetFailure,
            MemoryTrackerError.Unit.InvalidPte);

    @Test
    void variantsAndDebugTextAreTheRustOnes() {
        assertEquals(List.of("DifferentBaseAddress", "SizeTooLarge", "SizeTooSmall", "Full", "OutOfRange", "Overlaps",
                "FailedToMap", "FailedToUnmap", "SharedMemorySetFailure", "SharedPoolSetFailure", "InvalidPte"),
                java.util.Arrays.stream(MemoryTrackerError.Unit.values()).map(Enum::name).toList());
        assertEquals(List.of("DifferentBaseAddress", "SizeTooLarge", "SizeTooSmall", "Full", "OutOfRange", "Overlaps",
                "FailedToMap", "FailedToUnmap", "Hypervisor(KvmError(NotSupported, 3321888775))",
                "SharedMemorySetFailure", "SharedPoolSetFailure", "InvalidPte"),
                ALL.stream().map(Object::toString).toList());
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
        assertEquals("InvalidPte", MemoryTrackerError.Unit.InvalidPte.toString());
        assertEquals("Hypervisor(KvmError(NotSupported, 3321888775))", ALL.get(8).toString());
        assertEquals("Page table entry is not valid",
                new MemoryTrackerException(MemoryTrackerError.Unit.InvalidPte).getMessage());
    }
}
