package dev.pvmfw.tool;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * How a long campaign spreads over threads and machines: {@code --jobs} threads on this machine, {@code --shard I/N}
 * for the I-th of N machines. Scenario {@code k} of a campaign is a function of the campaign seed and {@code k} alone
 * ({@link #scenarioSeed}), so a shard or a thread count never changes which scenarios exist, only who runs them: shard
 * {@code I/N} runs the scenarios with {@code k % N == I}.
 */
final class CampaignOptions {
    @Option(names = "--jobs", paramLabel = "N", defaultValue = "auto", converter = Jobs.class,
            description = "threads to run scenarios on, each with its own engines; auto: one per core (default: "
                    + "${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--shard", paramLabel = "I/N", defaultValue = "0/1", converter = Shard.Parser.class,
            description = "run only the I-th of N equal shares of the campaign, 0 <= I < N, for spreading one seed "
                    + "over machines (default: ${DEFAULT-VALUE})")
    Shard shard;

    /** The I-th of N shares. */
    record Shard(int index, int count) {
        /** The campaign index of this shard's {@code j}-th scenario. */
        long scenarioIndex(long j) {
            return Math.addExact(Math.multiplyExact(j, count), index);
        }

        @Override
        public String toString() {
            return index + "/" + count;
        }

        /** {@code I/N}. */
        static final class Parser implements ITypeConverter<Shard> {
            @Override
            public Shard convert(String value) {
                int slash = value.indexOf('/');
                try {
                    if (slash > 0) {
                        int i = Integer.parseInt(value.substring(0, slash));
                        int n = Integer.parseInt(value.substring(slash + 1));
                        if (n >= 1 && i >= 0 && i < n) {
                            return new Shard(i, n);
                        }
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new TypeConversionException("'" + dev.pvmfw.paging.NumberText.echo(value)
                        + "' is not a shard: I/N with 0 <= I < N, such as 0/4");
            }
        }
    }

    /** A thread count, 1..1024, or {@code auto}. */
    static final class Jobs implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (value.equals("auto")) {
                return Runtime.getRuntime().availableProcessors();
            }
            try {
                int n = Integer.parseInt(value);
                if (n >= 1 && n <= 1024) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + dev.pvmfw.paging.NumberText.echo(value)
                    + "' is not a job count: 1..1024 or auto");
        }
    }

    /**
     * The seed of scenario {@code k} of the campaign {@code campaignSeed}: SplitMix64's finaliser over the campaign seed
     * and the index, so every scenario is reachable without generating the ones before it.
     */
    static long scenarioSeed(long campaignSeed, long k) {
        long z = campaignSeed + (k + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
