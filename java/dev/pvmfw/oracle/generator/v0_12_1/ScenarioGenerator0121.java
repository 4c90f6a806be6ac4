package dev.pvmfw.oracle.generator.v0_12_1;

import dev.pvmfw.oracle.scenario.FlagSet;
import dev.pvmfw.oracle.scenario.Predicate;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.oracle.scenario.Updater;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.v0_12_1.profile.Profile0121;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random scenarios of profile 0.12.1: every regime and root level (a level-4 root one time in a hundred, the
 * crate's panic), both VA ranges and ASIDs where the regime has them, arenas small enough to run out part way through a
 * split, PA bases at 0 and at the top of the 48-bit space; steps biased to block edges (ranges of one to three entries
 * of a random level, shifted by pages), live mappings (activate, mark-active; the dry run), unmaps over tables (maps of
 * invalid flags), compaction and refusals (backwards and out-of-range regions, TABLE_OR_PAGE or unknown bits in map
 * flags, NT, PA changes of live entries, deactivate and mark-inactive underflow), with updaters of every action
 * ({@code docs/scenarios.md}, "Updaters"). Scenario {@code seed} depends on the seed alone.
 *
 * <p>A {@code set} action whose flags hold TABLE_OR_PAGE is limited to level 3: below it, it writes a table
 * descriptor to memory that is no table, whose free panics while the drop of an active mapping unwinds — a double
 * panic, which aborts the Rust process (the Rust engine refuses that drop as {@code invalid}); {@code modify_flags}
 * never flips TABLE_OR_PAGE, so no other action writes one.
 */
public final class ScenarioGenerator0121 {
    private ScenarioGenerator0121() {}

    private static final long MASK = 0x0000_ffff_ffff_f000L;
    private static final long VALID = 1;
    private static final long TABLE_OR_PAGE = 2;
    /** Flags of maps and set actions: libvmbase's sets, stage-2 ones, invalid (lazy) ones, nothing, UXN alone. */
    static final long[] FLAGS = {0xf05, 0x40_0000_0000_0f05L, 0xf85, 0x00c0_0000_0000_0400L,
        0x00c0_0000_0000_0401L, 0, 0x7fd, 0x77d, 0x40_0000_0000_0705L, 0x400, 0x0400_0000_0000_0400L};
    /** Bits a modify_flags action sets or clears: VALID, AP[2], AF, SWFLAG_0, UXN, TABLE_OR_PAGE, nG, bit 48, SH. */
    private static final long[] BITS = {VALID, 1L << 7, 1L << 10, 1L << 55, 1L << 54, TABLE_OR_PAGE, 1L << 11,
        1L << 48, 0x300, 1L << 6};
    private static final Predicate[] WHEN = {Predicate.ANY, Predicate.ANY, Predicate.ANY, Predicate.VALID,
        Predicate.INVALID, Predicate.LEAF, Predicate.VALID_LEAF, Predicate.LAZY};

    /** Scenario {@code seed}: a table step, then 10 to {@code maxSteps} (at least 10) steps, no drop. */
    public static Scenario generate(long seed, int maxSteps) {
        SplittableRandom r = new SplittableRandom(seed);
        TranslationRegime regime = TranslationRegime.values()[r.nextInt(5)];
        int level = r.nextInt(100) == 0 ? 4 : r.nextInt(4);
        boolean upper = regime.hasUpperRange() && r.nextInt(3) == 0;
        long asid = regime.hasUpperRange() ? r.nextInt(4) : 0;
        int slots = r.nextInt(4) == 0 ? 3 + r.nextInt(6) : 8 + r.nextInt(56);
        long paBase = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> (1L << 48) - (long) slots * 4096;
            default -> r.nextLong(1L << 36) << 12;
        };
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.NewTable(level, upper ? VaRange.UPPER : VaRange.LOWER, regime, asid));
        int lvl = Math.min(level, 3);
        long size = 1L << (12 + 9 * (4 - lvl)); // the bytes the root maps (an upper range ends at 2^64)
        long vaBase = upper ? -size : 0;
        int n = 10 + r.nextInt(Math.max(1, maxSteps - 9));
        for (int i = 0; i < n; i++) {
            steps.add(step(r, regime, lvl, size, vaBase));
        }
        return new Scenario("g0121-" + Long.toHexString(seed), Profile0121.INSTANCE, slots, paBase, steps);
    }

    private static FlagSet flags(long bits, TranslationRegime regime) {
        return new FlagSet(bits, Profile0121.INSTANCE, regime);
    }

    static Step step(SplittableRandom r, TranslationRegime regime, int rootLevel, long size, long vaBase) {
        int k = r.nextInt(100);
        int gl = rootLevel + r.nextInt(4 - rootLevel);
        long gran = 4096L << 9 * (3 - gl);
        long entries = Math.max(1, Long.divideUnsigned(size, gran));
        long start = vaBase + gran * r.nextLong(Math.min(entries, 1L << 20));
        long len = r.nextInt(3) == 0 ? 4096L * (1 + r.nextInt(4)) : gran * (1 + r.nextInt(3));
        if (r.nextInt(4) == 0) {
            start += 4096L * r.nextInt(512);
        }
        long end = start + len;
        int odd = r.nextInt(40);
        if (odd == 0) {
            end = start - 4096; // backwards
        } else if (odd == 1) {
            end = vaBase + size + 4096; // beyond the table
        } else if (odd == 2) {
            start = vaBase == 0 ? -4096L : 0; // the other range
        }
        if (k < 45) {
            long pa = switch (r.nextInt(4)) {
                case 0 -> start & MASK;
                case 1 -> (r.nextLong(1L << 36) << 12) & ~(gran - 1) & MASK;
                case 2 -> r.nextLong(1L << 36) << 12;
                default -> 0;
            };
            long f = FLAGS[r.nextInt(FLAGS.length)];
            int odd2 = r.nextInt(30);
            if (odd2 == 0) {
                f |= TABLE_OR_PAGE;
            } else if (odd2 == 1) {
                f = r.nextLong();
            } else if (odd2 == 2) {
                f |= 1L << 16; // NT, inside the address field
            } else if (odd2 == 3) {
                f ^= 1L << 7;
            }
            long constraints = r.nextInt(5) == 0 ? r.nextInt(4) : r.nextInt(50) == 0 ? 4 : 0;
            return new Step.MapRange(start, end, pa, flags(f, regime), constraints);
        }
        if (k < 65) {
            return new Step.ModifyRange(start, end, edit(r, regime, start));
        }
        if (k < 75) {
            return new Step.WalkRange(start, end, failure(r, start));
        }
        if (k < 80) {
            return new Step.CompactSubtables();
        }
        if (k < 86) {
            return new Step.Activate();
        }
        if (k < 90) {
            return new Step.Deactivate(r.nextInt(8) == 0 ? r.nextLong() : -1L);
        }
        return k < 93 ? new Step.MarkActive() : new Step.MarkInactive();
    }

    static Updater.Edit edit(SplittableRandom r, TranslationRegime regime, long start) {
        Predicate when = WHEN[r.nextInt(WHEN.length)];
        int levels = r.nextInt(4) == 0 ? 1 + r.nextInt(15) : 0xF;
        int a = r.nextInt(10);
        Updater.Action action;
        if (a < 2) {
            action = new Updater.Action.None();
        } else if (a < 6) {
            long set = r.nextBoolean() ? BITS[r.nextInt(BITS.length)] : 0;
            long clear = r.nextBoolean() ? BITS[r.nextInt(BITS.length)] : 0;
            if (r.nextInt(8) == 0) {
                set |= BITS[r.nextInt(BITS.length)];
            }
            action = new Updater.Action.ModifyFlags(flags(set, regime), flags(clear, regime));
        } else {
            long f = FLAGS[r.nextInt(FLAGS.length)];
            int page = r.nextInt(3);
            if (page == 0) {
                f |= VALID | TABLE_OR_PAGE; // a page: level 3 only
                levels &= 8;
                levels = levels == 0 ? 8 : levels;
            }
            int which = r.nextInt(4);
            boolean keep = which == 0 || which == 1;
            long pa = which == 2 ? start & MASK : r.nextInt(10) == 0 ? r.nextLong() : r.nextLong(1L << 36) << 12;
            action = new Updater.Action.Set(keep ? 0 : pa, keep, flags(f, regime));
        }
        return new Updater.Edit(when, levels, action, failure(r, start));
    }

    static Updater.Failure failure(SplittableRandom r, long start) {
        int f = r.nextInt(20);
        if (f < 15) {
            return new Updater.Failure.Never();
        }
        if (f < 18) {
            return new Updater.Failure.AtCall(1 + r.nextInt(4));
        }
        if (f < 19) {
            return new Updater.Failure.When(WHEN[1 + r.nextInt(WHEN.length - 1)]);
        }
        return new Updater.Failure.At(3, start & ~0xfffL);
    }
}
