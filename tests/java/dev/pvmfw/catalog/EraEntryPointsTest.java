package dev.pvmfw.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pvmfw.era.BootedPvmfw;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.era.ScenarioTracker;
import dev.pvmfw.era.TrackerException;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import dev.pvmfw.testing.LiveEntries;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What each era's entry points (its {@code CrosvmBoot} and {@code ScenarioTrackers}) hand the tool and the scenario
 * language. Expected values from pvmfw's boot as {@code docs/pvmfw-2023-05.md}, {@code docs/pvmfw-2023-11.md} and
 * {@code docs/pvmfw-2024-05.md} give it ({@code alloc_mut} of the 2 MiB FDT at RAM start, then {@code map_mmio_range}
 * of crosvm's PCI CAM {@code 0x10000..0x1010000} and low MMIO window {@code 0x2000000..0x4000000}, lazily only with
 * an MMIO guard from 2023-07 on), from {@code MemoryTracker::shrink} (a larger end is SizeTooLarge, "Tried to
 * shrink to a larger memory size"; pvmfw-eras-verified.md) and from the initial window {@code RAM_START..2^40}.
 */
class EraEntryPointsTest {
    static final long RAM_START = 0x8000_0000L;
    static final long INITIAL_END = 1L << 40;
    static final long VALID = 1;

    static Stream<Era> eras() {
        return Eras.all().stream();
    }

    static Stream<Era> erasWithoutMmioGuardChoice() {
        return Stream.of(Eras.ERA_2023_11, Eras.ERA_2024_05);
    }

    /** The FDT tracked read-write, the PCI windows as MMIO, mapped lazily (invalid) over pKVM. */
    @ParameterizedTest
    @MethodSource("eras")
    void aBootTracksTheFdtReadWriteAndThePciWindowsLazily(Era era) throws Exception {
        try (TableArena arena = TableArena.create(256)) {
            BootedPvmfw booted = era.boot().boot(new RecordingHypervisor(), Profile040.INSTANCE, arena, 256L << 20);
            assertEquals(List.of("0x80000000..0x80200000 read-write"), booted.ramRegions());
            assertEquals(List.of(new MemoryRange(0x1_0000L, 0x101_0000L), new MemoryRange(0x200_0000L, 0x400_0000L)),
                    booted.mmioRegions());
            assertEquals(true, booted.lazyMmio());
            assertEquals(0, LiveEntries.entry(booted.pageTable(), 0x1_0000L, 3) & VALID);
            booted.exit();
        }
    }

    /** From 2023-07 on, without an MMIO guard (a regular KVM) the MMIO windows are mapped valid at once. */
    @ParameterizedTest
    @MethodSource("erasWithoutMmioGuardChoice")
    void withoutAnMmioGuardTheBootMapsMmioValidAtOnce(Era era) throws Exception {
        try (TableArena arena = TableArena.create(256)) {
            BootedPvmfw booted = era.boot().boot(new RecordingHypervisor().setMmioGuardSupported(false),
                    Profile040.INSTANCE, arena, 256L << 20);
            assertEquals(false, booted.lazyMmio());
            assertEquals(VALID, LiveEntries.entry(booted.pageTable(), 0x1_0000L, 3) & VALID);
            booted.exit();
        }
    }

    /** Shrunk to end at {@code ramEnd}; at the initial end, the whole window is kept. */
    @ParameterizedTest
    @MethodSource("eras")
    void theTrackerStepShrinksMainMemoryToRamEnd(Era era) throws Exception {
        long ramEnd = RAM_START + (256L << 20);
        assertEquals(new MemoryRange(RAM_START, ramEnd), totalAfterTrackerStep(era, ramEnd));
        assertEquals(new MemoryRange(RAM_START, INITIAL_END), totalAfterTrackerStep(era, INITIAL_END));
    }

    /** A shrink past the initial end is SizeTooLarge, and the tracker made for it is dropped with its table. */
    @ParameterizedTest
    @MethodSource("eras")
    void aTrackerStepThatCannotShrinkDropsTheTrackerAndItsTable(Era era) {
        try (TableArena arena = TableArena.create(64)) {
            PvmfwPageTable table = new PvmfwPageTable(arena);
            assertEquals(1, arena.usedSlots()); // the root table
            TrackerException e = assertThrows(TrackerException.class, () -> era.trackers().newTracker(table,
                    new RecordingHypervisor(), INITIAL_END + 0x1000, true));
            assertEquals("Tried to shrink to a larger memory size", e.getMessage());
            assertEquals(0, arena.usedSlots());
        }
    }

    private static MemoryRange totalAfterTrackerStep(Era era, long ramEnd) throws Exception {
        try (TableArena arena = TableArena.create(64)) {
            ScenarioTracker tracker = era.trackers().newTracker(new PvmfwPageTable(arena), new RecordingHypervisor(),
                    ramEnd, true);
            assertNotNull(tracker);
            MemoryRange total = total(tracker);
            tracker.close();
            return total;
        }
    }

    private static MemoryRange total(ScenarioTracker tracker) {
        return switch (tracker) {
            case dev.pvmfw.era2023_05.MemoryTracker t -> t.total();
            case dev.pvmfw.era2023_11.MemoryTracker t -> t.total();
            case dev.pvmfw.era2024_05.MemoryTracker t -> t.total();
            default -> throw new AssertionError("not an era's tracker: " + tracker);
        };
    }
}
