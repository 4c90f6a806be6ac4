package dev.pvmfw.tool;

import dev.pvmfw.image.ImageFormatException;
import dev.pvmfw.image.TableImage;
import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioSyntaxException;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.paging.port.CrateProfile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reading images and scenarios from the command line, within the limits of {@link LimitOptions}; every failure is a
 * one-line {@link UsageException} naming the file.
 */
final class Inputs {
    private Inputs() {}

    /** The image at {@code file}, mapped read-only (the process's memory, released when it ends). */
    static TableImage image(Path file, ImageOptions layout, CrateProfile profile, LimitOptions limits)
            throws UsageException {
        layout.checkAgainst(profile);
        try {
            return TableImage.map(file, limits.maxImageBytes, Arena.ofAuto(), layout.paBase, layout.rootLevel,
                    layout.vaRange, layout.rootSlot);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        } catch (ImageFormatException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
    }

    /** The one scenario in {@code file} (UTF-8 text, at most the limit's size). */
    static Scenario scenario(Path file, LimitOptions limits) throws UsageException {
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
        try {
            List<Scenario> all = ScenarioText.parseAll(text);
            if (all.size() != 1) {
                throw new UsageException(file + ": holds " + all.size() + " scenarios; give a file with one");
            }
            return all.getFirst();
        } catch (ScenarioSyntaxException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
    }

    /** Runs a scenario on the Java engine and returns the final arena as an image (a copy). */
    static TableImage imageOfScenario(Scenario scenario) throws UsageException {
        try (JavaEngine engine = new JavaEngine(scenario)) {
            for (Step step : scenario.steps()) {
                StepResult r = engine.apply(step);
                if (step == scenario.steps().getFirst() && !(r.outcome() instanceof Outcome.Ok)) {
                    throw new UsageException("the scenario's first step fails: " + r.outcome().text());
                }
            }
            byte[] copy = engine.image().toArray(ValueLayout.JAVA_BYTE);
            return TableImage.of(MemorySegment.ofArray(copy), scenario.paBase(), scenario.rootLevel(),
                    scenario.vaRange(), 0);
        } catch (ImageFormatException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The image of {@code image}, or of the scenario in {@code scenario}: exactly one must be given. */
    static TableImage imageOrScenario(Path image, Path scenario, ImageOptions layout, CrateProfile profile,
            LimitOptions limits) throws UsageException {
        if ((image == null) == (scenario == null)) {
            throw new UsageException("give an IMAGE or --scenario FILE (one of them)");
        }
        return image != null ? image(image, layout, profile, limits) : imageOfScenario(scenario(scenario, limits));
    }
}
