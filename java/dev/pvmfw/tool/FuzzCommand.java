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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.util.SplittableRandom;

@Command(name = "fuzz", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"A differential campaign against the Rust oracle: generated scenarios — bare tables, and one in "
                + "three pvmfw's lazy MMIO path — applied to the Java engine and the real crate, compared after every "
                + "step, until the steps are verified. Shows a progress bar and the rate. At the first divergence: the "
                + "report, and the scenario shrunk to a small reproducer, saved for `run --against-rust`.", "",
            "Needs the oracle library (-Dpvmfw.oracle.lib.0.4.0=…). Exit status: 0 no divergence, 1 a divergence or "
                + "no oracle, 2 usage."})
final class FuzzCommand extends ToolCommand {
    @Option(names = "--seed", paramLabel = "S", converter = Converters.Number.class,
            description = "the campaign's seed (default: from the clock, printed)")
    Long seed;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "100000",
            description = "steps to verify (default: ${DEFAULT-VALUE})")
    long steps;

    @Option(names = "--out", paramLabel = "FILE",
            description = "where to save the shrunk scenario (default: divergence-SEED.txt)")
    Path outFile;

    FuzzCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    int execute() throws UsageException, IOException {
        long seed = this.seed != null ? this.seed : System.nanoTime();
        long target = steps;
        if (target < 1) {
            throw new UsageException("--steps must be positive");
        }
        OracleLibrary.Availability oracle = OracleLibrary.availability();
        if (!oracle.available()) {
            err.println("pvmfw-paging fuzz: needs the Rust oracle: " + oracle.reason());
            return Main.FINDINGS;
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
                    Path file = outFile != null ? outFile : Path.of("divergence-" + Long.toHexString(seed) + ".txt");
                    Files.writeString(file, "# shrunk from scenario seed 0x" + Long.toHexString(s) + " of campaign 0x"
                            + Long.toHexString(seed) + "\n" + ScenarioText.format(small));
                    out.println("shrunk to " + (small.steps().size()) + " steps, saved to " + file
                            + "\nreproduce: pvmfw-paging run --against-rust " + file);
                    return Main.FINDINGS;
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
            return Main.FINDINGS;
        }
        out.println();
        out.println("no divergence: " + steps + " steps in " + scenarios + " scenarios");
        return Main.OK;
    }

    static boolean diverges(Scenario s) {
        try {
            return Differential.run(s).divergence().isPresent();
        } catch (OracleUnavailableException e) {
            return false;
        }
    }
}
