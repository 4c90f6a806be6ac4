package dev.pvmfw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Code cites the project's own specification, never a document outside the repository: every citation of a document
 * of {@code docs/} with a section (the document's path, a comma, the section's title in double quotes) under
 * {@code java/}, {@code tests/}, {@code native/} or {@code bindings/} names an existing document and one of its
 * headings, and no file cites a numbered section (the section sign) at all.
 */
class DocsCitationsTest {
    static final List<Path> ROOTS = List.of(Path.of("java"), Path.of("tests"), Path.of("native"), Path.of("bindings"));
    /** A docs path, optionally closed by a javadoc code brace or a backtick, then optionally a comma and a title. */
    static final Pattern CITATION =
            Pattern.compile("docs/([\\w.-]+\\.md)(?:}|`)?(?:,\\s*(?:\\*\\s*|//!?\\s*|#\\s*)*\"([^\"]+)\")?");

    static List<Path> sources() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path root : ROOTS) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile)
                        .filter(p -> p.toString().matches(".*\\.(java|rs|toml|txt|h|md)$"))
                        .forEach(out::add);
            }
        }
        return out;
    }

    static Set<String> headings(Path doc) throws IOException {
        Set<String> out = new HashSet<>();
        for (String line : Files.readAllLines(doc)) {
            Matcher m = Pattern.compile("^#{1,4} (.+)$").matcher(line);
            if (m.matches()) {
                out.add(m.group(1).trim());
            }
        }
        return out;
    }

    /** A title wrapped over comment lines, joined again. */
    static String oneLine(String title) {
        return title.replaceAll("\\s*\n\\s*(?:\\*|//!?|#)?\\s*", " ").trim();
    }

    @Test
    void everyCitedDocsSectionExists() throws IOException {
        List<String> broken = new ArrayList<>();
        int citations = 0;
        for (Path source : sources()) {
            String text = Files.readString(source);
            Matcher m = CITATION.matcher(text);
            while (m.find()) {
                citations++;
                Path doc = Path.of("docs", m.group(1));
                if (!Files.isRegularFile(doc)) {
                    broken.add(source + ": no " + doc);
                } else if (m.group(2) != null && !headings(doc).contains(oneLine(m.group(2)))) {
                    broken.add(source + ": " + doc + " has no section \"" + oneLine(m.group(2)) + "\"");
                }
            }
        }
        assertEquals(List.of(), broken);
        assertTrue(citations >= 20, "found " + citations + " citations of docs/");
    }

    @Test
    void noFileCitesANumberedSection() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path source : sources()) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("\u00a7")) {
                    found.add(source + ":" + (i + 1));
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
