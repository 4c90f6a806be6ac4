package dev.pvmfw.tool;

import dev.pvmfw.oracle.runner.Differential;
import dev.pvmfw.oracle.rust.OracleLibrary;
import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.generator.ScenarioGenerator;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.shrink.Shrinker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.SplittableRandom;

final class FuzzCommand implements Command {
    @Override
    public String name() {
        return "fuzz";
    }

    @Override
    public String summary() {
        return "differential campaign against the Rust oracle; stops at the first divergence with a shrunk scenario";
    }

    @Override
    public String help() {
        return """
                usage: pvmfw-paging fuzz [--seed S] [--steps N] [--out FILE]

                Generates scenarios from seed S (default: from the clock, printed) — bare tables, and one in three
                pvmfw's lazy MMIO path (tracker scenarios) — and applies each to the Java engine and the real crate, comparing after every step, until N steps (default 100000) have been
                verified. Shows a progress bar and the rate. At the first divergence: the report, and the scenario
                shrunk to a small reproducer, saved to FILE (default divergence-SEED.txt) for `run --against-rust`.
                Needs the oracle library (-Dpvmfw.oracle.lib.0.4.0=…); exit 1 on a divergence or without it.
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException, IOException {
        Args a = Args.parse(argv, 1, Set.of("seed", "steps", "out"), Set.of());
        a.expectPositionals(0, 0, "pvmfw-paging fuzz [--seed S] [--steps N] [--out FILE]");
        long seed = a.number("seed", System.nanoTime());
        long target = a.number("steps", 100_000);
        if (target < 1) {
            throw new UsageException("--steps must be positive");
        }
        OracleLibrary.Availability oracle = OracleLibrary.availability();
        if (!oracle.available()) {
            err.println("pvmfw-paging: fuzz needs the Rust oracle: " + oracle.reason());
            return 1;
        }
        out.println("fuzz: seed 0x" + Long.toHexString(seed) + ", " + target + " steps, " + oracle.reason());
        SplittableRandom seeds = new SplittableRandom(seed);
        long steps = 0;
        long scenarios = 0;
        long start = System.nanoTime();
        long lastDraw = 0;
        try {
            while (steps < target) {
                long s = seeds.nextLong();
                Scenario scenario = scenarios % 3 == 2 ? ScenarioGenerator.generateTracker(s, 25)
                        : ScenarioGenerator.generate(s, 20);
                Differential.Report r = Differential.run(scenario, scenarios % 8 == 0 ? Differential.DumpCheck.AT_END
                        : Differential.DumpCheck.NEVER);
                steps += r.steps();
                scenarios++;
                if (r.divergence().isPresent()) {
                    out.println();
                    out.println("DIVERGENCE after " + steps + " steps (" + scenarios + " scenarios)");
                    out.println(r.divergence().get().report());
                    Scenario small = Shrinker.shrink(scenario, FuzzCommand::diverges, 3000);
                    Path file = Path.of(a.option("out", "divergence-" + Long.toHexString(seed) + ".txt"));
                    Files.writeString(file, "# shrunk from scenario seed 0x" + Long.toHexString(s) + " of campaign 0x"
                            + Long.toHexString(seed) + "\n" + ScenarioText.format(small));
                    out.println("shrunk to " + (small.steps().size()) + " steps, saved to " + file
                            + "\nreproduce: pvmfw-paging run --against-rust " + file);
                    return 1;
                }
                long now = System.nanoTime();
                if (now - lastDraw > 200_000_000L || steps >= target) {
                    lastDraw = now;
                    double seconds = (now - start) / 1e9;
                    int filled = (int) Math.min(40, 40 * steps / target);
                    out.printf("\r[%s%s] %d/%d steps, %d scenarios, %.0f steps/s", "#".repeat(filled),
                            " ".repeat(40 - filled), Math.min(steps, target), target, scenarios, steps / seconds);
                    out.flush();
                }
            }
        } catch (OracleUnavailableException e) {
            err.println("pvmfw-paging: " + e.getMessage());
            return 1;
        }
        out.println();
        out.println("no divergence: " + steps + " steps in " + scenarios + " scenarios");
        return 0;
    }

    static boolean diverges(Scenario s) {
        try {
            return Differential.run(s).divergence().isPresent();
        } catch (OracleUnavailableException e) {
            return false;
        }
    }
}
