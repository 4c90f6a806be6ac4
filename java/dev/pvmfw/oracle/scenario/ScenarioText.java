package dev.pvmfw.oracle.scenario;

import dev.pvmfw.catalog.Profiles;
import dev.pvmfw.paging.NumberText;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.port.CrateProfile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The line-oriented text form of scenarios, shared by the tool, the differential runner and the golden vectors:
 *
 * <pre>
 * # comment
 * scenario s1-garbage-fill
 * arena slots=16 pa-base=0x40000000
 * table level=1 va-range=lower
 * map 0x0 0x1000 pa=0x80000000 flags=VALID|NORMAL
 * modify 0x0 0x2000 updater=edit:set=SWFLAG_1,clear=0,levels=3
 * modify 0x0 0x2000 updater=builtin:verify-lazy
 * drop
 * </pre>
 *
 * Numbers are hex ({@code 0x…}, underscores allowed) or decimal, and may be negative (two's complement, for upper
 * addresses). A file may hold several scenarios, each starting with {@code scenario}.
 */
public final class ScenarioText {
    private ScenarioText() {}

    /** Formats a scenario (no trailing blank line). */
    public static String format(Scenario scenario) {
        StringBuilder out = new StringBuilder();
        out.append("scenario ").append(scenario.name()).append('\n');
        if (scenario.profile() != Profiles.defaultProfile()) {
            out.append("profile ").append(scenario.profile().id()).append('\n');
        }
        out.append(arenaLine(scenario)).append('\n');
        for (Step step : scenario.steps()) {
            out.append(step.text()).append('\n');
        }
        return out.toString();
    }

    /** The scenario's {@code arena} line: {@code arena slots=N pa-base=0x…}. */
    public static String arenaLine(Scenario scenario) {
        return "arena slots=" + scenario.slots() + " pa-base=" + Step.hex(scenario.paBase());
    }

    /** Parses every scenario in {@code text}. */
    public static List<Scenario> parseAll(String text) throws ScenarioSyntaxException {
        try {
            return parseAll(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses every scenario read from {@code reader}. */
    public static List<Scenario> parseAll(Reader reader) throws IOException, ScenarioSyntaxException {
        return parseAll(reader, null);
    }

    /**
     * Parses every scenario in {@code text} for the profile a user named ({@code --profile}): scenarios without a
     * {@code profile} line are of {@code imposed}; one whose {@code profile} line names another is refused.
     *
     * @param imposed the profile named outside the text, or null for none (then 0.4.0 is the default)
     * @throws ScenarioSyntaxException as {@link #parseAll(String)}, and for a {@code profile} line that is not
     *     {@code imposed}
     */
    public static List<Scenario> parseAll(String text, CrateProfile imposed) throws ScenarioSyntaxException {
        try {
            return parseAll(new StringReader(text), imposed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Scenario> parseAll(Reader reader, CrateProfile imposed)
            throws IOException, ScenarioSyntaxException {
        List<Scenario> out = new ArrayList<>();
        Builder current = null;
        BufferedReader lines = new BufferedReader(reader);
        int lineNo = 0;
        for (String raw; (raw = lines.readLine()) != null; ) {
            lineNo++;
            String line = stripComment(raw);
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("scenario ") || line.equals("scenario")) {
                if (current != null) {
                    out.add(current.build(lineNo));
                }
                current = new Builder(line.substring("scenario".length()).trim(), lineNo, imposed);
                continue;
            }
            if (current == null) {
                current = new Builder("unnamed", lineNo, imposed);
            }
            current.accept(line, lineNo);
        }
        if (current != null) {
            out.add(current.build(lineNo));
        }
        if (out.isEmpty()) {
            throw new ScenarioSyntaxException(lineNo, "no scenario found");
        }
        return out;
    }

    /** Parses exactly one scenario. */
    public static Scenario parse(String text) throws ScenarioSyntaxException {
        List<Scenario> all = parseAll(text);
        if (all.size() != 1) {
            throw new ScenarioSyntaxException(1, "expected one scenario, found " + all.size());
        }
        return all.getFirst();
    }

    static String stripComment(String raw) {
        int hash = raw.indexOf('#');
        return (hash >= 0 ? raw.substring(0, hash) : raw).trim();
    }

    /** Accumulates one scenario's lines. */
    private static final class Builder {
        final String name;
        final int startLine;
        int slots = 64;
        long paBase = 0x4000_0000L;
        int arenaLine = -1;
        CrateProfile profile;
        final CrateProfile imposed;
        TranslationRegime regime = TranslationRegime.EL1_AND_0;
        final List<Step> steps = new ArrayList<>();

        Builder(String name, int startLine, CrateProfile imposed) {
            this.name = name.isEmpty() ? "unnamed" : name;
            this.startLine = startLine;
            this.imposed = imposed;
            this.profile = imposed != null ? imposed : Profiles.defaultProfile();
        }

        void accept(String line, int lineNo) throws ScenarioSyntaxException {
            if (line.startsWith("profile ") || line.equals("profile")) {
                if (!steps.isEmpty()) {
                    throw new ScenarioSyntaxException(lineNo, "'profile' must come before the steps");
                }
                String id = line.substring("profile".length()).trim();
                profile = Profiles.byId(id).orElseThrow(() -> new ScenarioSyntaxException(lineNo, "unknown profile '"
                        + NumberText.echo(id) + "' (known: " + Profiles.ids() + ")"));
                if (imposed != null && profile != imposed) {
                    throw new ScenarioSyntaxException(lineNo, "scenario " + name + " says 'profile " + profile.id()
                            + "' but --profile " + imposed.id() + " was given: remove the flag or change the line");
                }
                try {
                    Dialect.of(profile);
                } catch (IllegalArgumentException e) {
                    throw new ScenarioSyntaxException(lineNo, e.getMessage());
                }
                return;
            }
            if (line.startsWith("arena")) {
                if (!steps.isEmpty()) {
                    throw new ScenarioSyntaxException(lineNo, "'arena' must come before the steps");
                }
                arenaLine = lineNo;
                Map<String, String> kv = keyValues(line.substring("arena".length()), lineNo, "slots", "pa-base");
                if (kv.containsKey("slots")) {
                    long s = number(kv.get("slots"), lineNo);
                    if (s < 1 || s > Scenario.MAX_SLOTS) {
                        throw new ScenarioSyntaxException(lineNo, "slots must be 1.." + Scenario.MAX_SLOTS);
                    }
                    slots = (int) s;
                }
                if (kv.containsKey("pa-base")) {
                    paBase = number(kv.get("pa-base"), lineNo);
                }
                return;
            }
            Step step = parseStep(line, lineNo, profile, regime);
            String refused = Dialect.of(profile).refusal(step);
            if (refused != null) {
                throw new ScenarioSyntaxException(lineNo, refused);
            }
            if (step instanceof Step.NewTable t) {
                regime = t.regime();
            }
            steps.add(step);
        }

        Scenario build(int lineNo) throws ScenarioSyntaxException {
            // The arena's PAs, checked here so the error names the arena line: page-aligned, the last slot at most
            // 2^48 - 4096, compared without wrapping (a negative base is a base near 2^64).
            long top = 1L << 48;
            if ((paBase & 0xfff) != 0 || Long.compareUnsigned(paBase, top) >= 0
                    || (long) slots > (top - paBase) / 4096) {
                throw new ScenarioSyntaxException(arenaLine > 0 ? arenaLine : startLine, "arena of " + slots
                        + " slots at pa-base=" + Step.hex(paBase) + ": the base must be 4 KiB-aligned and the last "
                        + "slot at most 2^48 - 4096");
            }
            try {
                return new Scenario(name, profile, slots, paBase, steps);
            } catch (IllegalArgumentException e) {
                throw new ScenarioSyntaxException(startLine, "scenario " + name + ": " + e.getMessage());
            }
        }
    }

    /** {@link #parseStep(String, int, CrateProfile)} for the default profile. */
    public static Step parseStep(String line, int lineNo) throws ScenarioSyntaxException {
        return parseStep(line, lineNo, Profiles.defaultProfile());
    }

    /** {@link #parseStep(String, int, CrateProfile, TranslationRegime)} with EL1&amp;0's flag names. */
    public static Step parseStep(String line, int lineNo, CrateProfile profile) throws ScenarioSyntaxException {
        return parseStep(line, lineNo, profile, TranslationRegime.EL1_AND_0);
    }

    /**
     * Parses one step line; flag names are {@code profile}'s for {@code regime} ({@code docs/scenarios.md}, "Steps of
     * a table scenario"). Whether the step belongs to the profile's {@link Dialect} is checked by the scenario.
     */
    public static Step parseStep(String line, int lineNo, CrateProfile profile, TranslationRegime regime)
            throws ScenarioSyntaxException {
        String[] words = line.trim().split("\\s+", 2);
        String rest = words.length > 1 ? words[1] : "";
        try {
            return switch (words[0]) {
                case "table" -> {
                    Map<String, String> kv = keyValues(rest, lineNo, "level", "va-range", "regime", "asid");
                    long level = number(kv.getOrDefault("level", "1"), lineNo);
                    String range = kv.getOrDefault("va-range", "lower");
                    VaRange vaRange = switch (range) {
                        case "lower" -> VaRange.LOWER;
                        case "upper" -> VaRange.UPPER;
                        default -> throw new ScenarioSyntaxException(lineNo, "va-range must be lower or upper");
                    };
                    if (level < 0 || level > Integer.MAX_VALUE) {
                        throw new ScenarioSyntaxException(lineNo, "level must be a small non-negative number");
                    }
                    String rid = kv.getOrDefault("regime", "el1and0");
                    TranslationRegime tr = TranslationRegime.byId(rid).orElseThrow(() -> new ScenarioSyntaxException(
                            lineNo, "unknown regime '" + NumberText.echo(rid) + "' (el1and0, el2and0, el2, el3, "
                                    + "stage2)"));
                    yield new Step.NewTable((int) level, vaRange, tr, number(kv.getOrDefault("asid", "0"), lineNo));
                }
                case "map" -> {
                    String[] parts = rest.split("\\s+", 3);
                    if (parts.length < 3) {
                        throw new ScenarioSyntaxException(lineNo, "map START END pa=PA flags=FLAGS");
                    }
                    Map<String, String> kv = keyValues(parts[2], lineNo, "pa", "flags", "constraints");
                    if (!kv.containsKey("pa") || !kv.containsKey("flags")) {
                        throw new ScenarioSyntaxException(lineNo, "map needs pa= and flags=");
                    }
                    yield new Step.MapRange(number(parts[0], lineNo), number(parts[1], lineNo),
                            number(kv.get("pa"), lineNo), FlagSet.parse(kv.get("flags"), profile, regime),
                            ConstraintBits.parse(kv.getOrDefault("constraints", "0")));
                }
                case "modify" -> {
                    String[] parts = rest.split("\\s+", 3);
                    if (parts.length < 3 || !parts[2].startsWith("updater=")) {
                        throw new ScenarioSyntaxException(lineNo, "modify START END updater=UPDATER");
                    }
                    yield new Step.ModifyRange(number(parts[0], lineNo), number(parts[1], lineNo),
                            parseUpdater(parts[2].substring("updater=".length()), lineNo, profile, regime));
                }
                case "walk" -> {
                    String[] parts = rest.isBlank() ? new String[0] : rest.trim().split("\\s+");
                    if (parts.length < 2 || parts.length > 3 || parts.length == 3 && !parts[2].startsWith("fail=")) {
                        throw new ScenarioSyntaxException(lineNo, "walk START END [fail=FAILURE]");
                    }
                    yield new Step.WalkRange(number(parts[0], lineNo), number(parts[1], lineNo), parts.length == 3
                            ? parseFailure(parts[2].substring("fail=".length()), lineNo) : new Updater.Failure.Never());
                }
                case "deactivate" -> {
                    Map<String, String> kv = keyValues(rest, lineNo, "ttbr");
                    yield new Step.Deactivate(number(kv.getOrDefault("ttbr", "-1"), lineNo));
                }
                case "compact", "activate", "mark-active", "mark-inactive" -> {
                    if (!rest.isEmpty()) {
                        throw new ScenarioSyntaxException(lineNo, words[0] + " takes no arguments");
                    }
                    yield switch (words[0]) {
                        case "compact" -> new Step.CompactSubtables();
                        case "activate" -> new Step.Activate();
                        case "mark-active" -> new Step.MarkActive();
                        default -> new Step.MarkInactive();
                    };
                }
                case "tracker" -> {
                    Map<String, String> kv = keyValues(rest, lineNo, "ram-end", "compat-android13", "era", "granule",
                            "mmio-guard", "entry");
                    String compat = kv.getOrDefault("compat-android13", "on");
                    if (!compat.equals("on") && !compat.equals("off")) {
                        throw new ScenarioSyntaxException(lineNo, "compat-android13 must be on or off");
                    }
                    String guard = kv.getOrDefault("mmio-guard", "on");
                    if (!guard.equals("on") && !guard.equals("off")) {
                        throw new ScenarioSyntaxException(lineNo, "mmio-guard must be on or off");
                    }
                    String entry = kv.getOrDefault("entry", "off");
                    if (!entry.equals("on") && !entry.equals("off")) {
                        throw new ScenarioSyntaxException(lineNo, "entry must be on or off");
                    }
                    yield new Step.NewTracker(number(kv.getOrDefault("ram-end", "0x10000000000"), lineNo),
                            compat.equals("on"), kv.get("era"),
                            kv.containsKey("granule") ? number(kv.get("granule"), lineNo)
                                    : Step.NewTracker.DEFAULT_GRANULE, guard.equals("on"), entry.equals("on"));
                }
                case "map-device", "map-code", "map-data", "map-rodata", "mmio-map", "alloc-range",
                        "alloc-range-mut", "shrink", "shared-pool-static" -> {
                    long[] n = numbers(words[0], rest, lineNo, "START END");
                    yield switch (words[0]) {
                        case "mmio-map" -> new Step.MmioMap(n[0], n[1]);
                        case "alloc-range" -> new Step.AllocRange(n[0], n[1], false);
                        case "alloc-range-mut" -> new Step.AllocRange(n[0], n[1], true);
                        case "shrink" -> new Step.Shrink(n[0], n[1]);
                        case "shared-pool-static" -> new Step.SharedPoolStatic(n[0], n[1]);
                        default -> new Step.PageTableMap(Step.PageTableSet.ofWord(words[0]), n[0], n[1]);
                    };
                }
                case "alloc", "alloc-mut" -> {
                    long[] n = numbers(words[0], rest, lineNo, "BASE SIZE");
                    if (n[1] == 0) {
                        throw new ScenarioSyntaxException(lineNo, words[0] + " BASE SIZE: SIZE must be non-zero "
                                + "(pvmfw's " + words[0].replace('-', '_') + " takes a NonZeroUsize, which cannot hold "
                                + "0; write alloc-range" + (words[0].equals("alloc") ? "" : "-mut")
                                + " BASE BASE for an empty range)");
                    }
                    yield new Step.Alloc(n[0], n[1], words[0].equals("alloc-mut"));
                }
                case "hyp-map", "hyp-unmap" -> {
                    long[] n = numbers(words[0], rest, lineNo, "IPA");
                    yield new Step.HypGuard(n[0], words[0].equals("hyp-unmap"));
                }
                case "alloc-shared" -> {
                    long[] n = numbers(words[0], rest, lineNo, "SIZE ALIGN");
                    yield new Step.AllocShared(n[0], n[1]);
                }
                case "dealloc-shared" -> {
                    long[] n = numbers(words[0], rest, lineNo, "ADDR SIZE ALIGN");
                    yield new Step.DeallocShared(n[0], n[1], n[2]);
                }
                case "fault" -> {
                    if (rest.isBlank() || rest.trim().contains(" ")) {
                        throw new ScenarioSyntaxException(lineNo, "fault ADDRESS");
                    }
                    yield new Step.Fault(number(rest, lineNo));
                }
                case "mmio-unmap-all", "console-unmap", "clear-injections", "hyp-init", "shared-pool-dynamic",
                        "unshare-all" -> {
                    if (!rest.isEmpty()) {
                        throw new ScenarioSyntaxException(lineNo, words[0] + " takes no arguments");
                    }
                    yield switch (words[0]) {
                        case "mmio-unmap-all" -> new Step.MmioUnmapAll();
                        case "console-unmap" -> new Step.ConsoleUnmap();
                        case "clear-injections" -> new Step.ClearInjections();
                        case "hyp-init" -> new Step.HypInit();
                        case "shared-pool-dynamic" -> new Step.SharedPoolDynamic();
                        default -> new Step.UnshareAll();
                    };
                }
                case "inject" -> {
                    Map<String, String> kv = keyValues(rest, lineNo, "call", "fn", "arg", "kind", "n", "x0");
                    int forms = (kv.containsKey("call") ? 1 : 0) + (kv.containsKey("fn") || kv.containsKey("arg") ? 1 : 0)
                            + (kv.containsKey("kind") || kv.containsKey("n") ? 1 : 0);
                    if (!kv.containsKey("x0") || forms != 1) {
                        throw new ScenarioSyntaxException(lineNo, "inject call=N x0=V, inject kind=K n=N x0=V, or "
                                + "inject fn=ID arg=X1 x0=V");
                    }
                    long x0 = number(kv.get("x0"), lineNo);
                    if (kv.containsKey("kind") || kv.containsKey("n")) {
                        Step.HypFunction function = Step.HypFunction.ofWord(kv.getOrDefault("kind", ""));
                        if (function == null) {
                            throw new ScenarioSyntaxException(lineNo, "inject kind= is one of " + String.join(", ",
                                    java.util.Arrays.stream(Step.HypFunction.values()).map(Step.HypFunction::word)
                                            .toList()));
                        }
                        long n = number(kv.getOrDefault("n", "0"), lineNo);
                        if (n < 1 || n > Integer.MAX_VALUE) {
                            throw new ScenarioSyntaxException(lineNo, "inject kind=K n=N: N counts the calls of K "
                                    + "from 1");
                        }
                        yield new Step.InjectNth(function, (int) n, x0);
                    }
                    if (kv.containsKey("call")) {
                        long call = number(kv.get("call"), lineNo);
                        if (call < 0 || call > Integer.MAX_VALUE) {
                            throw new ScenarioSyntaxException(lineNo, "call must be a call number");
                        }
                        yield new Step.InjectAtCall((int) call, x0);
                    }
                    yield new Step.InjectFor((int) number(kv.getOrDefault("fn", "0"), lineNo),
                            number(kv.getOrDefault("arg", "0"), lineNo), x0);
                }
                case "drop" -> {
                    if (!rest.isEmpty()) {
                        throw new ScenarioSyntaxException(lineNo, "drop takes no arguments");
                    }
                    yield new Step.DropTable();
                }
                default -> throw new ScenarioSyntaxException(lineNo,
                        "unknown step '" + words[0] + "' (expected table, map, modify, walk, compact, activate, "
                                + "deactivate, mark-active, mark-inactive, drop, tracker, map-code, "
                                + "map-data, map-rodata, map-device, mmio-map, fault, mmio-unmap-all, console-unmap, "
                                + "alloc-range, "
                                + "alloc-range-mut, alloc, alloc-mut, shrink, hyp-init, hyp-map, hyp-unmap, inject, "
                                + "clear-injections, shared-pool-dynamic, shared-pool-static, alloc-shared, "
                                + "dealloc-shared or unshare-all)");
            };
        } catch (IllegalArgumentException e) {
            throw new ScenarioSyntaxException(lineNo, e.getMessage());
        }
    }

    /** The step's numeric arguments, exactly as many as {@code usage} names. */
    static long[] numbers(String word, String rest, int lineNo, String usage) throws ScenarioSyntaxException {
        String[] parts = rest.isBlank() ? new String[0] : rest.trim().split("\\s+");
        int want = usage.split(" ").length;
        if (parts.length != want) {
            throw new ScenarioSyntaxException(lineNo, word + " " + usage);
        }
        long[] out = new long[want];
        for (int i = 0; i < want; i++) {
            out[i] = number(parts[i], lineNo);
        }
        return out;
    }

    static Updater parseUpdater(String text, int lineNo, CrateProfile profile, TranslationRegime regime)
            throws ScenarioSyntaxException {
        if (text.startsWith("builtin:")) {
            Updater.BuiltinKind kind = Updater.BuiltinKind.parse(text.substring("builtin:".length()));
            if (kind == null) {
                throw new ScenarioSyntaxException(lineNo, "unknown built-in updater '" + text + "'");
            }
            return new Updater.Builtin(kind);
        }
        if (text.startsWith("edit:")) {
            Map<String, String> kv = new HashMap<>();
            for (String item : text.substring("edit:".length()).split(",")) {
                if (item.isEmpty()) {
                    continue;
                }
                int eq = item.indexOf('=');
                if (eq < 0) {
                    throw new ScenarioSyntaxException(lineNo, "edit items are key=value: '" + item + "'");
                }
                kv.put(item.substring(0, eq), item.substring(eq + 1));
            }
            for (String key : kv.keySet()) {
                if (!List.of("when", "set", "clear", "pa", "flags", "levels", "fail", "fail-level", "fail-start")
                        .contains(key)) {
                    throw new ScenarioSyntaxException(lineNo, "unknown edit key '" + key + "'");
                }
            }
            int levels = 0;
            for (char c : kv.getOrDefault("levels", "0123").toCharArray()) {
                if (c < '0' || c > '3') {
                    throw new ScenarioSyntaxException(lineNo, "levels are digits 0..3");
                }
                levels |= 1 << (c - '0');
            }
            Predicate when = Predicate.parse(kv.getOrDefault("when", "any"));
            if (when == null) {
                throw new ScenarioSyntaxException(lineNo, "unknown predicate '" + NumberText.echo(kv.get("when"))
                        + "' (" + predicates() + ")");
            }
            Updater.Failure fail;
            if (kv.containsKey("fail-level")) { // the first grammar's form: fail-level=L,fail-start=X
                if (kv.containsKey("fail")) {
                    throw new ScenarioSyntaxException(lineNo, "give fail= or fail-level=/fail-start=, not both");
                }
                long level = number(kv.get("fail-level"), lineNo);
                fail = level < 0 ? new Updater.Failure.Never()
                        : new Updater.Failure.At((int) level, number(kv.getOrDefault("fail-start", "0"), lineNo));
            } else {
                fail = parseFailure(kv.getOrDefault("fail", "never"), lineNo);
            }
            boolean modifies = kv.containsKey("set") || kv.containsKey("clear");
            boolean sets = kv.containsKey("pa") || kv.containsKey("flags");
            Updater.Action action;
            if (modifies && sets) {
                throw new ScenarioSyntaxException(lineNo, "an edit does modify_flags (set=, clear=) or set (pa=, "
                        + "flags=), not both");
            } else if (sets) {
                if (!kv.containsKey("pa") || !kv.containsKey("flags")) {
                    throw new ScenarioSyntaxException(lineNo, "a set action needs pa=PA|keep and flags=FLAGS");
                }
                boolean keep = kv.get("pa").equals("keep");
                action = new Updater.Action.Set(keep ? 0 : number(kv.get("pa"), lineNo), keep,
                        FlagSet.parse(kv.get("flags"), profile, regime));
            } else if (modifies) {
                action = new Updater.Action.ModifyFlags(FlagSet.parse(kv.getOrDefault("set", "0"), profile, regime),
                        FlagSet.parse(kv.getOrDefault("clear", "0"), profile, regime));
            } else {
                action = new Updater.Action.None();
            }
            return new Updater.Edit(when, levels, action, fail);
        }
        throw new ScenarioSyntaxException(lineNo, "updater must be builtin:NAME or edit:…, got '" + text + "'");
    }

    static String predicates() {
        return String.join(", ", java.util.Arrays.stream(Predicate.values()).map(Predicate::text).toList());
    }

    /** {@code never}, {@code call:N}, {@code when:PREDICATE} or {@code at:LEVEL@START}. */
    static Updater.Failure parseFailure(String text, int lineNo) throws ScenarioSyntaxException {
        if (text.equals("never")) {
            return new Updater.Failure.Never();
        }
        if (text.startsWith("call:")) {
            long n = number(text.substring("call:".length()), lineNo);
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw new ScenarioSyntaxException(lineNo, "fail=call:N counts calls from 1");
            }
            return new Updater.Failure.AtCall((int) n);
        }
        if (text.startsWith("when:")) {
            Predicate p = Predicate.parse(text.substring("when:".length()));
            if (p == null) {
                throw new ScenarioSyntaxException(lineNo, "unknown predicate in '" + NumberText.echo(text) + "' ("
                        + predicates() + ")");
            }
            return new Updater.Failure.When(p);
        }
        if (text.startsWith("at:") && text.indexOf('@') > 3) {
            long level = number(text.substring(3, text.indexOf('@')), lineNo);
            if (level < 0 || level > 3) {
                throw new ScenarioSyntaxException(lineNo, "fail=at:LEVEL@START needs a level 0..3");
            }
            return new Updater.Failure.At((int) level, number(text.substring(text.indexOf('@') + 1), lineNo));
        }
        throw new ScenarioSyntaxException(lineNo, "fail= is never, call:N, when:PREDICATE or at:LEVEL@START, not '"
                + NumberText.echo(text) + "'");
    }

    static Map<String, String> keyValues(String text, int lineNo, String... allowed) throws ScenarioSyntaxException {
        Map<String, String> out = new HashMap<>();
        for (String item : text.trim().split("\\s+")) {
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new ScenarioSyntaxException(lineNo, "expected key=value, got '" + item + "'");
            }
            String key = item.substring(0, eq);
            if (!List.of(allowed).contains(key)) {
                throw new ScenarioSyntaxException(lineNo, "unknown key '" + key + "' (allowed: "
                        + String.join(", ", allowed) + ")");
            }
            out.put(key, item.substring(eq + 1));
        }
        return out;
    }

    /** Hex ({@code 0x…}), decimal, optionally negative; underscores ignored. */
    public static long number(String text, int lineNo) throws ScenarioSyntaxException {
        String t = text.trim().replace("_", "").toLowerCase(Locale.ROOT);
        boolean negative = t.startsWith("-");
        if (negative) {
            t = t.substring(1);
        }
        try {
            long v = t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseUnsignedLong(t);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw new ScenarioSyntaxException(lineNo, "not a number: '" + text + "'");
        }
    }
}
