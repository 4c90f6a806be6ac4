package dev.pvmfw.oracle.generator;

import dev.pvmfw.oracle.scenario.FlagSet;
import dev.pvmfw.oracle.scenario.Predicate;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.oracle.scenario.Updater;
import dev.pvmfw.paging.port.CrateProfile;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;

import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.VaRange;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random scenarios for differential testing, biased to where page tables go wrong: block boundaries (2 MiB,
 * 1 GiB, ±1 page), the ends of the table's range and of the 64-bit space, backwards and empty regions, misaligned
 * PAs, invalid (lazy) leaves, pvmfw's attribute sets, TABLE_OR_PAGE in map flags, flag masks that are not whole named
 * flags (unknown bits, part of NORMAL or EXECUTE_NEVER, address bits), updaters with overlapping set and clear masks,
 * every predicate and every kind of failure, small arenas that run out, arenas at PA 0, 0x4000_0000 and just below
 * 2^48. Every scenario ends with a drop, so the free order is always compared. The same seed always gives the same
 * scenario.
 */
public final class ScenarioGenerator {
    static final long MIB2 = 1L << 21;
    static final long GIB = 1L << 30;
    private static final Attributes[] FLAG_POOL = {
        Attributes.VALID, Attributes.NORMAL, Attributes.USER, Attributes.READ_ONLY, Attributes.ACCESSED,
        Attributes.NON_GLOBAL, Attributes.DBM, Attributes.EXECUTE_NEVER, Attributes.SWFLAG_0, Attributes.SWFLAG_1,
        Attributes.SWFLAG_2, Attributes.SWFLAG_3, Attributes.TABLE_OR_PAGE,
    };
    /** pvmfw's sets (mmu.rs, 0.4.0): DEVICE_LAZY, DEVICE, MEMORY, CODE, DATA, RODATA, DATA_DBM. */
    private static final Attributes[] PVMFW_SETS = {
        Attributes.of(Attributes.SWFLAG_0, Attributes.EXECUTE_NEVER),
        Attributes.of(Attributes.SWFLAG_0, Attributes.EXECUTE_NEVER, Attributes.VALID),
        Attributes.of(Attributes.VALID, Attributes.NORMAL, Attributes.NON_GLOBAL),
        Attributes.of(Attributes.VALID, Attributes.NORMAL, Attributes.NON_GLOBAL, Attributes.READ_ONLY),
        Attributes.of(Attributes.VALID, Attributes.NORMAL, Attributes.NON_GLOBAL, Attributes.EXECUTE_NEVER),
        Attributes.of(Attributes.VALID, Attributes.NORMAL, Attributes.NON_GLOBAL, Attributes.EXECUTE_NEVER,
                Attributes.READ_ONLY),
        Attributes.of(Attributes.VALID, Attributes.NORMAL, Attributes.NON_GLOBAL, Attributes.EXECUTE_NEVER,
                Attributes.READ_ONLY, Attributes.DBM),
    };

    /** The crate version whose names and rules these scenarios use. */
    static final CrateProfile PROFILE = Profile040.INSTANCE;
    /** Bits 0.4.0 names no flag with (NS, AttrIndx[2:1], CONTIGUOUS, 59..63), and address bits 12 and 47. */
    private static final long[] ODD_BITS = {1L << 5, 1L << 3, 1L << 4, 1L << 52, 1L << 59, 1L << 63, 1L << 12,
        1L << 47};
    /** Parts of 0.4.0's multi-bit flags: bit 2 or 8 of NORMAL, bit 53 or 54 of EXECUTE_NEVER. */
    private static final long[] PARTIAL_BITS = {1L << 2, 1L << 8, 1L << 9, 1L << 53, 1L << 54};

    private ScenarioGenerator() {}

    /** The arena's PA base: mostly pvmfw's, sometimes 0, sometimes as high as the arena fits below 2^48. */
    static long paBase(SplittableRandom r, int slots) {
        return switch (r.nextInt(8)) {
            case 0 -> 0;
            case 1 -> (1L << 48) - (long) slots * Geometry.PAGE_SIZE;
            default -> 0x4000_0000L;
        };
    }

    static FlagSet set(long bits) {
        return new FlagSet(bits, PROFILE);
    }

    /** A scenario named after its seed. */
    public static Scenario generate(long seed, int maxSteps) {
        SplittableRandom r = new SplittableRandom(seed);
        int slots = r.nextInt(10) == 0 ? 2 + r.nextInt(6) : 64;
        int level = pick(r, new int[] {1, 1, 1, 1, 1, 1, 0, 2, 2, 3});
        if (r.nextInt(200) == 0) {
            level = 4;
        }
        VaRange range = r.nextInt(8) == 0 ? VaRange.UPPER : VaRange.LOWER;
        long size = level <= 3 ? Geometry.granularityAtLevel(level) << Geometry.BITS_PER_LEVEL : 1L << 21;
        long bottom = range == VaRange.UPPER ? -size : 0;
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.NewTable(level, range));
        int n = 1 + r.nextInt(Math.max(1, maxSteps));
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(100);
            long start = address(r, bottom, size);
            long end = end(r, start, size);
            if (kind < 70) {
                steps.add(new Step.MapRange(start, end, pa(r, start), flags(r)));
            } else {
                steps.add(new Step.ModifyRange(start, end, updater(r, bottom, size)));
            }
        }
        steps.add(new Step.DropTable());
        return new Scenario("random-" + Long.toHexString(seed), PROFILE, slots, paBase(r, slots), steps);
    }

    /**
     * A tracker scenario (pvmfw's memory tracker and page table at the seed change, and its hypervisor): lazy MMIO
     * regions around the crosvm windows and block boundaries, faults mostly inside them (first touches, repeats,
     * neighbours, outsiders); RAM allocations (read-only and read-write, ranges and base + size) inside, across and
     * outside the main memory window, overlapping, past five regions, between 2^39 and 2^40, and shrinks that cut them;
     * pvmfw's code, data and rodata mappings and arbitrary maps and modifies on its table; direct MAP, UNMAP and
     * MMIO guard init calls; hypervisor errors injected by call number, by the n-th call of a function (MAP, UNMAP,
     * ENROLL, INFO, MEMINFO, SHARE, UNSHARE; mostly the next few) and by (function, IPA), including Android 13's i32
     * answers; the dynamic and static shared pools, shared allocations (sizes past the heap, zero, odd alignments)
     * and frees, unsharing; teardown, and a drop.
     */
    public static Scenario generateTracker(long seed, int maxSteps) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Step> steps = new ArrayList<>();
        long ramEnd = r.nextInt(3) == 0 ? 1L << 40 : 0x8000_0000L + (1L + r.nextInt(64)) * MIB2;
        steps.add(new Step.NewTracker(ramEnd, r.nextInt(6) != 0));
        if (r.nextInt(4) != 0) {
            steps.add(new Step.PageTableMap(Step.PageTableSet.DEVICE, 0x3f8, 0x3f9));
        }
        List<long[]> regions = new ArrayList<>();
        List<long[]> ram = new ArrayList<>();
        long[] total = {0x8000_0000L, ramEnd};
        int n = 1 + r.nextInt(Math.max(1, maxSteps));
        int calls = 0;
        int[] perFunction = new int[Step.HypFunction.values().length];
        boolean pool = false;
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(100);
            if (k < 18 || regions.isEmpty() && k < 45) {
                long start = mmioStart(r);
                long end = start + mmioLength(r);
                steps.add(new Step.MmioMap(start, end));
                regions.add(new long[] {start, end});
            } else if (k < 45) {
                steps.add(new Step.Fault(faultAddress(r, regions)));
                calls++;
                perFunction[Step.HypFunction.MAP.ordinal()]++;
            } else if (k < 51) {
                long page = regions.isEmpty() ? mmioStart(r) & -Geometry.PAGE_SIZE : somePage(r, regions);
                int fn = r.nextInt(3) == 0 ? 0xc600_0008 : 0xc600_0007;
                steps.add(new Step.InjectFor(fn, page, hypError(r)));
            } else if (k < 53) {
                steps.add(new Step.InjectAtCall(r.nextInt(calls + 2), hypError(r)));
            } else if (k < 59) {
                Step.HypFunction[] fns = Step.HypFunction.values();
                Step.HypFunction f = r.nextInt(3) != 0 ? (r.nextBoolean() ? Step.HypFunction.MAP
                        : Step.HypFunction.UNMAP) : fns[r.nextInt(fns.length)];
                int nth = perFunction[f.ordinal()] + 1 + (r.nextInt(3) == 0 ? r.nextInt(4) : 0);
                steps.add(new Step.InjectNth(f, nth, hypError(r)));
            } else if (k < 61) {
                steps.add(new Step.ClearInjections());
            } else if (k < 65) {
                steps.add(new Step.MmioUnmapAll());
                calls += 2;
                perFunction[Step.HypFunction.UNMAP.ordinal()] += 2;
            } else if (k < 68 && !regions.isEmpty()) {
                long[] region = regions.get(r.nextInt(regions.size()));
                switch (r.nextInt(4)) {
                    // a valid DEVICE block over an MMIO region: teardown's block-breakdown assertion
                    case 0 -> steps.add(new Step.PageTableMap(Step.PageTableSet.DEVICE,
                            Geometry.alignDown(region[0], MIB2), Geometry.alignDown(region[0], MIB2) + MIB2));
                    // a valid non-device page in an MMIO region: teardown's SWFLAG_0 assertion
                    case 1 -> steps.add(new Step.MapRange(region[0], region[0] + Geometry.PAGE_SIZE, region[0],
                            set(PVMFW_SETS[2].bits())));
                    default -> {
                        long start = Geometry.alignDown(0x8000_0000L + r.nextLong(64 * MIB2), Geometry.PAGE_SIZE);
                        steps.add(new Step.MapRange(start, start + (1 + r.nextInt(600)) * (long) Geometry.PAGE_SIZE,
                                start, set(PVMFW_SETS[2 + r.nextInt(PVMFW_SETS.length - 2)].bits())));
                    }
                }
            } else if (k < 78) {
                // now and then a burst, to reach the five regions' Full
                for (int burst = r.nextInt(6) == 0 ? 4 + r.nextInt(3) : 1; burst > 0; burst--) {
                    long[] range = ramRange(r, total, ram);
                    boolean readWrite = r.nextBoolean();
                    if (r.nextInt(3) == 0 && range[1] != range[0]) {
                        steps.add(new Step.Alloc(range[0], range[1] - range[0], readWrite));
                    } else {
                        steps.add(new Step.AllocRange(range[0], range[1], readWrite));
                    }
                    ram.add(range);
                }
            } else if (k < 80) {
                long end = switch (r.nextInt(5)) {
                    case 0 -> total[1] + MIB2;
                    case 1 -> ram.isEmpty() ? total[1] : ram.get(r.nextInt(ram.size()))[1] - Geometry.PAGE_SIZE;
                    case 2 -> ram.isEmpty() ? total[1] : ram.get(r.nextInt(ram.size()))[1];
                    default -> total[0] + (1 + r.nextInt(64)) * MIB2;
                };
                long start = r.nextInt(6) == 0 ? total[0] + Geometry.PAGE_SIZE : total[0];
                steps.add(new Step.Shrink(start, end));
                if (start == total[0] && Long.compareUnsigned(end, total[1]) <= 0) {
                    total[1] = end; // a guess: the shrink may still fail (SizeTooSmall)
                }
            } else if (k < 83) {
                Step.PageTableSet[] sets = {Step.PageTableSet.CODE, Step.PageTableSet.DATA, Step.PageTableSet.RODATA,
                    Step.PageTableSet.DEVICE};
                long start = r.nextInt(3) == 0 ? address(r, 0, 1L << 39)
                        : Geometry.alignDown(0x7fc0_0000L + r.nextLong(8 * MIB2), Geometry.PAGE_SIZE);
                steps.add(new Step.PageTableMap(sets[r.nextInt(sets.length)], start, end(r, start, 1L << 39)));
            } else if (k < 86) {
                long ipa = switch (r.nextInt(5)) {
                    case 0 -> r.nextLong();
                    case 1 -> 0x3f8;
                    default -> regions.isEmpty() ? mmioStart(r) : somePage(r, regions) + r.nextInt(2) * 0x10;
                };
                boolean unmap = r.nextBoolean();
                steps.add(new Step.HypGuard(ipa, unmap));
                calls++;
                perFunction[(unmap ? Step.HypFunction.UNMAP : Step.HypFunction.MAP).ordinal()]++;
            } else if (k < 87) {
                steps.add(new Step.HypInit());
                calls += 2;
                perFunction[Step.HypFunction.ENROLL.ordinal()]++;
                perFunction[Step.HypFunction.INFO.ordinal()]++;
            } else if (k < 89) {
                long start = regions.isEmpty() || r.nextBoolean() ? address(r, 0, 1L << 39)
                        : regions.get(r.nextInt(regions.size()))[0];
                steps.add(new Step.ModifyRange(start, end(r, start, 1L << 39), updater(r, 0, 1L << 39)));
            } else if (k < 91) {
                steps.add(new Step.SharedPoolDynamic());
                calls++;
                perFunction[Step.HypFunction.MEMINFO.ordinal()]++;
                pool = true;
            } else if (k < 92) {
                long[] range = ramRange(r, total, ram);
                steps.add(new Step.SharedPoolStatic(range[0], range[1]));
                ram.add(range);
                pool = true;
            } else if (k < 96) {
                if (!pool && r.nextInt(8) != 0) { // mostly with a pool: without one, every allocation panics
                    steps.add(new Step.SharedPoolDynamic());
                    perFunction[Step.HypFunction.MEMINFO.ordinal()]++;
                    pool = true;
                }
                for (int burst = r.nextInt(3) == 0 ? 2 + r.nextInt(4) : 1; burst > 0; burst--) {
                    steps.add(new Step.AllocShared(sharedSize(r), sharedAlign(r)));
                    calls += 2;
                    perFunction[Step.HypFunction.SHARE.ordinal()] += 2;
                }
            } else if (k < 98) {
                long size = sharedSize(r);
                long align = sharedAlign(r);
                long addr = 0x7fe1_0000L + r.nextInt(0x20) * (long) Geometry.PAGE_SIZE + (r.nextInt(4) == 0
                        ? r.nextInt(Geometry.PAGE_SIZE) : 0);
                if (!pool && r.nextInt(8) != 0) {
                    steps.add(new Step.SharedPoolDynamic());
                    perFunction[Step.HypFunction.MEMINFO.ordinal()]++;
                    pool = true;
                }
                if (Step.isLayout(size, align)) {
                    steps.add(new Step.DeallocShared(addr, size, align));
                }
            } else {
                steps.add(new Step.UnshareAll());
                perFunction[Step.HypFunction.UNSHARE.ordinal()] += 2;
            }
        }
        if (r.nextInt(2) == 0) {
            steps.add(new Step.MmioUnmapAll());
        }
        steps.add(new Step.DropTable());
        return new Scenario("tracker-" + Long.toHexString(seed), PROFILE, 64, 0x4000_0000L, steps);
    }

    /** A page of one of the MMIO regions drawn so far. */
    static long somePage(SplittableRandom r, List<long[]> regions) {
        long[] region = regions.get(r.nextInt(regions.size()));
        return Geometry.alignDown(region[0] + (region[1] > region[0] ? r.nextLong(region[1] - region[0]) : 0),
                Geometry.PAGE_SIZE);
    }

    /**
     * A RAM range: mostly inside the main memory window, page- or block-sized, often next to or over an earlier one;
     * sometimes empty, backwards, below the window, past its end, or between 2^39 and 2^40 (in the window, beyond the
     * table: FailedToMap).
     */
    static long[] ramRange(SplittableRandom r, long[] total, List<long[]> ram) {
        long start = switch (r.nextInt(10)) {
            case 0 -> ram.isEmpty() ? total[0] : ram.get(r.nextInt(ram.size()))[0];
            case 1 -> ram.isEmpty() ? total[0] : ram.get(r.nextInt(ram.size()))[1];
            case 2 -> ram.isEmpty() ? total[0] : ram.get(r.nextInt(ram.size()))[1] - Geometry.PAGE_SIZE;
            case 3 -> total[0] - Geometry.PAGE_SIZE;
            case 4 -> total[1] - Geometry.PAGE_SIZE * (long) r.nextInt(3);
            case 5 -> (1L << 39) + r.nextInt(4) * MIB2;
            default -> total[0] + r.nextLong(Math.max(1, Math.min(total[1] - total[0], 64 * MIB2)
                    / Geometry.PAGE_SIZE)) * Geometry.PAGE_SIZE;
        };
        if (r.nextInt(10) == 0) {
            start += 1 + r.nextInt(Geometry.PAGE_SIZE - 1);
        }
        long end = switch (r.nextInt(10)) {
            case 0 -> start;
            case 1 -> start - Geometry.PAGE_SIZE;
            case 2 -> start + MIB2;
            case 3 -> start + 1;
            case 4 -> start + (1 + r.nextInt(4)) * MIB2 + r.nextInt(2) * (long) Geometry.PAGE_SIZE;
            default -> start + (1 + r.nextInt(16)) * (long) Geometry.PAGE_SIZE;
        };
        return new long[] {start, end};
    }

    /** A shared allocation's size: small, page multiples, past the 128 KiB heap, now and then 0 or huge. */
    static long sharedSize(SplittableRandom r) {
        return switch (r.nextInt(20)) {
            case 0 -> 0;
            case 1 -> 1 + r.nextInt(64);
            case 2 -> 0x3000;
            case 3 -> 0x10000 + r.nextInt(2);
            case 4 -> 0x30000;
            case 5 -> Long.MAX_VALUE - r.nextInt(4096);
            case 6 -> 1L << 62;
            case 7, 8, 9, 10, 11, 12 -> 1L << r.nextInt(16); // a buddy block exactly: the refill fits it
            default -> (1 + r.nextInt(8)) * (long) Geometry.PAGE_SIZE - r.nextInt(2) * (long) r.nextInt(100);
        };
    }

    /** A shared allocation's alignment: mostly a small power of two; now and then 0, 3, 2^62 or 2^63. */
    static long sharedAlign(SplittableRandom r) {
        return switch (r.nextInt(28)) {
            case 0 -> 0;
            case 1 -> 3;
            case 2 -> 1L << 62;
            case 3 -> 1L << 63;
            case 4 -> 0x2000;
            case 5 -> 0x10000;
            default -> 1L << r.nextInt(13);
        };
    }

    static long mmioStart(SplittableRandom r) {
        long base = switch (r.nextInt(10)) {
            case 0 -> 0x1_0000L;
            case 1 -> 0x200_0000L;
            case 2 -> r.nextLong(0x4000_0000L / MIB2) * MIB2;
            case 3 -> 0x7fc0_0000L - Geometry.PAGE_SIZE * (long) r.nextInt(4);
            case 4 -> 0x8000_0000L;
            case 5 -> r.nextLong(1L << 39);
            case 6 -> 0x900_0000L;
            default -> r.nextLong(0x4000_0000L / Geometry.PAGE_SIZE) * Geometry.PAGE_SIZE;
        };
        return r.nextInt(8) == 0 ? base + r.nextInt(Geometry.PAGE_SIZE) : base;
    }

    static long mmioLength(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> MIB2;
            case 3 -> 16 * MIB2 >> 1;
            case 4 -> r.nextInt(8) * MIB2 + r.nextInt(3) * (long) Geometry.PAGE_SIZE;
            case 5 -> 0x100_0000L;
            default -> (1 + r.nextInt(64)) * (long) Geometry.PAGE_SIZE;
        };
    }

    static long faultAddress(SplittableRandom r, List<long[]> regions) {
        long[] region = regions.get(r.nextInt(regions.size()));
        long span = Math.max(1, region[1] - region[0]);
        return switch (r.nextInt(10)) {
            case 0 -> region[0] - Geometry.PAGE_SIZE;
            case 1 -> region[1];
            case 2 -> r.nextLong();
            case 3 -> 0;
            case 4 -> (1L << 39) + r.nextInt(Geometry.PAGE_SIZE);
            default -> region[0] + r.nextLong(span);
        };
    }

    /** Raw x0 answers: KVM errors as i64, Android 13's i32 answers, and the i32 reading of a large positive value. */
    static long hypError(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> -1;
            case 1 -> -3;
            case 2 -> -2;
            case 3 -> 0xFFFF_FFFFL;
            case 4 -> 0x1_0000_0000L;
            default -> 0xFFFF_FFFDL;
        };
    }

    static int pick(SplittableRandom r, int[] values) {
        return values[r.nextInt(values.length)];
    }

    /** A start address: mostly boundaries of the table's range, sometimes anything. */
    static long address(SplittableRandom r, long bottom, long size) {
        long span = Math.max(size, Geometry.PAGE_SIZE);
        long base = switch (r.nextInt(12)) {
            case 0 -> bottom;
            case 1 -> bottom + (r.nextLong(Math.max(1, span / MIB2)) * MIB2);
            // GiB boundaries, or a whole entry of the root table (512 GiB at level 0: a level-0 block)
            case 2 -> r.nextBoolean() ? bottom + (r.nextLong(Math.max(1, span / GIB)) * GIB)
                    : bottom + r.nextLong(Geometry.ENTRIES_PER_TABLE) * (span >>> Geometry.BITS_PER_LEVEL);
            case 3 -> bottom + span - Geometry.PAGE_SIZE;
            case 4 -> bottom + span;
            case 5 -> -Geometry.PAGE_SIZE;
            case 6 -> bottom + r.nextLong(Math.max(1, span / Geometry.PAGE_SIZE)) * Geometry.PAGE_SIZE;
            case 7 -> r.nextLong();
            case 8 -> 0x0900_0000L + r.nextInt(4) * MIB2;
            default -> bottom + r.nextLong(Math.min(span, 64 * MIB2) / Geometry.PAGE_SIZE) * Geometry.PAGE_SIZE;
        };
        return switch (r.nextInt(8)) {
            case 0 -> base + Geometry.PAGE_SIZE;
            case 1 -> base - Geometry.PAGE_SIZE;
            case 2 -> base + 1 + r.nextInt(Geometry.PAGE_SIZE - 1);
            default -> base;
        };
    }

    /** An end: a page, two, a block ±1 page, one whole root entry, empty, backwards, or to the top of the range. */
    static long end(SplittableRandom r, long start, long size) {
        return switch (r.nextInt(14)) {
            case 0 -> start;
            case 1 -> start - Geometry.PAGE_SIZE;
            case 2 -> start + 1;
            case 3 -> start + 2 * Geometry.PAGE_SIZE;
            case 4 -> start + MIB2;
            case 5 -> start + MIB2 + Geometry.PAGE_SIZE;
            case 6 -> start + MIB2 - Geometry.PAGE_SIZE;
            case 7 -> start + switch (r.nextInt(3)) {
                case 0 -> GIB;
                case 1 -> 2 * MIB2;
                default -> size >>> Geometry.BITS_PER_LEVEL; // one whole root entry: 512 GiB at level 0
            };
            case 8 -> start + r.nextInt(512) * (long) Geometry.PAGE_SIZE + r.nextInt(2);
            case 9 -> -1;
            case 10 -> start + (1 + r.nextInt(8)) * MIB2;
            default -> start + Geometry.PAGE_SIZE;
        };
    }

    static long pa(SplittableRandom r, long start) {
        return switch (r.nextInt(10)) {
            case 0 -> start + Geometry.PAGE_SIZE;
            case 1 -> r.nextLong(1L << 40) & ~(MIB2 - 1);
            case 2 -> r.nextLong(1L << 40) & ~(GIB - 1);
            case 3 -> r.nextLong();
            case 4 -> 0;
            default -> start;
        };
    }

    static FlagSet flags(SplittableRandom r) {
        if (r.nextInt(3) == 0) {
            return set(PVMFW_SETS[r.nextInt(PVMFW_SETS.length)].bits());
        }
        long out = 0;
        for (Attributes f : FLAG_POOL) {
            if (f == Attributes.TABLE_OR_PAGE ? r.nextInt(25) == 0 : r.nextInt(4) == 0) {
                out |= f.bits();
            }
        }
        if (r.nextInt(3) != 0) {
            out |= Attributes.VALID.bits();
        }
        return set(out | oddBits(r, 10));
    }

    /** Now and then (one in {@code odds}) a bit no flag names, part of a multi-bit flag, or an address bit. */
    static long oddBits(SplittableRandom r, int odds) {
        if (r.nextInt(odds) != 0) {
            return 0;
        }
        return r.nextBoolean() ? ODD_BITS[r.nextInt(ODD_BITS.length)] : PARTIAL_BITS[r.nextInt(PARTIAL_BITS.length)];
    }

    static Updater updater(SplittableRandom r, long bottom, long size) {
        int k = r.nextInt(10);
        if (k < 3) {
            Updater.BuiltinKind[] kinds = Updater.BuiltinKind.values();
            return new Updater.Builtin(kinds[r.nextInt(kinds.length)]);
        }
        long set = 0;
        long clear = 0;
        for (Attributes f : FLAG_POOL) {
            boolean risky = f == Attributes.TABLE_OR_PAGE || f == Attributes.VALID;
            int odds = risky ? 12 : 5;
            if (r.nextInt(odds) == 0) {
                set |= f.bits();
            } else if (r.nextInt(odds) == 0) {
                clear |= f.bits();
            }
        }
        set |= oddBits(r, 6);
        clear |= oddBits(r, 6);
        if (r.nextInt(5) == 0) { // overlapping masks: modify_flags sets, then clears
            long both = FLAG_POOL[r.nextInt(FLAG_POOL.length)].bits() | oddBits(r, 3);
            set |= both;
            clear |= both;
        }
        Predicate[] predicates = Predicate.values();
        Predicate when = r.nextInt(3) == 0 ? predicates[r.nextInt(predicates.length)] : Predicate.ANY;
        int levels = r.nextInt(3) == 0 ? 0b1000 : r.nextInt(4) == 0 ? 0b1111 : r.nextInt(16);
        Updater.Failure fail = switch (r.nextInt(8)) {
            case 0 -> new Updater.Failure.AtCall(1 + r.nextInt(r.nextBoolean() ? 3 : 40));
            case 1 -> new Updater.Failure.When(predicates[r.nextInt(predicates.length)]);
            case 2 -> {
                int level = r.nextInt(4);
                yield new Updater.Failure.At(level, Geometry.alignDown(address(r, bottom, size),
                        Geometry.granularityAtLevel(level)));
            }
            default -> new Updater.Failure.Never();
        };
        return new Updater.Edit(when, levels, set(set), set(clear), fail);
    }
}
