package dev.pvmfw.tool;

import dev.pvmfw.image.ImageFormatException;
import dev.pvmfw.image.TableImage;
import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioSyntaxException;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.paging.VaRange;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Reading images and scenarios from the command line, with every failure a one-line {@link UsageException}. */
final class Inputs {
    static final Set<String> IMAGE_OPTIONS = Set.of("pa-base", "root-level", "va-range", "root-slot");
    static final String IMAGE_HELP = """
              --pa-base PA      PA of slot 0 (default 0x40000000)
              --root-level L    root table level 0..3 (default 1)
              --va-range R      lower or upper (default lower)
              --root-slot S     slot of the root table (default 0)
            """;

    private Inputs() {}

    /** The options of commands that read an image or run a scenario. */
    static java.util.Set<String> imageOrScenarioOptions(String... more) {
        java.util.Set<String> options = new java.util.HashSet<>(IMAGE_OPTIONS);
        options.add("scenario");
        options.addAll(java.util.List.of(more));
        return options;
    }

    /**
     * The image named by positional {@code imageIndex}, or the final arena of {@code --scenario FILE}; {@code before}
     * positionals come first either way.
     */
    static TableImage imageOrScenario(Args a, int before, String usage) throws UsageException {
        if (a.has("scenario")) {
            a.expectPositionals(before, before, usage);
            return imageOfScenario(scenario(Path.of(a.option("scenario", ""))));
        }
        a.expectPositionals(before + 1, before + 1, usage);
        return image(Path.of(a.positional.get(before)), a);
    }

    static TableImage image(Path file, Args a) throws UsageException {
        long paBase = a.number("pa-base", 0x4000_0000L);
        long level = a.number("root-level", 1);
        long rootSlot = a.number("root-slot", 0);
        VaRange range = switch (a.option("va-range", "lower")) {
            case "lower" -> VaRange.LOWER;
            case "upper" -> VaRange.UPPER;
            default -> throw new UsageException("--va-range must be lower or upper");
        };
        if (level < 0 || level > 3 || rootSlot < 0 || rootSlot > Integer.MAX_VALUE) {
            throw new UsageException("--root-level must be 0..3 and --root-slot a slot number");
        }
        try {
            return TableImage.read(file, paBase, (int) level, range, (int) rootSlot);
        } catch (NoSuchFileException e) {
            throw new UsageException(file + ": no such file");
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        } catch (ImageFormatException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
    }

    static Scenario scenario(Path file) throws UsageException {
        try {
            List<Scenario> all = ScenarioText.parseAll(Files.readString(file));
            if (all.size() != 1) {
                throw new UsageException(file + ": holds " + all.size() + " scenarios; give a file with one");
            }
            return all.getFirst();
        } catch (NoSuchFileException e) {
            throw new UsageException(file + ": no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        } catch (ScenarioSyntaxException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
    }

    /** Runs a scenario on the Java engine and returns the final arena as an image (a copy). */
    static TableImage imageOfScenario(Scenario scenario) throws UsageException {
        try (JavaEngine engine = new JavaEngine(scenario)) {
            for (Step step : scenario.steps()) {
                StepResult r = engine.apply(step);
                if (step == scenario.steps().getFirst() && !(r.outcome() instanceof dev.pvmfw.oracle.engine.Outcome.Ok)) {
                    throw new UsageException("the scenario's first step fails: " + r.outcome().text());
                }
            }
            byte[] copy = engine.image().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            return TableImage.of(MemorySegment.ofArray(copy), scenario.paBase(), scenario.rootLevel(),
                    scenario.vaRange(), 0);
        } catch (ImageFormatException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
