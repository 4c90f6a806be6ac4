package dev.pvmfw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public and protected element of the exported packages has a doc comment with a main description: the javadoc
 * tool, run in-process over the module as the build runs it but with {@code -Xdoclint:all} (the build turns the
 * {@code missing} group off), reports no "no comment", "no main description" or "use of default constructor" warning.
 * The other {@code missing} warnings ("no @param", "no @return", "no @throws") are the project's style: parameters are
 * described in the summary sentence.
 *
 * <p>The tool's module path (the module's dependencies, by the module names its compiled descriptor requires) comes
 * from this run's own class path. The test skips itself on the module-path run ({@code surefire} execution
 * {@code module-path}), whose class path holds no dependency (the class-path run has checked the same sources), and in
 * a JVM without the javadoc tool (no {@code jdk.javadoc} in the boot layer, as in a runtime image made without it).
 */
class JavadocCoverageTest {
    /** The doclint warnings of a missing comment; javadoc prints each with the source line after it. */
    static final Pattern MISSING = Pattern.compile(".*: warning: (no comment|no main description"
            + "|use of default constructor, which does not provide a comment)$");

    @Test
    void everyExportedElementHasAMainDescription(@TempDir Path out) {
        assumeFalse(Boolean.getBoolean("pvmfw.test.modulePath"), "the module-path run: its class path holds none of "
                + "the module's dependencies, and the class-path run has run javadoc over the same sources");
        Optional<ToolProvider> javadoc = ToolProvider.findFirst("javadoc");
        assumeTrue(javadoc.isPresent(), "no javadoc tool in this JVM (jdk.javadoc is not in the boot layer)");

        StringWriter log = new StringWriter();
        PrintWriter writer = new PrintWriter(log);
        int exit = javadoc.get().run(writer, writer, "-Xdoclint:all", "-Xmaxwarns", "100000", "-quiet",
                "-d", out.toString(),
                "--module-path", dependencyModulePath(),
                "--module-source-path", "dev.pvmfw.paging=java" + File.pathSeparator + "bindings/aarch64-paging-0.4.0"
                        + File.pathSeparator + "bindings/aarch64-paging-0.12.1",
                "--module", "dev.pvmfw.paging");
        writer.flush();
        String output = log.toString();
        assertEquals(0, exit, () -> "javadoc failed:\n" + output);

        List<String> missing = missingComments(output);
        assertTrue(missing.isEmpty(), () -> missing.size() + " exported elements without a main description:\n"
                + String.join("\n", missing));
    }

    /** Each missing-comment warning with the source line javadoc prints after it. */
    static List<String> missingComments(String output) {
        List<String> out = new ArrayList<>();
        String[] lines = output.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            if (MISSING.matcher(lines[i]).matches()) {
                out.add(lines[i] + (i + 1 < lines.length ? "\n    " + lines[i + 1].strip() : ""));
            }
        }
        return out;
    }

    /**
     * The jars of this run's class path that hold the modules the compiled descriptor requires (bar {@code java.*}),
     * as a module path.
     */
    static String dependencyModulePath() {
        ModuleDescriptor module = ModuleFinder.of(Path.of("target/classes")).find("dev.pvmfw.paging").orElseThrow()
                .descriptor();
        Set<String> required = module.requires().stream().map(ModuleDescriptor.Requires::name)
                .filter(name -> !name.startsWith("java.")).collect(Collectors.toCollection(TreeSet::new));
        Map<String, Path> found = new LinkedHashMap<>();
        for (String entry : System.getProperty("java.class.path").split(Pattern.quote(File.pathSeparator))) {
            Path jar = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(jar)) {
                continue;
            }
            try {
                for (ModuleReference ref : ModuleFinder.of(jar).findAll()) {
                    if (required.contains(ref.descriptor().name())) {
                        found.putIfAbsent(ref.descriptor().name(), jar);
                    }
                }
            } catch (FindException e) {
                // A jar that is no valid module (say, no derivable automatic name) cannot be a required module.
            }
        }
        assertEquals(required, new TreeSet<>(found.keySet()), "the required modules' jars on the class path");
        return found.values().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
}
