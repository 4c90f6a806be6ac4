package dev.pvmfw.tool;

import dev.pvmfw.oracle.scenario.ScenarioSyntaxException;
import dev.pvmfw.oracle.scenario.ScenarioText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A subcommand's arguments: positionals, {@code --name value} options and {@code --flag}s, checked against what the
 * command accepts. Every problem is a {@link UsageException}.
 */
final class Args {
    final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    static Args parse(String[] argv, int from, Set<String> valueOptions, Set<String> flagOptions)
            throws UsageException {
        Args a = new Args();
        for (int i = from; i < argv.length; i++) {
            String s = argv[i];
            if (s.startsWith("--") && s.length() > 2) {
                String name = s.substring(2);
                String inline = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    inline = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flagOptions.contains(name) && inline == null) {
                    a.flags.add(name);
                } else if (valueOptions.contains(name)) {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= argv.length) {
                            throw new UsageException("--" + name + " needs a value");
                        }
                        value = argv[++i];
                    }
                    a.options.put(name, value);
                } else {
                    throw new UsageException("unknown option --" + name);
                }
            } else {
                a.positional.add(s);
            }
        }
        return a;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    boolean has(String name) {
        return options.containsKey(name);
    }

    long number(String name, long fallback) throws UsageException {
        return options.containsKey(name) ? number(options.get(name), "--" + name) : fallback;
    }

    static long number(String text, String what) throws UsageException {
        try {
            return ScenarioText.number(text, 0);
        } catch (ScenarioSyntaxException e) {
            throw new UsageException(what + ": not a number: '" + text + "'");
        }
    }

    void expectPositionals(int min, int max, String usage) throws UsageException {
        if (positional.size() < min || positional.size() > max) {
            throw new UsageException("usage: " + usage);
        }
    }
}
