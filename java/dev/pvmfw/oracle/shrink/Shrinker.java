package dev.pvmfw.oracle.shrink;

import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.oracle.scenario.Updater;

import dev.pvmfw.oracle.scenario.FlagSet;
import dev.pvmfw.paging.Geometry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Shrinks a failing scenario to a small one that still fails: drops steps (the last first, then each), then
 * simplifies each remaining step (identity PA, fewer flags, page-sized regions, simpler updaters), then the arena.
 * Greedy and deterministic; bounded by a budget of predicate calls.
 */
public final class Shrinker {
    private Shrinker() {}

    /**
     * Shrinks {@code failing}: takes the first candidate for which {@code stillFails} holds, again and again, until no
     * candidate does or {@code budget} calls of it are spent; a {@link RuntimeException} from it counts as "does not
     * fail". Returns the last candidate that failed, {@code failing} itself if none did.
     */
    public static Scenario shrink(Scenario failing, Predicate<Scenario> stillFails, int budget) {
        Scenario best = failing;
        boolean progress = true;
        int[] calls = {0};
        Predicate<Scenario> counted = s -> calls[0]++ < budget && safeTest(stillFails, s);
        while (progress && calls[0] < budget) {
            progress = false;
            for (Scenario candidate : candidates(best)) {
                if (counted.test(candidate)) {
                    best = candidate;
                    progress = true;
                    break;
                }
            }
        }
        return best;
    }

    private static boolean safeTest(Predicate<Scenario> p, Scenario s) {
        try {
            return p.test(s);
        } catch (RuntimeException e) {
            return false;
        }
    }

    static List<Scenario> candidates(Scenario s) {
        List<Scenario> out = new ArrayList<>();
        List<Step> steps = s.steps();
        for (int i = steps.size() - 1; i >= 1; i--) {
            List<Step> fewer = new ArrayList<>(steps);
            fewer.remove(i);
            out.add(s.withSteps(fewer));
        }
        for (int i = 1; i < steps.size(); i++) {
            for (Step simpler : simplify(steps.get(i))) {
                List<Step> changed = new ArrayList<>(steps);
                changed.set(i, simpler);
                out.add(s.withSteps(changed));
            }
        }
        if (s.slots() > 4) {
            out.add(s.withSlots(Math.max(4, s.slots() / 2)));
        }
        return out;
    }

    static List<Step> simplify(Step step) {
        List<Step> out = new ArrayList<>();
        switch (step) {
            case Step.MapRange m -> {
                if (m.pa() != m.start()) {
                    out.add(new Step.MapRange(m.start(), m.end(), m.start(), m.flags(), m.constraints()));
                }
                long page = Geometry.alignDown(m.start(), Geometry.PAGE_SIZE);
                if (m.end() != page + Geometry.PAGE_SIZE) {
                    out.add(new Step.MapRange(m.start(), page + Geometry.PAGE_SIZE, m.pa(), m.flags(), m.constraints()));
                }
                for (FlagSet fewer : fewerFlags(m.flags())) {
                    out.add(new Step.MapRange(m.start(), m.end(), m.pa(), fewer, m.constraints()));
                }
            }
            case Step.ModifyRange m -> {
                long page = Geometry.alignDown(m.start(), Geometry.PAGE_SIZE);
                if (m.end() != page + Geometry.PAGE_SIZE) {
                    out.add(new Step.ModifyRange(m.start(), page + Geometry.PAGE_SIZE, m.updater()));
                }
                if (m.updater() instanceof Updater.Edit e) {
                    List<Updater.Edit> simpler = new ArrayList<>();
                    if (!(e.fail() instanceof Updater.Failure.Never)) {
                        simpler.add(e.withFail(new Updater.Failure.Never()));
                    }
                    if (e.when() != dev.pvmfw.oracle.scenario.Predicate.ANY) {
                        simpler.add(e.withWhen(dev.pvmfw.oracle.scenario.Predicate.ANY));
                    }
                    switch (e.action()) {
                        case Updater.Action.ModifyFlags f -> {
                            for (FlagSet fewer : fewerFlags(f.set())) {
                                simpler.add(e.withAction(new Updater.Action.ModifyFlags(fewer, f.clear())));
                            }
                            for (FlagSet fewer : fewerFlags(f.clear())) {
                                simpler.add(e.withAction(new Updater.Action.ModifyFlags(f.set(), fewer)));
                            }
                        }
                        case Updater.Action.Set f -> {
                            for (FlagSet fewer : fewerFlags(f.flags())) {
                                simpler.add(e.withAction(new Updater.Action.Set(f.pa(), f.keepPa(), fewer)));
                            }
                        }
                        case Updater.Action.None n -> { }
                    }
                    for (Updater.Edit s : simpler) {
                        out.add(new Step.ModifyRange(m.start(), m.end(), s));
                    }
                }
            }
            default -> { }
        }
        return out;
    }

    /** {@code flags} without one of its named flags, or without one of its other bits, each. */
    static List<FlagSet> fewerFlags(FlagSet flags) {
        List<FlagSet> out = new ArrayList<>();
        long left = flags.bits();
        for (dev.pvmfw.paging.port.CrateProfile.NamedFlag f : flags.profile().flags(flags.regime())) {
            if (f.bits() != 0 && (flags.bits() & f.bits()) == f.bits()) {
                out.add(new FlagSet(flags.bits() & ~f.bits(), flags.profile(), flags.regime()));
                left &= ~f.bits();
            }
        }
        for (int b = 0; b < 64; b++) {
            if ((left & 1L << b) != 0) {
                out.add(new FlagSet(flags.bits() & ~(1L << b), flags.profile(), flags.regime()));
            }
        }
        return out;
    }
}
