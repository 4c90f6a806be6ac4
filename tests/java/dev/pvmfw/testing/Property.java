package dev.pvmfw.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Seeded property checks for JUnit 5 (no jqwik): {@code cases} inputs drawn from a generator seeded by
 * {@link #baseSeed()}; the first failing input is shrunk (greedily: drop elements, zero them, clear bits, halve) and
 * reported with the seed and a one-line reproduce command.
 *
 * <p>The seed is {@code -Dpvmfw.seed=…} if given, else fixed per property name, so a plain run is repeatable; pass
 * {@code -Dpvmfw.seed=random} for a fresh one.
 *
 * <p>A long property can be split into {@link #shards} (one dynamic test per slice of the same inputs), so that a tool
 * that runs single tests, such as PIT (docs/mutation-testing.md), runs a slice instead of the whole property.
 * {@code -Dpvmfw.property.shrink=false} reports a failure unshrunk (PIT only needs to know that a case fails).
 */
public final class Property {
    private Property() {}

    /** The base seed: {@code pvmfw.seed} (hex or decimal, or "random"), else a fixed default. */
    public static long baseSeed(String propertyName) {
        String given = System.getProperty("pvmfw.seed");
        if (given == null || given.isBlank()) {
            return 0x5eed_0000_0000_0000L ^ propertyName.hashCode();
        }
        if (given.equals("random")) {
            return System.nanoTime() ^ Thread.currentThread().threadId();
        }
        return given.startsWith("0x") ? Long.parseUnsignedLong(given.substring(2), 16) : Long.parseLong(given);
    }

    /** A check over one input: returns normally or throws (assertion failures included). */
    @FunctionalInterface
    public interface Check {
        void run(long[] input) throws Throwable;
    }

    /**
     * Runs {@code check} on {@code cases} inputs from {@code generator}. On the first failure, shrinks it and throws an
     * {@link AssertionError} naming the seed, the case, the original and shrunk inputs, and how to reproduce.
     *
     * @param testId "Class#method", for the reproduce line
     */
    public static void forAll(String testId, int cases, Function<SplittableRandom, long[]> generator, Check check) {
        forCases(testId, 0, cases, cases, generator, check);
    }

    /**
     * The same {@code cases} inputs as {@link #forAll} with the same arguments, checked as {@code shards} dynamic tests
     * of consecutive cases ("cases 0..19" and so on); every shard draws the inputs before its own, so the inputs, the
     * seed and the reproduce line do not depend on the split.
     */
    public static Stream<DynamicTest> shards(String testId, int cases, int shards,
            Function<SplittableRandom, long[]> generator, Check check) {
        if (shards < 1 || shards > cases) {
            throw new IllegalArgumentException(shards + " shards of " + cases + " cases");
        }
        return IntStream.range(0, shards).mapToObj(k -> {
            int from = (int) ((long) cases * k / shards);
            int to = (int) ((long) cases * (k + 1) / shards);
            return DynamicTest.dynamicTest("cases " + from + ".." + (to - 1),
                    () -> forCases(testId, from, to, cases, generator, check));
        });
    }

    private static void forCases(String testId, int from, int to, int cases,
            Function<SplittableRandom, long[]> generator, Check check) {
        long seed = baseSeed(testId);
        SplittableRandom random = new SplittableRandom(seed);
        boolean shrink = !"false".equals(System.getProperty("pvmfw.property.shrink"));
        for (int i = 0; i < to; i++) {
            long[] input = generator.apply(random);
            if (i < from) {
                continue;
            }
            Throwable failure = failureOf(check, input);
            if (failure != null) {
                long[] shrunk = shrink ? shrink(input, check) : input;
                Throwable shrunkFailure = failureOf(check, shrunk);
                AssertionError error = new AssertionError(String.format(
                        "property failed at case %d of %d, seed 0x%x%n  input:  %s%n  shrunk: %s%n  failure: %s%n"
                                + "NOTE: reproduce with: ./mvnw test -Dtest=%s -Dpvmfw.seed=0x%x",
                        i, cases, seed, hex(input), hex(shrunk), shrunkFailure, testId, seed), shrunkFailure);
                throw error;
            }
        }
    }

    /** Greedy shrinking of a long[] input while {@code check} still fails. */
    public static long[] shrink(long[] input, Check check) {
        long[] best = input.clone();
        boolean progress = true;
        int budget = 10_000;
        while (progress && budget > 0) {
            progress = false;
            for (long[] candidate : candidates(best)) {
                if (--budget <= 0) {
                    break;
                }
                if (failureOf(check, candidate) != null) {
                    best = candidate;
                    progress = true;
                    break;
                }
            }
        }
        return best;
    }

    private static List<long[]> candidates(long[] v) {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0) {
                long[] c = v.clone();
                c[i] = 0;
                out.add(c);
            }
        }
        for (int i = 0; i < v.length; i++) {
            long x = v[i];
            while (x != 0) {
                long bit = Long.highestOneBit(x);
                x &= ~bit;
                long[] c = v.clone();
                c[i] &= ~bit;
                out.add(c);
            }
        }
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0 && v[i] != 1) {
                long[] c = v.clone();
                c[i] = v[i] >>> 1;
                out.add(c);
            }
        }
        return out;
    }

    private static Throwable failureOf(Check check, long[] input) {
        try {
            check.run(input.clone());
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static String hex(long[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append("0x").append(Long.toHexString(v[i]));
        }
        return b.append(']').toString();
    }

    /** For callers that want the input formatted the same way. */
    public static String format(long[] v) {
        return hex(v) + " (" + Arrays.toString(v) + ")";
    }
}
