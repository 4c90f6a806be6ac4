package dev.pvmfw.tool;

import dev.pvmfw.oracle.generator.ScenarioGenerator;
import dev.pvmfw.oracle.runner.Differential;
import dev.pvmfw.oracle.generator.v0_12_1.EraScenarioGenerator0121;
import dev.pvmfw.oracle.generator.v0_12_1.ScenarioGenerator0121;
import dev.pvmfw.oracle.runner.Engines;
import dev.pvmfw.oracle.scenario.Dialect;
import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.shrink.Shrinker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "fuzz", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"A differential campaign against the Rust oracle: generated scenarios — bare tables, and one in "
                + "three pvmfw's lazy MMIO path — applied to the Java engine and the real crate, compared after every "
                + "step, until the steps are verified. Shows a progress bar and the rate. At the first divergence: the "
                + "report, and the scenario shrunk to a small reproducer, saved for `run --against-rust`.", "",
            "Scenario k of a campaign depends only on the seed and k, so --jobs and --shard change who runs a "
                + "scenario, never which scenarios there are.", "",
            "--profile 0.12.1 fuzzes aarch64-paging 0.12.1 (every regime, live mappings, walk, compact, set actions; "
                + "one in three pvmfw's 2023-05 tracker on 0.12.1).",
            "--era 2023-11 or 2024-05 makes every scenario a tracker scenario of that era (its Rust transcription "
                + "against the Java era package) on the profile's crate; every era (2023-05, 2023-11, 2024-05) has a "
                + "Rust side on 0.4.0 and on 0.12.1.", "",
            "Needs the oracle library of the profile (-Dpvmfw.oracle.lib.0.4.0=…, -Dpvmfw.oracle.lib.0.12.1=…). Exit status: 0 no divergence, 1 a divergence or "
                + "no oracle, 2 usage."})
final class FuzzCommand extends ToolCommand {
    @Option(names = "--seed", paramLabel = "S", converter = Converters.Number.class,
            description = "the campaign's seed (default: from the clock, printed)")
    Long seed;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "100000",
            description = "steps to verify, in this shard (default: ${DEFAULT-VALUE})")
    long steps;

    @Option(names = "--out", paramLabel = "FILE",
            description = "where to save the shrunk scenario (default: divergence-SEED.txt)")
    Path outFile;

    @Mixin
    CampaignOptions campaign = new CampaignOptions();

    @Mixin
    ScenarioProfileOption profile = new ScenarioProfileOption();

    @Mixin
    EraOption era = new EraOption();

    FuzzCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    /** A divergent scenario: its campaign index, seed, the scenario and the report. */
    record Found(long index, long scenarioSeed, Scenario scenario, String report) {}

    @Override
    int execute() throws UsageException, ToolFailure, InterruptedException {
        long seed = this.seed != null ? this.seed : System.nanoTime();
        long target = steps;
        if (target < 1) {
            throw new UsageException("--steps must be positive");
        }
        Dialect dialect = profile.profile == null ? Dialect.V0_4_0 : Dialect.of(profile.profile);
        dev.pvmfw.catalog.Era selected = era.selected();
        if (dev.pvmfw.catalog.Eras.isCorrected(selected)) {
            throw new UsageException("--era " + selected.id() + ": the corrected lazy flow has no Rust side");
        }
        Engines.Availability oracle = Engines.rustAvailability(dialect);
        if (!oracle.available()) {
            err.println("pvmfw-paging fuzz: needs the Rust oracle: " + oracle.reason());
            return Main.FINDINGS;
        }
        out.println("fuzz: seed 0x" + Long.toHexString(seed) + ", " + target + " steps, era " + selected.id()
                + ", shard " + campaign.shard
                + ", " + campaign.jobs + (campaign.jobs == 1 ? " job, " : " jobs, ") + oracle.reason());
        AtomicLong next = new AtomicLong();
        AtomicLong verified = new AtomicLong();
        AtomicLong scenarios = new AtomicLong();
        AtomicReference<Found> found = new AtomicReference<>();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(campaign.jobs, Thread.ofPlatform().daemon().factory());
        List<Future<?>> workers = new ArrayList<>();
        for (int j = 0; j < campaign.jobs; j++) {
            workers.add(pool.submit(() -> {
                while (verified.get() < target && found.get() == null) {
                    long k = campaign.shard.scenarioIndex(next.getAndIncrement());
                    long s = CampaignOptions.scenarioSeed(seed, k);
                    Scenario scenario = scenario(dialect, selected, k, s);
                    Differential.Report r = Differential.run(scenario, Differential.DumpCheck.AT_END);
                    if (r.divergence().isPresent()) {
                        Found f = new Found(k, s, scenario, r.divergence().get().report());
                        found.accumulateAndGet(f, (a, b) -> a == null || b.index() < a.index() ? b : a);
                        return null;
                    }
                    verified.addAndGet(r.steps());
                    scenarios.incrementAndGet();
                }
                return null;
            }));
        }
        pool.shutdown();
        try {
            while (!pool.isTerminated()) {
                pool.awaitTermination(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                progress(verified.get(), target, scenarios.get(), start);
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OracleUnavailableException u) {
                err.println("pvmfw-paging fuzz: " + u.getMessage());
                return Main.FINDINGS;
            }
            throw new ToolFailure("a campaign thread failed: " + e.getCause());
        } finally {
            pool.shutdownNow();
        }
        out.println();
        Found f = found.get();
        if (f == null) {
            out.println("no divergence: " + verified.get() + " steps in " + scenarios.get() + " scenarios");
            return Main.OK;
        }
        out.println("DIVERGENCE in scenario " + f.index() + " of campaign 0x" + Long.toHexString(seed) + " (after "
                + verified.get() + " verified steps)");
        out.println(f.report());
        Scenario small = Shrinker.shrink(f.scenario(), FuzzCommand::diverges, 3000);
        Path file = outFile != null ? outFile : Path.of("divergence-" + Long.toHexString(seed) + ".txt");
        try {
            Files.writeString(file, "# shrunk from scenario " + f.index() + " (seed 0x" + Long.toHexString(
                    f.scenarioSeed()) + ") of campaign 0x" + Long.toHexString(seed) + "\n" + ScenarioText.format(small));
        } catch (IOException e) {
            throw new UsageException(file + ": cannot write: " + e.getMessage());
        }
        out.println("shrunk to " + small.steps().size() + " steps, saved to " + file
                + "\nreproduce: pvmfw-paging run --against-rust " + file);
        return Main.FINDINGS;
    }

    /**
     * Scenario {@code k} of a campaign of {@code era}: for the seed's, one in three on pvmfw's lazy MMIO path, the rest
     * bare tables; for a later era, every one a tracker scenario of that era.
     */
    static Scenario scenario(dev.pvmfw.catalog.Era era, long k, long scenarioSeed) {
        if (era != dev.pvmfw.catalog.Eras.defaultEra()) {
            return dev.pvmfw.oracle.generator.EraScenarioGenerator.generate(era.id(), scenarioSeed, 30);
        }
        return scenario(k, scenarioSeed);
    }

    /**
     * Scenario {@code k} of a campaign of {@code dialect} and {@code era}: for a later era every one a tracker scenario
     * of that era on the profile's crate; for the seed's, {@link #scenario(Dialect, long, long)}.
     */
    static Scenario scenario(Dialect dialect, dev.pvmfw.catalog.Era era, long k, long scenarioSeed) {
        if (dialect == Dialect.V0_4_0) {
            return scenario(era, k, scenarioSeed);
        }
        if (era != dev.pvmfw.catalog.Eras.defaultEra()) {
            return EraScenarioGenerator0121.generate(era.id(), scenarioSeed, 30);
        }
        return scenario(dialect, k, scenarioSeed);
    }

    /** Scenario {@code k} of a campaign: one in three on pvmfw's lazy MMIO path, the rest bare tables. */
    static Scenario scenario(long k, long scenarioSeed) {
        return scenario(Dialect.V0_4_0, k, scenarioSeed);
    }

    /**
     * Scenario {@code k} of a campaign of {@code dialect}: on 0.4.0 one in three on pvmfw's lazy MMIO path, the rest
     * bare tables; on 0.12.1 one in three the 2023-05 tracker on 0.12.1 ({@link EraScenarioGenerator0121}), the rest
     * a {@code Mapping} of a random regime ({@link ScenarioGenerator0121}).
     */
    static Scenario scenario(Dialect dialect, long k, long scenarioSeed) {
        return switch (dialect) {
            case V0_4_0 -> k % 3 == 2 ? ScenarioGenerator.generateTracker(scenarioSeed, 25)
                    : ScenarioGenerator.generate(scenarioSeed, 20);
            case V0_12_1 -> k % 3 == 2 ? EraScenarioGenerator0121.generate("2023-05", scenarioSeed, 25)
                    : ScenarioGenerator0121.generate(scenarioSeed, 50);
        };
    }

    private void progress(long steps, long target, long scenarios, long start) {
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        int filled = (int) Math.min(40, 40 * steps / target);
        out.printf("\r[%s%s] %d/%d steps, %d scenarios, %.0f steps/s", "#".repeat(filled), " ".repeat(40 - filled),
                Math.min(steps, target), target, scenarios, steps / seconds);
        out.flush();
    }

    static boolean diverges(Scenario s) {
        try {
            return Differential.run(s).divergence().isPresent();
        } catch (OracleUnavailableException e) {
            return false;
        }
    }
}
