package dev.pvmfw.tool;

import dev.pvmfw.image.ImageFormatException;
import dev.pvmfw.image.TableImage;
import dev.pvmfw.oracle.engine.Engine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.runner.Engines;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioSyntaxException;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.port.CrateProfile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading images and scenarios from the command line, within the limits of {@link LimitOptions}; every failure is a
 * one-line {@link UsageException} naming the file.
 */
final class Inputs {
    private Inputs() {}

    /**
     * The image at {@code file}, mapped read-only into {@code arena} (never copied; unmapped when the arena closes).
     *
     * @throws UsageException not a regular file, over the limit, unreadable, or not an image with these options
     */
    static TableImage image(Path file, ImageOptions layout, CrateProfile profile, LimitOptions limits, Arena arena)
            throws UsageException {
        layout.checkAgainst(profile);
        try {
            return TableImage.map(file, limits.maxImageBytes, arena, layout.paBase, layout.rootLevel,
                    layout.vaRange, layout.rootSlot);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        } catch (ImageFormatException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
    }

    /**
     * The one scenario in {@code file} (UTF-8 text, at most the limit's size and steps, its arena at most the limit's
     * slots), with its {@code expect} lines; everything is checked before the scenario's arena is allocated. For the
     * profile a user named ({@code imposed}, {@code --profile}; null for none), a scenario without a {@code profile}
     * line is of it, one whose line names another is a usage error.
     *
     * @throws UsageException not a regular file, over a limit, not UTF-8, not one scenario (naming the line), or of
     *     another profile than {@code imposed}
     */
    static ScenarioFile scenario(Path file, LimitOptions limits, CrateProfile imposed)
            throws UsageException {
        String text;
        try {
            if (!Files.isRegularFile(file)) {
                throw new UsageException(file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
            }
            if (Files.size(file) > limits.maxScenarioBytes) {
                throw new UsageException(file + ": " + Files.size(file) + " bytes, more than the limit of "
                        + limits.maxScenarioBytes + " (raise it with --max-scenario-size)");
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new UsageException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
        List<Expectation> expectations = new ArrayList<>();
        String steps = ScenarioFile.takeExpectations(text, file.toString(), limits.maxScenarioSteps, expectations);
        Scenario scenario;
        try {
            List<Scenario> all = ScenarioText.parseAll(steps, imposed);
            if (all.size() != 1) {
                throw new UsageException(file + ": holds " + all.size() + " scenarios; give a file with one");
            }
            scenario = all.getFirst();
        } catch (ScenarioSyntaxException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
        if (scenario.slots() > limits.maxArenaSlots) {
            throw new UsageException(file + ": an arena of " + scenario.slots() + " slots, more than the limit of "
                    + limits.maxArenaSlots + " (raise it with --max-arena-slots)");
        }
        return new ScenarioFile(scenario, List.copyOf(expectations));
    }

    /**
     * Runs a scenario on the Java engine of its crate version and returns its final arena as an image, without copying it: the engine
     * stays open (its arena is the image's memory) and goes to {@code keep}, for the caller to close after use.
     *
     * @throws UsageException if the first step fails (no table to read)
     */
    static TableImage imageOfScenario(Scenario scenario, List<AutoCloseable> keep) throws UsageException {
        Engine engine;
        try {
            engine = Engines.java(scenario);
        } catch (IllegalArgumentException e) {
            throw new UsageException("the scenario's arena: " + e.getMessage());
        }
        keep.add(engine);
        for (Step step : scenario.steps()) {
            StepResult r = engine.apply(step);
            if (step == scenario.steps().getFirst() && !(r.outcome() instanceof Outcome.Ok)) {
                throw new UsageException("the scenario's first step fails: " + r.outcome().text());
            }
        }
        try {
            return TableImage.of(engine.image(), scenario.paBase(), scenario.rootLevel(), scenario.vaRange(), 0);
        } catch (ImageFormatException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
