package dev.pvmfw.testing;

import dev.pvmfw.cpu.Cpu;
import dev.pvmfw.cpu.GuardMapCheck;
import dev.pvmfw.cpu.Stage2;
import dev.pvmfw.exceptions.ExceptionHandler;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.PhysicalMemory;
import dev.pvmfw.paging.v0_4_0.RootTable;
import java.util.List;

/** Test helpers: the MMU's view of a live 0.4.0 table, and checks of a recording hypervisor's state. */
public final class Mmus {
    private Mmus() {}

    /** The MMU configuration of {@code root}: its level and VA range, pvmfw's for the rest. */
    public static MmuConfig config(RootTable root) {
        return MmuConfig.of(root.level(), root.vaRange());
    }

    /**
     * {@code root}'s tables as the MMU reads them, for as long as {@code root} lives: once it is closed (dropped),
     * reading throws {@link MemoryLifetimeException} CLOSED, as {@code MmuOps.memory()} does, where the translation
     * alone (an arena the test still holds) would only say that no table is there.
     */
    public static PhysicalMemory memory(RootTable root) {
        PhysicalMemory tables = root.translation();
        return pa -> {
            if (root.isClosed()) {
                throw new MemoryLifetimeException(MemoryLifetimeException.Kind.CLOSED,
                        "the root table has been closed");
            }
            return tables.table(pa);
        };
    }

    /** {@link Walker#walk} of {@code va} through {@code root}'s tables. */
    public static WalkResult walk(RootTable root, long va) {
        return Walker.walk(memory(root), config(root), root.toPhysical().value(), va);
    }

    /** {@link Walker#validLeaves} of {@code root}. */
    public static List<WalkResult.Leaf> validLeaves(RootTable root) {
        return Walker.validLeaves(memory(root), config(root), root.toPhysical().value());
    }

    /** A CPU over {@code root}'s tables with pvmfw's MMU configuration. */
    public static Cpu cpu(RootTable root, ExceptionHandler handler, Stage2 stage2) {
        return new Cpu(memory(root), config(root), root.toPhysical().value(), handler, stage2);
    }

    /** Valid device pages of {@code root} that {@code hyp} has not guard-mapped. */
    public static List<Long> unguardedValidDevicePages(RecordingHypervisor hyp, RootTable root) {
        return GuardMapCheck.unguardedValidDevicePages(memory(root), config(root), root.toPhysical().value(),
                hyp::isGuardMapped);
    }

    /** @throws AssertionError naming the pages if {@link #unguardedValidDevicePages} is not empty */
    public static void assertNoValidDevicePageWithoutGuardMap(RecordingHypervisor hyp, RootTable root) {
        List<Long> bad = unguardedValidDevicePages(hyp, root);
        if (!bad.isEmpty()) {
            throw new AssertionError(bad.size() + " valid device page(s) without an MMIO guard map, first: "
                    + bad.stream().limit(8).map(p -> "0x" + Long.toHexString(p)).toList());
        }
    }

    /** @throws AssertionError if any IPA is still guard-mapped */
    public static void assertNothingGuardMapped(RecordingHypervisor hyp) {
        if (!hyp.guardMapped().isEmpty()) {
            throw new AssertionError("still guard-mapped: "
                    + hyp.guardMapped().stream().limit(16).map(p -> "0x" + Long.toHexString(p)).toList());
        }
    }

    /** @throws AssertionError if any IPA is still shared */
    public static void assertNothingShared(RecordingHypervisor hyp) {
        if (!hyp.shared().isEmpty()) {
            throw new AssertionError("still shared: "
                    + hyp.shared().stream().limit(16).map(p -> "0x" + Long.toHexString(p)).toList());
        }
    }
}
