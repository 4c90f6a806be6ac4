package dev.pvmfw.oracle.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.oracle.scenario.Predicate;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.oracle.scenario.Updater;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.v0_4_0.Attributes;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The generator draws what issue 10 and docs/scenarios.md say the campaign covers: every step of the scenario
 * language (a new step the generator never draws fails here), every tracker call kind with both of its variants,
 * every hypervisor function as an n-th-call injection, overlapping and partial masks, every predicate and every
 * failure, the three PA bases, and a drop at the end of every scenario; and the same seed always gives the same
 * scenario.
 */
class ScenarioGeneratorTest {
    static final int SEEDS = 3000;

    static void forTables(Consumer<Scenario> check) {
        for (long seed = 1; seed <= SEEDS; seed++) {
            check.accept(ScenarioGenerator.generate(seed, 20));
        }
    }

    static void forTrackers(Consumer<Scenario> check) {
        for (long seed = 1; seed <= SEEDS; seed++) {
            check.accept(ScenarioGenerator.generateTracker(seed, 25));
        }
    }

    @Test
    void theSameSeedGivesTheSameScenarioAndOtherSeedsOthers() {
        assertEquals(ScenarioGenerator.generate(42, 20), ScenarioGenerator.generate(42, 20));
        assertEquals(ScenarioGenerator.generateTracker(42, 25), ScenarioGenerator.generateTracker(42, 25));
        Set<List<Step>> distinct = new HashSet<>();
        for (long seed = 1; seed <= 100; seed++) {
            distinct.add(ScenarioGenerator.generate(seed, 20).steps());
            distinct.add(ScenarioGenerator.generateTracker(seed, 25).steps());
        }
        assertTrue(distinct.size() > 190, distinct.size() + " distinct scenarios of 200");
        assertNotEquals(ScenarioGenerator.generate(1, 20).name(), ScenarioGenerator.generate(2, 20).name());
    }

    @Test
    void everyScenarioStartsWithItsTableAndEndsWithADrop() {
        forTables(s -> {
            assertInstanceOf(Step.NewTable.class, s.steps().getFirst(), s.name());
            assertInstanceOf(Step.DropTable.class, s.steps().getLast(), s.name());
        });
        forTrackers(s -> {
            assertInstanceOf(Step.NewTracker.class, s.steps().getFirst(), s.name());
            assertInstanceOf(Step.DropTable.class, s.steps().getLast(), s.name());
        });
    }

    /** Every kind of step the language has (Step's permitted records) appears in some tracker scenario. */
    @Test
    void trackerScenariosDrawEveryStepOfTheLanguage() {
        Set<String> seen = new TreeSet<>();
        Set<Step.PageTableSet> sets = EnumSet.noneOf(Step.PageTableSet.class);
        Set<Step.HypFunction> nth = EnumSet.noneOf(Step.HypFunction.class);
        Set<String> variants = new TreeSet<>();
        forTrackers(s -> {
            for (Step step : s.steps()) {
                seen.add(step.getClass().getSimpleName());
                switch (step) {
                    case Step.PageTableMap m -> sets.add(m.set());
                    case Step.InjectNth i -> {
                        nth.add(i.function());
                        if (i.n() > 1) {
                            variants.add("inject-nth-beyond-first");
                        }
                    }
                    case Step.AllocRange a -> variants.add(a.readWrite() ? "alloc-range-mut" : "alloc-range");
                    case Step.Alloc a -> variants.add(a.readWrite() ? "alloc-mut" : "alloc");
                    case Step.HypGuard h -> variants.add(h.unmap() ? "hyp-unmap" : "hyp-map");
                    case Step.InjectFor i -> variants.add("inject-fn-" + Integer.toHexString(i.functionId()));
                    case Step.NewTracker t -> variants.add(t.compatAndroid13() ? "android13" : "android14");
                    case Step.ModifyRange m -> variants.add("modify-" + m.updater().getClass().getSimpleName());
                    default -> { }
                }
            }
        });
        Set<String> all = new TreeSet<>();
        for (Class<?> c : Step.class.getPermittedSubclasses()) {
            all.add(c.getSimpleName());
        }
        all.remove("NewTable"); // a table scenario's first step, below
        // 0.12's Mapping steps are not 0.4.0's: ScenarioGenerator0121Test.
        all.removeAll(List.of("WalkRange", "CompactSubtables", "Activate", "Deactivate", "MarkActive", "MarkInactive"));
        // A later era's step (the 2023-05 tracker refuses it): named scenarios only, so the recorded vectors stay valid.
        all.remove("ConsoleUnmap");
        assertEquals(all, seen);
        assertEquals(EnumSet.allOf(Step.PageTableSet.class), sets);
        assertEquals(EnumSet.allOf(Step.HypFunction.class), nth);
        assertEquals(new TreeSet<>(List.of("alloc", "alloc-mut", "alloc-range", "alloc-range-mut", "android13",
                "android14", "hyp-map", "hyp-unmap", "inject-fn-c6000007", "inject-fn-c6000008",
                "inject-nth-beyond-first", "modify-Builtin", "modify-Edit")), variants);
    }

    /** Table scenarios: every root level, both VA ranges, small arenas, PA bases 0, 0x4000_0000 and just below 2^48. */
    @Test
    void tableScenariosMapWholeLevel0Blocks() {
        long gib512 = 1L << 39;
        int[] blocks = {0};
        forTables(s -> {
            if (((Step.NewTable) s.steps().getFirst()).level() == 0) {
                for (Step step : s.steps()) {
                    if (step instanceof Step.MapRange m && m.start() % gib512 == 0 && m.end() - m.start() >= gib512
                            && m.pa() % gib512 == 0 && m.start() >= 0 && m.end() <= 1L << 48) {
                        blocks[0]++;
                    }
                }
            }
        });
        // The planted bug 13 (level-0 blocks refused) escaped the random campaign when none were drawn.
        assertTrue(blocks[0] >= 3, blocks[0] + " maps of a whole 512 GiB level-0 entry");
    }

    @Test
    void tableScenariosDrawEveryShapeOfTableAndArena() {
        Set<Integer> levels = new TreeSet<>();
        Set<VaRange> ranges = EnumSet.noneOf(VaRange.class);
        Set<Long> bases = new TreeSet<>();
        boolean[] small = {false};
        forTables(s -> {
            Step.NewTable t = (Step.NewTable) s.steps().getFirst();
            levels.add(t.level());
            ranges.add(t.vaRange());
            bases.add(s.paBase() + (long) s.slots() * 4096 == 1L << 48 ? -1 : s.paBase());
            small[0] |= s.slots() < 8;
        });
        assertEquals(new TreeSet<>(List.of(0, 1, 2, 3, 4)), levels);
        assertEquals(EnumSet.allOf(VaRange.class), ranges);
        assertEquals(new TreeSet<>(List.of(-1L, 0L, 0x4000_0000L)), bases, "-1: an arena ending at 2^48");
        assertTrue(small[0], "an arena small enough to run out");
    }

    /**
     * Edit updaters: overlapping set and clear masks, bits no 0.4.0 flag names, parts of multi-bit flags (NORMAL's
     * bit 2, EXECUTE_NEVER's bit 53), address bits, every predicate as the edit's filter and as its failure, failures
     * at call N beyond the first and at an entry; every built-in; and map flags with TABLE_OR_PAGE and odd bits.
     */
    @Test
    void updatersAndFlagsCoverEveryRuleTheCrateApplies() {
        Set<String> seen = new TreeSet<>();
        Set<Predicate> when = EnumSet.noneOf(Predicate.class);
        Set<Predicate> failWhen = EnumSet.noneOf(Predicate.class);
        Set<Updater.BuiltinKind> builtins = EnumSet.noneOf(Updater.BuiltinKind.class);
        long named = 0;
        for (Attributes a : List.of(Attributes.VALID, Attributes.TABLE_OR_PAGE, Attributes.NORMAL, Attributes.USER,
                Attributes.READ_ONLY, Attributes.ACCESSED, Attributes.NON_GLOBAL, Attributes.DBM,
                Attributes.EXECUTE_NEVER, Attributes.SWFLAG_0, Attributes.SWFLAG_1, Attributes.SWFLAG_2,
                Attributes.SWFLAG_3)) {
            named |= a.bits();
        }
        long namedBits = named;
        long partial = (1L << 2) | (1L << 53);
        long address = (1L << 12) | (1L << 47);
        forTables(s -> {
            for (Step step : s.steps()) {
                if (step instanceof Step.MapRange m) {
                    long f = m.flags().bits();
                    seen.add((f & Attributes.TABLE_OR_PAGE.bits()) != 0 ? "map-table-or-page" : "map");
                    if ((f & ~namedBits & ~address) != 0) {
                        seen.add("map-unnamed-bit");
                    }
                }
                if (!(step instanceof Step.ModifyRange m)) {
                    continue;
                }
                switch (m.updater()) {
                    case Updater.Builtin b -> builtins.add(b.kind());
                    case Updater.Edit e -> {
                        var modify = (Updater.Action.ModifyFlags) e.action();
                        long set = modify.set().bits();
                        long clear = modify.clear().bits();
                        when.add(e.when());
                        if ((set & clear) != 0) {
                            seen.add("overlap");
                        }
                        if (((set | clear) & ~namedBits & ~address) != 0) {
                            seen.add("unnamed-bit");
                        }
                        if (((set | clear) & partial) != 0 && ((set | clear) & Attributes.NORMAL.bits())
                                != Attributes.NORMAL.bits()) {
                            seen.add("partial-flag");
                        }
                        if (((set | clear) & address) != 0) {
                            seen.add("address-bit");
                        }
                        if (e.levels() != 0b1111) {
                            seen.add("some-levels");
                        }
                        switch (e.fail()) {
                            case Updater.Failure.Never n -> seen.add("fail-never");
                            case Updater.Failure.AtCall c -> seen.add(c.n() > 1 ? "fail-call-n" : "fail-call-1");
                            case Updater.Failure.When w -> failWhen.add(w.predicate());
                            case Updater.Failure.At a -> seen.add("fail-at");
                        }
                    }
                }
            }
        });
        assertEquals(new TreeSet<>(List.of("address-bit", "fail-at", "fail-call-1", "fail-call-n", "fail-never",
                "map", "map-table-or-page", "map-unnamed-bit", "overlap", "partial-flag", "some-levels",
                "unnamed-bit")), seen);
        assertEquals(EnumSet.allOf(Predicate.class), when);
        assertEquals(EnumSet.allOf(Predicate.class), failWhen);
        assertEquals(EnumSet.allOf(Updater.BuiltinKind.class), builtins);
    }
}
