package dev.pvmfw.cpu;

import dev.pvmfw.era2023_05.MemoryTrackerError;
import dev.pvmfw.era2023_05.MainWrapper;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import dev.pvmfw.testing.Mmus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pvmfw.exceptions.Esr;
import dev.pvmfw.exceptions.ExceptionHandler;
import dev.pvmfw.exceptions.ExceptionOutcome;
import dev.pvmfw.exceptions.HandleExceptionError;
import dev.pvmfw.mmu.Syndrome;
import dev.pvmfw.era2023_05.KvmHypervisor;
import dev.pvmfw.hyp.RecordingHypervisor;
import dev.pvmfw.hyp.Smccc;
import dev.pvmfw.era.CrosvmLayout;
import dev.pvmfw.era.MemoryMutex;
import dev.pvmfw.era.MemoryRange;
import dev.pvmfw.era2023_05.MemoryTracker;
import dev.pvmfw.era2023_05.MemoryTrackerException;
import dev.pvmfw.paging.TableArena;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.testing.Property;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Seeded random operations on a booted crosvm pvmfw — MMIO ranges, RAM allocations, exceptions with any ESR/FAR, CPU
 * accesses anywhere — must only ever end in a typed error or a documented outcome, and never corrupt the table:
 * every table stays reachable and dumpable, and no valid device page lacks an MMIO guard map. At the end, teardown
 * succeeds and leaves guard-mapped only pages whose PTEs were re-lazied (the shared-page quirk).
 */
class BadInputPropertyTest {
    static final long[] INTERESTING = {0, 0xfff, 0x1000, 0x3f8, 0x1_0000, 0x100_f000, 0x101_0000, 0x200_0000,
        0x3ff_ffff, 0x400_0000, 0x7fbf_ffffL, 0x7fc0_0000L, 0x8000_0000L, 0x8fff_ffffL, (1L << 39) - 1, 1L << 39,
        1L << 40, -1L, -0x1000L, 0x0900_0000L, 0x3000_0000L};

    static long address(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> INTERESTING[r.nextInt(INTERESTING.length)];
            case 1 -> INTERESTING[r.nextInt(INTERESTING.length)] + r.nextInt(-0x2000, 0x2000);
            case 2 -> r.nextLong(0, 0x1_0000_0000L);
            default -> r.nextLong();
        };
    }

    static long esr(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> Syndrome.translationFault(r.nextInt(4), r.nextBoolean(), r.nextBoolean());
            case 1 -> Syndrome.permissionFault(r.nextInt(4), r.nextBoolean());
            case 2 -> 0x9600_0000L | r.nextInt(0x400);
            case 3 -> r.nextLong(0, 1L << 32);
            default -> r.nextLong();
        };
    }

    @TestFactory
    Stream<DynamicTest> randomOperationsNeverEscapeUntypedNorCorruptTheTable() {
        return Property.shards("BadInputPropertyTest#randomOperationsNeverEscapeUntypedNorCorruptTheTable", 100, 10, r -> {
            long[] ops = new long[60];
            for (int i = 0; i < ops.length; i += 3) {
                ops[i] = r.nextInt(6);
                ops[i + 1] = r.nextBoolean() ? address(r) : esr(r);
                ops[i + 2] = address(r);
            }
            return ops;
        }, BadInputPropertyTest::run);
    }

    static void run(long[] ops) throws Exception {
        RecordingHypervisor rec = new RecordingHypervisor();
        KvmHypervisor kvm = new KvmHypervisor(rec);
        try (TableArena arena = TableArena.create(512)) {
            MemoryTracker tracker = MainWrapper.boot(kvm, Profile040.INSTANCE, arena, CrosvmLayout.DEFAULT_RAM_SIZE);
            MemoryMutex<MemoryTracker> memory = new MemoryMutex<>(tracker);
            ExceptionHandler handler = new ExceptionHandler(memory);
            var root = ((PvmfwPageTable) tracker.pageTable()).rootTable();
            for (int i = 0; i + 2 < ops.length; i += 3) {
                long a = ops[i + 1];
                long b = ops[i + 2];
                int mapsBefore = rec.arguments(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP).size();
                String before = root.debug();
                try {
                    switch (Math.floorMod(ops[i], 6)) {
                        case 0 -> tracker.mapMmioRange(new MemoryRange(a, b));
                        case 1 -> tracker.allocRange(new MemoryRange(a, b));
                        case 2 -> tracker.allocRangeMut(new MemoryRange(a, b));
                        case 3 -> {
                            ExceptionOutcome out = handler.syncExceptionCurrent(a, b, 0x7fc0_0000L);
                            int maps = rec.arguments(Smccc.VENDOR_HYP_KVM_MMIO_GUARD_MAP).size();
                            if (Esr.decode(a) != Esr.Unit.DataAbortTranslationFault) {
                                var reboot = assertInstanceOf(ExceptionOutcome.Reboot.class, out);
                                assertEquals(HandleExceptionError.Unit.UnknownException,
                                        reboot.error().orElseThrow());
                                assertEquals(mapsBefore, maps);
                                assertEquals(before, root.debug());
                            } else if (out instanceof ExceptionOutcome.Return) {
                                assertEquals(mapsBefore + 1, maps);
                                assertEquals(b & ~0xfffL, rec.log().getLast().argument());
                                WalkResult w = Mmus.walk(root, b);
                                assertTrue(w.isTranslated(), "handled page is valid");
                            } else if (out instanceof ExceptionOutcome.Reboot reboot
                                    && reboot.error().orElse(null) instanceof HandleExceptionError.InternalError ie
                                    && ie.error() == MemoryTrackerError.Unit.InvalidPte) {
                                assertEquals(mapsBefore, maps, "InvalidPte makes no hypercall");
                                assertEquals(before, root.debug(), "InvalidPte changes nothing");
                            }
                        }
                        case 4 -> {
                            Cpu cpu = Mmus.cpu(root, handler, rec::allowsMmioAccess);
                            AccessResult res = cpu.access(a, (b & 1) == 0 ? Access.READ : Access.WRITE);
                            assertTrue(!(res instanceof AccessResult.FaultedAgain), "no double fault: " + res);
                        }
                        default -> tracker.handleMmioFault(a);
                    }
                } catch (MemoryTrackerException e) {
                    // a typed error: fine
                } catch (TranslationPanic e) {
                    assertEquals(TranslationPanic.Kind.EXHAUSTED, e.kind()); // documented panic
                } catch (Throwable t) {
                    if (t instanceof AssertionError ae) {
                        throw ae;
                    }
                    fail("untyped escape at op " + i / 3 + ": " + t, t);
                }
                root.debug(); // every table reachable and readable
                Mmus.assertNoValidDevicePageWithoutGuardMap(rec, root);
            }
            tracker.mmioUnmapAll();
            for (long page : rec.guardMapped()) {
                if (page != CrosvmLayout.UART_PAGE) {
                    assertTrue(!Mmus.walk(root, page).isTranslated(),
                            "still guard-mapped after teardown but valid: 0x" + Long.toHexString(page));
                }
            }
            tracker.close();
        }
    }
}
