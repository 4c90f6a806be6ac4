package dev.pvmfw.oracle.rust;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code PVP_*} constants of an oracle ABI, by name: as the committed bindings have them (the header the bindings
 * were generated from, read from the header class's constant getters) and as a loaded library reports them
 * ({@code pvpNNN_constants}, {@code NAME=VALUE} lines). Comparing the two proves the library was built from the
 * header the bindings came from; the Java side's own codes are checked against the bindings by a default-run test.
 */
public final class AbiConstants {
    private AbiConstants() {}

    /** Every {@code PVP_*} constant of {@code headerClass}: its public static no-argument int or long getters. */
    public static Map<String, Long> ofBindings(Class<?> headerClass) {
        Map<String, Long> out = new TreeMap<>();
        for (Method m : headerClass.getMethods()) {
            if (m.getName().startsWith("PVP_") && Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0
                    && (m.getReturnType() == int.class || m.getReturnType() == long.class)) {
                try {
                    out.put(m.getName(), ((Number) m.invoke(null)).longValue());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + m.getName() + " of " + headerClass.getName(), e);
                }
            }
        }
        return out;
    }

    /** The {@code NAME=VALUE} lines a library reports. @throws IllegalArgumentException on a malformed line */
    public static Map<String, Long> parse(String text) {
        Map<String, Long> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("malformed constant line '" + line + "'");
            }
            out.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
        }
        return out;
    }

    /** Every disagreement between the bindings' constants and the library's, both ways. */
    public static List<String> compare(Map<String, Long> bindings, Map<String, Long> library) {
        List<String> problems = new ArrayList<>();
        bindings.forEach((name, value) -> {
            Long actual = library.get(name);
            if (actual == null) {
                problems.add(name + " is in the bindings but the library does not report it");
            } else if (!actual.equals(value)) {
                problems.add(name + ": library " + actual + ", bindings " + value);
            }
        });
        library.keySet().stream().filter(n -> !bindings.containsKey(n))
                .forEach(n -> problems.add(n + " is reported by the library but not in the bindings"));
        return problems;
    }
}
