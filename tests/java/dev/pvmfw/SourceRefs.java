package dev.pvmfw;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The project's own types a Java source file names: its imports and its qualified names, comments and strings aside. */
final class SourceRefs {
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT =
            Pattern.compile("^\\s*import\\s+(static\\s+)?(dev\\.pvmfw\\.[\\w.]+?)(\\.\\*)?\\s*;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\bdev\\.pvmfw(?:\\.[a-z_][a-z0-9_]*)+\\.[A-Z]\\w*");

    private SourceRefs() {}

    /** The code with comments, string and character literals and text blocks blanked (newlines kept). */
    static String stripCommentsAndStrings(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(src, i, end, out);
                i = end;
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                blank(src, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(n, j + 1);
                blank(src, i, j, out);
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String src, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) {
            out.append(src.charAt(k) == '\n' ? '\n' : ' ');
        }
    }

    /** The package the file declares. */
    static String packageOf(String code) {
        Matcher m = PACKAGE.matcher(code);
        return m.find() ? m.group(1) : "";
    }

    /**
     * Every project type named: {@code dev.pvmfw.a.B} for an import of it or of its members, {@code dev.pvmfw.a.*} for
     * a package import, and each qualified name in the code.
     */
    static Set<String> referencedTypes(String code) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = IMPORT.matcher(code);
        while (m.find()) {
            String name = m.group(2);
            if (m.group(3) != null) {
                out.add(name + (Character.isUpperCase(lastSegment(name).charAt(0)) ? "" : ".*"));
            } else if (m.group(1) != null) {
                out.add(name.substring(0, name.lastIndexOf('.'))); // import static a.B.member
            } else {
                out.add(name);
            }
        }
        Matcher q = QUALIFIED.matcher(IMPORT.matcher(code).replaceAll(""));
        while (q.find()) {
            out.add(q.group());
        }
        return out;
    }

    /** The package part of a type name: the segments before the first that starts upper-case (or {@code *}). */
    static String packageOfType(String type) {
        List<String> pkg = new ArrayList<>();
        for (String seg : type.split("\\.")) {
            if (seg.equals("*") || Character.isUpperCase(seg.charAt(0))) {
                break;
            }
            pkg.add(seg);
        }
        return String.join(".", pkg);
    }

    private static String lastSegment(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** The cycles of a directed graph, each as {@code a -> b -> a}; empty if it has none. */
    static List<String> cycles(Map<String, Set<String>> graph) {
        List<String> found = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        for (String start : graph.keySet()) {
            visit(start, graph, new ArrayList<>(), done, found);
        }
        return found;
    }

    private static void visit(String node, Map<String, Set<String>> graph, List<String> path, Set<String> done,
            List<String> found) {
        int at = path.indexOf(node);
        if (at >= 0) {
            found.add(String.join(" -> ", path.subList(at, path.size())) + " -> " + node);
            return;
        }
        if (done.contains(node)) {
            return;
        }
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            visit(next, graph, path, done, found);
        }
        path.removeLast();
        done.add(node);
    }
}
