package dev.pvmfw.oracle.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvmfw.oracle.engine.Engine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.generator.ScenarioGenerator;
import dev.pvmfw.oracle.generator.v0_12_1.ScenarioGenerator0121;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.testing.Property;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A step changes no table byte outside its footprint ({@link Footprint}), so the verified benchmark loops, which
 * compare only the footprint, miss nothing the whole-arena comparison would see. Checked on the Java engines over
 * generated scenarios of both profiles (0.4.0 table and tracker scenarios, 0.12.1 scenarios of every regime with its
 * map that frees subtables, its splitting modify, walk, compact and the activation steps): after each step, the arena
 * as it was before with the footprint brought up to date must be the arena after.
 */
class FootprintTest {
    @TestFactory
    Stream<DynamicTest> everyChangedByteIsInTheStepsFootprint() {
        return Property.shards("FootprintTest#everyChangedByteIsInTheStepsFootprint", 300, 30,
                r -> new long[] {r.nextLong(), r.nextInt(3)},
                in -> check(in[1] == 2 ? ScenarioGenerator.generateTracker(in[0], 25)
                        : ScenarioGenerator.generate(in[0], 20)));
    }

    /**
     * The same on profile 0.12.1 ({@link ScenarioGenerator0121}: every regime, root level and VA range, PA bases 0 and
     * near 2^48, arenas that run out part way through a split, live mappings).
     */
    @TestFactory
    Stream<DynamicTest> everyChangedByteIsInTheStepsFootprint0121() {
        return Property.shards("FootprintTest#everyChangedByteIsInTheStepsFootprint0121", 400, 40,
                r -> new long[] {r.nextLong()}, in -> check(ScenarioGenerator0121.generate(in[0], 30)));
    }

    /**
     * The walk visits, in each table, exactly the entries {@link Footprint#meets} selects: the index range
     * ({@code firstMeeting}..{@code lastMeeting}) is checked against {@code meets} entry by entry, for tables of every
     * level anywhere in the 64-bit space (the upper range's top table included) and regions whose bounds sit on, next
     * to and between entry boundaries, backwards, empty or ending at the top (0).
     */
    @Test
    void indexRangeIsExactlyTheEntriesThatMeet() {
        Property.forAll("FootprintTest#indexRangeIsExactlyTheEntriesThatMeet", 20_000, r -> {
            long level = r.nextInt(4);
            long gran = dev.pvmfw.paging.Geometry.granularityAtLevel((int) level);
            long span = gran * dev.pvmfw.paging.Geometry.ENTRIES_PER_TABLE;
            long base = switch (r.nextInt(3)) {
                case 0 -> -span;
                case 1 -> 0;
                default -> r.nextLong();
            } & -span;
            return new long[] {level, base, bound(r, base, gran), bound(r, base, gran)};
        }, in -> {
            int level = (int) (in[0] & 3);
            long gran = dev.pvmfw.paging.Geometry.granularityAtLevel(level);
            long base = in[1] & -(gran * dev.pvmfw.paging.Geometry.ENTRIES_PER_TABLE);
            long start = in[2];
            long end = in[3];
            int first = Footprint.firstMeeting(base, gran, start);
            int last = Footprint.lastMeeting(base, gran, start, end, first);
            for (int i = 0; i < dev.pvmfw.paging.Geometry.ENTRIES_PER_TABLE; i++) {
                long lo = base + (long) i * gran;
                boolean expected = Footprint.meets(lo, lo + gran, start, end);
                boolean visited = i >= first && i <= last;
                int index = i;
                assertEquals(expected, visited, () -> "entry " + index + " of the level-" + level + " table at 0x"
                        + Long.toHexString(base) + " for [0x" + Long.toHexString(start) + ", 0x"
                        + Long.toHexString(end) + "): first " + first + ", last " + last);
            }
        });
    }

    /** A region bound near the table at {@code base}: on, next to or between entry boundaries, 0, or anywhere. */
    private static long bound(java.util.SplittableRandom r, long base, long gran) {
        long entry = base + (r.nextInt(520) - 4) * gran;
        return switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1 -> r.nextLong();
            case 2 -> entry;
            case 3 -> entry + 1;
            case 4 -> entry - 1;
            default -> entry + r.nextLong(gran);
        };
    }

    static void check(Scenario scenario) {
        try (Engine engine = Engines.java(scenario); Arena scratchArena = Arena.ofConfined()) {
            MemorySegment before = scratchArena.allocate(engine.image().byteSize(), TableLayout.TABLE_ALIGNMENT);
            for (int i = 0; i < scenario.steps().size(); i++) {
                Step step = scenario.steps().get(i);
                before.copyFrom(engine.image());
                StepResult result = engine.apply(step);
                MemorySegment after = engine.image();
                long rootPa = engine.rootPa().orElse(scenario.paBase());
                for (long m; (m = Footprint.mismatch(step, result.events(), after, before, scenario.paBase(),
                        rootPa, scenario.rootLevel(), scenario.vaRange())) >= 0; ) {
                    long at = m & ~7L; // bring the differing descriptor up to date, then look again
                    before.set(ValueLayout.JAVA_LONG_UNALIGNED, at, after.get(ValueLayout.JAVA_LONG_UNALIGNED, at));
                }
                assertEquals(-1, before.mismatch(after), () -> "step " + step.text() + " changed a byte outside "
                        + "its footprint\n" + ScenarioText.format(scenario));
                if (i == 0 && !(result.outcome() instanceof Outcome.Ok)) {
                    return;
                }
            }
        }
    }
}
