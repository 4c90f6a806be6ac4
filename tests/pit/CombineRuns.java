import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Puts the split PIT runs of docs/mutation-testing.md together: reads several {@code mutations.xml} files and, for
 * each mutated class, keeps the results of the <em>last</em> file (in the order given) that has that class, so a
 * later run of a few classes replaces an earlier run's figures for those classes only. Prints, per package, the
 * mutants, killed (timed out, memory and run errors count as killed, as in PIT's score), survived and uncovered, and
 * the total; with {@code --survivors}, every surviving and uncovered mutant. A file PIT is still writing (or that was
 * stopped) ends inside {@code <mutations partial="true">}: it is read up to its last complete mutation.
 *
 * <p>Usage: {@code java tests/pit/CombineRuns.java [--survivors] FILE...}. A single-file program, run from source; not
 * part of the test suite.
 */
public class CombineRuns {
    record Mutant(String clazz, String method, int line, String mutator, String status, String description) {
        boolean killed() {
            return switch (status) {
                case "KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR" -> true;
                default -> false;
            };
        }

        String pkg() {
            int dot = clazz.lastIndexOf('.');
            return dot < 0 ? "" : clazz.substring(0, dot);
        }

        String outerClass() {
            int dollar = clazz.indexOf('$');
            return dollar < 0 ? clazz : clazz.substring(0, dollar);
        }
    }

    static final class Counts {
        int mutants;
        int killed;
        int timedOut;
        int survived;
        int noCoverage;

        void add(Mutant m) {
            mutants++;
            if (m.killed()) {
                killed++;
                if (!m.status().equals("KILLED")) {
                    timedOut++;
                }
            } else if (m.status().equals("NO_COVERAGE")) {
                noCoverage++;
            } else {
                survived++;
            }
        }

        String row(String name) {
            return String.format("| %s | %d | %d (%d) | %d | %d | %.1f %% |", name, mutants, killed, timedOut, survived,
                    noCoverage, mutants == 0 ? 0.0 : 100.0 * killed / mutants);
        }
    }

    public static void main(String[] args) throws Exception {
        boolean survivors = false;
        List<Path> files = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--survivors")) {
                survivors = true;
            } else {
                files.add(Path.of(a));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: java tests/pit/CombineRuns.java [--survivors] mutations.xml...");
            System.exit(2);
        }
        // Per outer class, the mutants of the last file that has it.
        Map<String, List<Mutant>> byClass = new TreeMap<>();
        Map<String, Path> source = new TreeMap<>();
        for (Path f : files) {
            Map<String, List<Mutant>> here = new LinkedHashMap<>();
            for (Mutant m : read(f)) {
                here.computeIfAbsent(m.outerClass(), k -> new ArrayList<>()).add(m);
            }
            for (var e : here.entrySet()) {
                byClass.put(e.getKey(), e.getValue());
                source.put(e.getKey(), f);
            }
        }
        Map<String, Counts> byPackage = new TreeMap<>();
        Counts total = new Counts();
        for (var e : byClass.entrySet()) {
            for (Mutant m : e.getValue()) {
                byPackage.computeIfAbsent(m.pkg(), k -> new Counts()).add(m);
                total.add(m);
            }
        }
        System.out.println("| package | mutants | killed (timed out) | survived | no coverage | score |");
        System.out.println("|---|---|---|---|---|---|");
        byPackage.forEach((p, c) -> System.out.println(c.row("`" + p + "`")));
        System.out.println(total.row("**total**"));
        System.out.println();
        Map<Path, Integer> classesPerFile = new LinkedHashMap<>();
        for (Path f : files) {
            classesPerFile.put(f, 0);
        }
        source.values().forEach(f -> classesPerFile.merge(f, 1, Integer::sum));
        classesPerFile.forEach((f, n) -> System.out.println("classes taken from " + f + ": " + n));
        if (survivors) {
            System.out.println();
            for (var e : byClass.entrySet()) {
                for (Mutant m : e.getValue()) {
                    if (!m.killed()) {
                        System.out.printf("%s %s.%s:%d %s | %s%n", m.status(), m.clazz(), m.method(), m.line(),
                                m.mutator().substring(m.mutator().lastIndexOf('.') + 1), m.description());
                    }
                }
            }
        }
    }

    static List<Mutant> read(Path file) throws Exception {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (!text.stripTrailing().endsWith("</mutations>")) {
            int last = text.lastIndexOf("</mutation>");
            if (last < 0) {
                return List.of();
            }
            text = text.substring(0, last + "</mutation>".length()) + "</mutations>";
        }
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        NodeList nodes = doc.getDocumentElement().getElementsByTagName("mutation");
        List<Mutant> out = new ArrayList<>(nodes.getLength());
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            out.add(new Mutant(child(e, "mutatedClass"), child(e, "mutatedMethod"),
                    Integer.parseInt(child(e, "lineNumber")), child(e, "mutator"), e.getAttribute("status"),
                    child(e, "description")));
        }
        return out;
    }

    static String child(Element e, String name) throws IOException {
        NodeList l = e.getElementsByTagName(name);
        if (l.getLength() == 0) {
            throw new IOException("a <mutation> without <" + name + ">");
        }
        return l.item(0).getTextContent();
    }
}
