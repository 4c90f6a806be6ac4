package dev.pvmfw.oracle.rust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.bindings.v0_4_0.PvmfwPagingOracle040;
import dev.pvmfw.era2023_05.HypError;
import dev.pvmfw.era2023_05.MemoryTrackerError;
import dev.pvmfw.hyp.KvmError;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.scenario.Updater;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.MapError;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Java side's names for what crosses the oracle ABI, against the committed bindings' constants, in every run (the
 * load-time check compares the bindings with a library, which CI does not have): each Java variant has exactly one
 * constant of its family, named after it, and each constant of the family is some Java variant. A variant added on
 * one side only, or a Rust constant the Java side does not know, fails here.
 */
class AbiCodesTest {
    static final Map<String, Long> CONSTANTS = AbiConstants.ofBindings(PvmfwPagingOracle040.class);

    /** {@code DifferentBaseAddress} → {@code DIFFERENT_BASE_ADDRESS}. */
    static String upperSnake(String rustName) {
        return rustName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    static Set<String> family(String prefix, String... except) {
        Set<String> out = new TreeSet<>();
        for (String name : CONSTANTS.keySet()) {
            if (name.startsWith(prefix) && !List.of(except).contains(name)) {
                out.add(name.substring(prefix.length()));
            }
        }
        return out;
    }

    /**
     * The {@code PVP_TRACKER_ERR_*} codes are the variants of the newest era's {@code MemoryTrackerError} (2024-05:
     * sixteen, a superset of 2023-11's fourteen and the seed's twelve; ABI 6), and the seed's twelve are among them.
     */
    @Test
    void trackerErrorCodesAreTheVariantsOfMemoryTrackerError() {
        Set<String> seed = Stream.concat(Arrays.stream(MemoryTrackerError.Unit.values()).map(Enum::name),
                Stream.of(new MemoryTrackerError.Hypervisor(new HypError.Kvm(KvmError.Unit.NotSupported, 0)))
                        .map(h -> h.getClass().getSimpleName())).map(AbiCodesTest::upperSnake)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(12, seed.size());
        Set<String> newest = Stream.concat(Arrays.stream(dev.pvmfw.era2024_05.MemoryTrackerError.Unit.values())
                        .map(Enum::name), Arrays.stream(dev.pvmfw.era2024_05.MemoryTrackerError.class
                        .getPermittedSubclasses()).filter(c -> !c.isEnum()).map(Class::getSimpleName))
                .map(AbiCodesTest::upperSnake).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(newest, family("PVP_TRACKER_ERR_"));
        assertEquals(16, newest.size());
        assertTrue(newest.containsAll(seed), "the seed's variants are among the newest era's");
        assertEquals(16, family("PVP_TRACKER_ERR_").stream().map(n -> CONSTANTS.get("PVP_TRACKER_ERR_" + n))
                .distinct().count(), "distinct codes");
    }

    /** The {@code PVP_ERA_*} codes are the eras after the seed, by id. */
    @Test
    void eraCodesAreTheLaterEras() {
        Set<String> later = dev.pvmfw.catalog.Eras.all().stream().skip(1).map(e -> e.id().replace('-', '_'))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(later, family("PVP_ERA_"));
    }

    @Test
    void mapErrorCodesAreTheVariantsOfMapError() {
        Set<String> java = Arrays.stream(MapError.class.getPermittedSubclasses()).map(Class::getSimpleName)
                .map(AbiCodesTest::upperSnake).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(java, family("PVP_ERR_", "PVP_ERR_TRACKER", "PVP_ERR_HYP"));
    }

    /** Each of pvmfw's page-table mapping functions a scenario names has its {@code PVP_PAGE_TABLE_MAP_*}, and back. */
    @Test
    void pageTableMapCodesAreTheScenarioPageTableSets() {
        Set<String> java = Arrays.stream(dev.pvmfw.oracle.scenario.Step.PageTableSet.values()).map(Enum::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(java, family("PVP_PAGE_TABLE_MAP_"));
        for (var set : dev.pvmfw.oracle.scenario.Step.PageTableSet.values()) {
            assertEquals(CONSTANTS.get("PVP_PAGE_TABLE_MAP_" + set.name()).intValue(), RustEngine.pageTableSet(set));
        }
        assertEquals(java.size(), family("PVP_PAGE_TABLE_MAP_").stream()
                .map(n -> CONSTANTS.get("PVP_PAGE_TABLE_MAP_" + n)).distinct().count(), "distinct codes");
    }

    /**
     * The outcome codes the Rust engine reads are distinct: a hypervisor error ({@code PVP_ERR_HYP}), a tracker error,
     * every MapError, a panic, Ok, and the refusals.
     */
    @Test
    void outcomeCodesAreDistinct() {
        List<String> codes = CONSTANTS.keySet().stream().filter(n -> n.startsWith("PVP_ERR_") || n.equals("PVP_OK")
                || n.equals("PVP_PANIC") || n.equals("PVP_INVALID_ARGUMENT") || n.equals("PVP_BUSY")).toList();
        assertTrue(codes.contains("PVP_ERR_HYP"), codes.toString());
        assertEquals(codes.size(), codes.stream().map(CONSTANTS::get).distinct().count(), codes.toString());
    }

    @Test
    void panicKindsMapBothWays() {
        Set<String> java = Arrays.stream(Outcome.PanicKind.values()).map(Enum::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(java, family("PVP_KIND_"));
        for (Outcome.PanicKind kind : Outcome.PanicKind.values()) {
            assertEquals(kind, RustEngine.panicKind(CONSTANTS.get("PVP_KIND_" + kind.name()).intValue()));
        }
    }

    @Test
    void builtinUpdatersMapToTheirConstants() {
        Set<String> java = Arrays.stream(Updater.BuiltinKind.values()).map(Enum::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(java, family("PVP_BUILTIN_"));
        for (Updater.BuiltinKind kind : Updater.BuiltinKind.values()) {
            assertEquals(CONSTANTS.get("PVP_BUILTIN_" + kind.name()).intValue(), RustEngine.builtinId(kind));
        }
    }

    /**
     * The codes the upcall writes into a {@code PvpAction} are the header's: each {@link Updater.Action} variant has
     * the {@code PVP_ACTION_*} constant named after it, and {@link RustEngine#actionKind} gives its value; every
     * {@code PVP_ACTION_*} is some variant. 0.12's {@code Set} has no 0.4.0 code: {@code actionKind} refuses it (a
     * 0.4.0 scenario never holds one). (That the library applies each of them: {@code LibraryContractTest}.)
     */
    @Test
    void actionKindsTheUpcallWritesAreTheHeadersActionConstants() {
        Map<String, Integer> java = new TreeMap<>();
        for (Updater.Action action : List.of(new Updater.Action.None(),
                new Updater.Action.ModifyFlags(new dev.pvmfw.oracle.scenario.FlagSet(Attributes.SWFLAG_1.bits(),
                        dev.pvmfw.paging.v0_4_0.profile.Profile040.INSTANCE), new dev.pvmfw.oracle.scenario.FlagSet(
                        Attributes.VALID.bits(), dev.pvmfw.paging.v0_4_0.profile.Profile040.INSTANCE)))) {
            java.put(upperSnake(action.getClass().getSimpleName()), RustEngine.actionKind(action));
        }
        TreeSet<String> variants = Arrays.stream(Updater.Action.class.getPermittedSubclasses())
                .map(Class::getSimpleName).map(AbiCodesTest::upperSnake).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(variants.remove("SET"), "0.12's set action");
        assertEquals(variants, java.keySet(), "one action of each 0.4.0 variant");
        assertThrows(IllegalArgumentException.class, () -> RustEngine.actionKind(new Updater.Action.Set(0, true,
                new dev.pvmfw.oracle.scenario.FlagSet(0, dev.pvmfw.paging.v0_4_0.profile.Profile040.INSTANCE))));
        assertEquals(family("PVP_ACTION_"), java.keySet());
        java.forEach((name, code) -> assertEquals(CONSTANTS.get("PVP_ACTION_" + name).intValue(), code, name));
    }

    /**
     * The answers the upcall returns are the header's {@code PVP_UPDATER_*} values: Ok, Err and abort
     * ({@link RustEngine#answer}, {@link RustEngine#abort}), all distinct, and there is no other.
     */
    @Test
    void answersTheUpcallReturnsAreTheHeadersUpdaterConstants() {
        Map<String, Integer> java = Map.of("OK", RustEngine.answer(true), "ERR", RustEngine.answer(false), "ABORT",
                RustEngine.abort());
        assertEquals(family("PVP_UPDATER_"), java.keySet());
        java.forEach((name, code) -> assertEquals(CONSTANTS.get("PVP_UPDATER_" + name).intValue(), code, name));
        assertEquals(3, java.values().stream().distinct().count(), "distinct answers");
    }

    @Test
    void vaRangesMapToTheirConstants() {
        assertEquals(Set.of("LOWER", "UPPER"), family("PVP_VA_RANGE_"));
        for (VaRange range : VaRange.values()) {
            assertEquals(CONSTANTS.get("PVP_VA_RANGE_" + range.name()).intValue(), RustEngine.vaRange(range));
        }
    }
}
