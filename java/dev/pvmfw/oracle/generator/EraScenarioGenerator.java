package dev.pvmfw.oracle.generator;

import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.v0_4_0.Attributes;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random tracker scenarios for the eras after the seed ({@code 2023-11}, {@code 2024-05}; {@code docs/scenarios.md},
 * "Eras"): the tracker over pKVM or, now and then, a regular KVM without an MMIO guard; for 2024-05 MMIO guard
 * granules of 4, 8 and 16 KiB and bad ones (6 KiB, 12 KiB, 0, 2^62, and MMIO_GUARD_INFO errors: a granule that reads as
 * a negative i64), so that making the tracker panics; for 2023-11 now and then a 16 KiB granule the era does not read
 * (its MAPs of pages off the granule are refused); lazy MMIO regions around the UART page, the RTC at 0x2000, crosvm's
 * devices and block boundaries, and outside the MMIO window; faults inside them (first touches, repeats in the same
 * granule, neighbours), in 0x0..0x4000, and outside; failures injected per call kind (the n-th MAP or UNMAP, mostly
 * the next few; every MAP or UNMAP of one page; a call by number; Android 13's i32 answers); pvmfw's mappings and
 * arbitrary maps and modifies on its table (a valid device block over a region, a non-device page in one: the 2023-11
 * teardown's assertions); the era's teardown, sometimes twice; now and then a step only the 2023-05 tracker has
 * (refused by both engines); and a drop.
 */
public final class EraScenarioGenerator {
    private static final long MIB2 = ScenarioGenerator.MIB2;
    /** The MMIO guard granules 2024-05 accepts, drawn five times in six: 4 KiB and 16 KiB (what boot allows), 8 KiB. */
    private static final long[] GOOD_GRANULES_2024_05 = {4096, 4096, 4096, 16384, 16384, 16384, 8192};
    /**
     * The ones that make {@code MemoryTracker::new} panic, one time in six: not a multiple of 4 KiB, not a power of two
     * (12 KiB, 0), and MMIO_GUARD_INFO errors (answers negative as an i64); 2^62 passes and makes huge granules.
     */
    private static final long[] BAD_GRANULES_2024_05 = {6144, 12288, 0, 1L << 62, -1, -3};

    private EraScenarioGenerator() {}

    /**
     * A tracker scenario for era {@code eraId} ({@code 2023-11} or {@code 2024-05}) from {@code seed}, at most
     * {@code maxSteps} steps after the tracker (then a teardown, maybe, and a drop).
     *
     * @throws IllegalArgumentException for another era
     */
    public static Scenario generate(String eraId, long seed, int maxSteps) {
        boolean sharer = switch (eraId) {
            case "2023-11" -> false;
            case "2024-05" -> true;
            default -> throw new IllegalArgumentException("no random scenarios for era " + eraId);
        };
        SplittableRandom r = new SplittableRandom(seed);
        List<Step> steps = new ArrayList<>();
        long ramEnd = r.nextInt(3) == 0 ? 1L << 40 : 0x8000_0000L + (1L + r.nextInt(64)) * MIB2;
        boolean guard = r.nextInt(7) != 0;
        long granule = !sharer ? (r.nextInt(8) == 0 ? 16384 : 4096)
                : r.nextInt(6) == 0 ? BAD_GRANULES_2024_05[r.nextInt(BAD_GRANULES_2024_05.length)]
                : GOOD_GRANULES_2024_05[r.nextInt(GOOD_GRANULES_2024_05.length)];
        steps.add(new Step.NewTracker(ramEnd, r.nextInt(6) != 0, eraId, granule, guard));
        if (r.nextInt(4) != 0) {
            steps.add(new Step.PageTableMap(Step.PageTableSet.DEVICE, 0x3f8, 0x3f9));
        }
        List<long[]> regions = new ArrayList<>();
        int[] perFunction = new int[Step.HypFunction.values().length];
        int calls = sharer && guard ? 1 : 0; // 2024-05's MMIO_GUARD_INFO when the tracker is made
        long lastFault = -1;
        int n = 1 + r.nextInt(Math.max(1, maxSteps));
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(100);
            if (k < 20 || regions.isEmpty() && (k < 50 || k >= 90)) {
                long start = mmioStart(r);
                long end = start + ScenarioGenerator.mmioLength(r);
                steps.add(new Step.MmioMap(start, end));
                regions.add(new long[] {start, end});
            } else if (k < 50) {
                long addr = switch (r.nextInt(8)) {
                    case 0 -> r.nextInt(0x4000);
                    case 1 -> lastFault >= 0 ? lastFault + r.nextInt(0x4000) - 0x2000 : r.nextInt(0x4000);
                    default -> ScenarioGenerator.faultAddress(r, regions);
                };
                steps.add(new Step.Fault(addr));
                lastFault = addr;
                calls++;
                perFunction[Step.HypFunction.MAP.ordinal()]++;
            } else if (k < 57) {
                Step.HypFunction f = r.nextInt(3) != 0 ? Step.HypFunction.MAP : Step.HypFunction.UNMAP;
                int nth = perFunction[f.ordinal()] + 1 + (r.nextInt(3) == 0 ? r.nextInt(4) : 0);
                steps.add(new Step.InjectNth(f, nth, ScenarioGenerator.hypError(r)));
            } else if (k < 62) {
                long page = regions.isEmpty() ? mmioStart(r) & -Geometry.PAGE_SIZE
                        : ScenarioGenerator.somePage(r, regions);
                if (r.nextBoolean()) {
                    page &= -granule(granule);
                }
                int fn = r.nextInt(3) == 0 ? 0xc600_0008 : 0xc600_0007;
                steps.add(new Step.InjectFor(fn, page, ScenarioGenerator.hypError(r)));
            } else if (k < 64) {
                steps.add(new Step.InjectAtCall(r.nextInt(calls + 2), ScenarioGenerator.hypError(r)));
            } else if (k < 66) {
                steps.add(new Step.ClearInjections());
            } else if (k < 72) {
                steps.add(new Step.MmioUnmapAll());
                calls += 2;
                perFunction[Step.HypFunction.UNMAP.ordinal()] += 2;
            } else if (k < 78 && !regions.isEmpty()) {
                long[] region = regions.get(r.nextInt(regions.size()));
                switch (r.nextInt(3)) {
                    // a valid DEVICE block over an MMIO region: 2023-11 teardown's level assertion
                    case 0 -> steps.add(new Step.PageTableMap(Step.PageTableSet.DEVICE,
                            Geometry.alignDown(region[0], MIB2), Geometry.alignDown(region[0], MIB2) + MIB2));
                    // a valid non-device page in an MMIO region: 2023-11 teardown's SWFLAG_0 assertion
                    case 1 -> steps.add(new Step.MapRange(region[0], region[0] + Geometry.PAGE_SIZE, region[0],
                            ScenarioGenerator.set(Attributes.of(Attributes.VALID, Attributes.NORMAL,
                                    Attributes.NON_GLOBAL).bits())));
                    default -> {
                        long start = region[0];
                        steps.add(new Step.ModifyRange(start, ScenarioGenerator.end(r, start, 1L << 39),
                                ScenarioGenerator.updater(r, 0, 1L << 39)));
                    }
                }
            } else if (k < 84) {
                Step.PageTableSet[] sets = Step.PageTableSet.values();
                long start = r.nextInt(3) == 0 ? ScenarioGenerator.address(r, 0, 1L << 39)
                        : Geometry.alignDown(r.nextLong(0x4000_0000L), Geometry.PAGE_SIZE);
                steps.add(new Step.PageTableMap(sets[r.nextInt(sets.length)], start,
                        ScenarioGenerator.end(r, start, 1L << 39)));
            } else if (k < 88) {
                long start = ScenarioGenerator.address(r, 0, 1L << 39);
                steps.add(new Step.ModifyRange(start, ScenarioGenerator.end(r, start, 1L << 39),
                        ScenarioGenerator.updater(r, 0, 1L << 39)));
            } else if (k < 90) {
                steps.add(switch (r.nextInt(3)) { // a step only the 2023-05 tracker has: refused by both engines
                    case 0 -> new Step.HypInit();
                    case 1 -> new Step.AllocRange(0x8000_0000L, 0x8000_1000L, r.nextBoolean());
                    default -> new Step.UnshareAll();
                });
            } else {
                // a burst of faults through one region: page by page, or granule by granule
                long[] region = regions.get(r.nextInt(regions.size()));
                long stride = r.nextBoolean() ? Geometry.PAGE_SIZE : granule(granule);
                long at = Geometry.alignDown(region[0], Geometry.PAGE_SIZE);
                for (int burst = 2 + r.nextInt(6); burst > 0; burst--, at += stride) {
                    steps.add(new Step.Fault(at + r.nextInt(Geometry.PAGE_SIZE)));
                    calls++;
                    perFunction[Step.HypFunction.MAP.ordinal()]++;
                }
            }
        }
        if (r.nextInt(2) == 0) {
            steps.add(new Step.MmioUnmapAll());
        }
        steps.add(new Step.DropTable());
        return new Scenario("era-" + eraId + "-" + Long.toHexString(seed), ScenarioGenerator.PROFILE, 64,
                0x4000_0000L, steps);
    }

    /** A granule usable as a stride and mask: the drawn one if it is a power of two of at least 4 KiB, else 4 KiB. */
    private static long granule(long granule) {
        return granule >= Geometry.PAGE_SIZE && Long.bitCount(granule) == 1 && granule <= 1L << 30 ? granule
                : Geometry.PAGE_SIZE;
    }

    /** An MMIO region's start: crosvm's devices, the low 16 KiB (UART page, RTC), block boundaries, outside. */
    private static long mmioStart(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> r.nextInt(4) * (long) Geometry.PAGE_SIZE;
            case 1 -> 0x2000;
            default -> ScenarioGenerator.mmioStart(r);
        };
    }
}
