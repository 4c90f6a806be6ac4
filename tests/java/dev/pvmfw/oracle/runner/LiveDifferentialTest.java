package dev.pvmfw.oracle.runner;

import dev.pvmfw.testing.LiveOracle;

import dev.pvmfw.oracle.engine.JavaEngine;
import dev.pvmfw.oracle.engine.Outcome;
import dev.pvmfw.oracle.generator.ScenarioGenerator;
import dev.pvmfw.oracle.rust.OracleUnavailableException;
import dev.pvmfw.oracle.rust.RustEngine;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.ScenarioText;
import dev.pvmfw.oracle.scenario.Step;
import dev.pvmfw.oracle.shrink.Shrinker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.Descriptor;
import dev.pvmfw.paging.v0_4_0.MapError;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.VirtualAddress;
import dev.pvmfw.testing.Property;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The live cross-check: every named scenario and a seeded random campaign, applied to the Java engine and to the
 * real aarch64-paging 0.4.0 (through the oracle library), compared after every step. Skipped with the reason when the
 * library is absent (see {@link LiveOracle}).
 *
 * <p>The campaign runs at least {@code pvmfw.fuzz.steps} steps (default 100,000); one scenario in three is a tracker
 * scenario (pvmfw's lazy MMIO path). A divergence is shrunk and printed as a scenario with a one-line reproduce
 * command.
 */
class LiveDifferentialTest {

    static List<Scenario> named() throws Exception {
        try (InputStream in = LiveDifferentialTest.class.getResourceAsStream("/dev/pvmfw/oracle/named-scenarios.txt")) {
            return ScenarioText.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @TestFactory
    Stream<DynamicTest> namedScenariosAgreeStepByStep() throws Exception {
        return named().stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            LiveOracle.require();
            Differential.Report r = Differential.run(s, Differential.DumpCheck.EVERY_STEP);
            r.divergence().ifPresent(d -> {
                throw new AssertionError(d.report());
            });
        }));
    }

    @Test
    void randomCampaignHasNoDivergence() throws Exception {
        LiveOracle.require();
        long target = Long.getLong("pvmfw.fuzz.steps", 100_000);
        long seed = Property.baseSeed("LiveDifferentialTest#randomCampaignHasNoDivergence");
        SplittableRandom seeds = new SplittableRandom(seed);
        long steps = 0;
        int scenarios = 0;
        while (steps < target) {
            long s = seeds.nextLong();
            Scenario scenario = scenarios % 3 == 2 ? ScenarioGenerator.generateTracker(s, 25)
                    : ScenarioGenerator.generate(s, 20);
            Differential.Report r = Differential.run(scenario, Differential.DumpCheck.AT_END);
            steps += r.steps();
            scenarios++;
            if (r.divergence().isPresent()) {
                Scenario small = Shrinker.shrink(scenario, c -> diverges(c), 2000);
                throw new AssertionError("divergence after " + steps + " steps (" + scenarios + " scenarios), "
                        + "campaign seed 0x" + Long.toHexString(seed) + ", scenario seed 0x" + Long.toHexString(s)
                        + "\n" + r.divergence().get().report() + "\nshrunk to:\n" + ScenarioText.format(small)
                        + Differential.run(small).divergence().map(Divergence::report).orElse("")
                        + "\nNOTE: reproduce with: ./mvnw -Poracle test -Dtest=LiveDifferentialTest "
                        + "-Dpvmfw.seed=0x" + Long.toHexString(seed));
            }
        }
        System.out.printf("live campaign: %d scenarios, %d steps, 0 divergences (seed 0x%x)%n", scenarios, steps,
                seed);
    }

    static boolean diverges(Scenario s) {
        try {
            return Differential.run(s).divergence().isPresent();
        } catch (OracleUnavailableException e) {
            return false;
        }
    }

    /** The crate's root PA (pvp040_table_root_pa), which the runner compares after every step, is Java's. */
    @Test
    void rootTablePaIsTheSameOnBothEnginesAndGoneAfterTheDrop() throws Exception {
        LiveOracle.require();
        for (String text : List.of("arena slots=8 pa-base=0x80000000\ntable level=0 va-range=upper\ndrop",
                "arena slots=8 pa-base=0x40000000\ntracker\ndrop")) {
            Scenario s = ScenarioText.parse("scenario root\n" + text);
            try (JavaEngine java = new JavaEngine(s);
                    RustEngine rust = new RustEngine(s)) {
                assertEquals(OptionalLong.empty(), rust.rootPa(), "before the table");
                java.apply(s.steps().get(0));
                rust.apply(s.steps().get(0));
                assertEquals(OptionalLong.of(s.paBase()), java.rootPa(), text);
                assertEquals(java.rootPa(), rust.rootPa(), text);
                java.apply(s.steps().get(1));
                rust.apply(s.steps().get(1));
                assertEquals(OptionalLong.empty(), java.rootPa(), text);
                assertEquals(OptionalLong.empty(), rust.rootPa(), text);
            }
        }
    }

    /** Java's Display/Debug texts and flags() verdict against the crate's, on random descriptor values. */
    @Test
    void descriptorAndAttributeTextsAgreeWithTheCrate() {
        LiveOracle.require();
        Property.forAll("LiveDifferentialTest#descriptorAndAttributeTextsAgreeWithTheCrate", 50_000,
                r -> new long[] {descriptor(r)}, in -> {
                    long bits = in[0];
                    assertEquals(RustEngine.descriptorFlagsValid(bits), Descriptor.hasKnownFlags(bits),
                            () -> "flags() of 0x" + Long.toHexString(bits));
                    assertEquals(RustEngine.descriptorDebug(bits), Descriptor.debugString(bits));
                    long flagBits = bits & ~Descriptor.PHYSICAL_ADDRESS_BITMASK;
                    assertEquals(RustEngine.attributesDebug(flagBits), Attributes.debugString(flagBits));
                });
    }

    /**
     * Java's Debug and Display texts of every MapError variant against the crate's (pvp040_map_error), on random
     * payloads: the outcome the Rust engine builds from the library's result equals Java's own.
     */
    @Test
    void mapErrorTextsAgreeWithTheCratesForEveryVariantAndPayload() {
        LiveOracle.require();
        Property.forAll("LiveDifferentialTest#mapErrorTextsAgreeWithTheCratesForEveryVariantAndPayload", 20_000,
                r -> new long[] {r.nextInt(4), address(r), address(r), descriptor(r)}, in -> {
                    MapError error = switch ((int) in[0]) {
                        case 0 -> new MapError.AddressRange(new VirtualAddress(in[1]));
                        case 1 -> new MapError.InvalidVirtualAddress(new VirtualAddress(in[1]));
                        case 2 -> new MapError.RegionBackwards(MemoryRegion.of(in[1], in[2]));
                        default -> new MapError.PteUpdateFault(in[3]);
                    };
                    assertEquals(new Outcome.Failed(error), RustEngine.crateMapError(error));
                });
    }

    static long address(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextLong();
            case 1 -> r.nextLong() & 0xFFFF_FFFF_F000L;
            case 2 -> -r.nextInt(0x3000);
            default -> r.nextInt(0x3000);
        };
    }

    static long descriptor(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextLong();
            case 1 -> r.nextLong() & (Attributes.ALL_BITS | Descriptor.PHYSICAL_ADDRESS_BITMASK);
            case 2 -> (r.nextLong() & Attributes.ALL_BITS) | 1;
            default -> r.nextLong() & (Attributes.ALL_BITS | 0x38 | 1L << 52);
        };
    }

    @Test
    void shrinkerFindsASmallFailingScenario() throws Exception {
        Scenario big = null;
        Optional<Step> target = Optional.empty();
        for (long seed = 42; target.isEmpty(); seed++) { // the first generated scenario with a map and 6+ steps
            big = ScenarioGenerator.generate(seed, 20);
            target = big.steps().size() < 6 ? Optional.empty()
                    : big.steps().stream().filter(s -> s instanceof Step.MapRange).findFirst();
        }
        long targetStart = ((Step.MapRange) target.get()).start();
        Scenario small = Shrinker.shrink(big, s -> s.steps().stream().anyMatch(st -> st instanceof Step.MapRange m
                && m.start() == targetStart), 5000);
        assertEquals(2, small.steps().size(), ScenarioText.format(small));
    }
}
