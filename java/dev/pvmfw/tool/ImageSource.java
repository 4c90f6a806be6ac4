package dev.pvmfw.tool;

import dev.pvmfw.image.TableImage;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.paging.PhysicalMemory;
import dev.pvmfw.paging.port.CrateProfile;
import dev.pvmfw.paging.port.RegimeReading;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where a command's tables come from and how they are read: a raw image (the command's IMAGE parameter) or a
 * scenario's final arena ({@code --scenario}), its layout, the crate version that reads it, the MMU that walks it and
 * the input limits, or a machine's memory with a TTBR ({@link DumpOptions}). Shared by {@code dump}, {@code translate}
 * and {@code check}.
 */
final class ImageSource implements AutoCloseable {
    /** What {@link #read} opened: the mapped image's arena, a scenario's engine; closed by {@link #close}. */
    private final List<AutoCloseable> opened = new ArrayList<>();

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "read the final arena of this scenario (run on the Java engine) instead of an image")
    Path scenario;

    @Mixin
    ImageOptions layout = new ImageOptions();

    @Mixin
    ProfileOption profile = new ProfileOption();

    @Mixin
    MmuOptions mmu = new MmuOptions();

    @Mixin
    LimitOptions limits = new LimitOptions();

    @Mixin
    DumpOptions dump = new DumpOptions();

    /** The command this source is mixed into: which options its command line gave. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** The scenario {@link #read} read, else null: its profile and regime read its table. */
    private Scenario scenarioRead;

    /** The machine's memory when {@code --ttbr0}/{@code --ttbr1} read a dump, else null. */
    private DumpOptions.Read dumped;

    /**
     * The tables: {@code image}, or the scenario's arena; exactly one must be given. They stay readable until
     * {@link #close} (the command's end).
     *
     * @throws UsageException neither or both of {@code image} and {@code --scenario} given, as {@link Inputs#image}
     *     and {@link Inputs#scenario}; with {@code --scenario}, a {@code --profile} other
     *     than the scenario's {@code profile} line, a {@code --regime} other than its table's, or a
     *     {@code --pa-base}, {@code --root-level}, {@code --va-range} or {@code --root-slot} other than its own
     */
    TableImage read(Path image) throws UsageException {
        Arena arena = Arena.ofShared();
        opened.add(arena);
        if (dump.given()) {
            if (scenario != null) {
                throw new UsageException("--ttbr0/--ttbr1 read a memory file, not --scenario");
            }
            layout.checkAgainst(profile.profile, dump.vaRange(), "--ttbr1");
            dumped = dump.read(image, limits, arena);
            return dumped.image();
        }
        if ((image == null) == (scenario == null)) {
            throw new UsageException("give an IMAGE or --scenario FILE (one of them)");
        }
        if (image != null) {
            return Inputs.image(image, layout, profile.profile, limits, arena);
        }
        // The scenario's own lines decide how its table is read (docs/scenarios.md, "Reading a scenario's
        // table"): its profile line, its table step's regime, VA range and root level, its arena's PA base.
        Scenario s = Inputs.scenario(scenario, limits, matched("--profile") ? profile.profile : null).scenario();
        if (layout.regime != null && layout.regime != s.regime()) {
            throw new UsageException("--regime " + layout.regime.id() + ": the scenario's table is of regime "
                    + s.regime().id() + " (its table step); the option reads raw images");
        }
        refuseLayout("--pa-base", layout.paBase != s.paBase());
        refuseLayout("--root-level", layout.rootLevel != s.rootLevel());
        refuseLayout("--va-range", layout.vaRange != s.vaRange());
        refuseLayout("--root-slot", layout.rootSlot != 0);
        scenarioRead = s;
        return Inputs.imageOfScenario(s, opened);
    }

    /**
     * Refuses a raw image's layout option given with {@code --scenario} whose value is not the scenario's.
     *
     * @throws UsageException {@code differs} and the option was given
     */
    private void refuseLayout(String option, boolean differs) throws UsageException {
        if (differs && matched(option)) {
            throw new UsageException(option + ": a --scenario table's layout is the scenario's own (its arena and "
                    + "table steps); the option reads raw images");
        }
    }

    /** Whether the command line gave {@code option}. */
    private boolean matched(String option) {
        return mixee != null && mixee.commandLine() != null && mixee.commandLine().getParseResult() != null
                && mixee.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** Releases what {@link #read} opened, last first. */
    @Override
    public void close() throws Exception {
        while (!opened.isEmpty()) {
            opened.removeLast().close();
        }
    }

    /**
     * The crate version that reads the tables, reading them as tables of {@code --regime}
     * ({@link CrateProfile#reading}): the Debug text, flag names and attribute fields follow the regime. A
     * scenario's table (after {@link #read}) is read by its own profile as its own regime.
     */
    CrateProfile profile() {
        if (scenarioRead != null) {
            return RegimeReading.of(scenarioRead.profile(), scenarioRead.regime());
        }
        return RegimeReading.of(profile.profile, layout.regime());
    }

    /** The MMU configuration for {@code image}. @throws UsageException bad MMU options */
    MmuConfig config(TableImage image) throws UsageException {
        return dumped != null ? mmu.configForTnsz(dumped.tnsz(), image.vaRange())
                : mmu.config(image.rootLevel(), image.vaRange());
    }

    /**
     * What a walk of {@code image} reads: the whole dump when {@link #read} read one (tables in any segment), else
     * the image itself.
     */
    PhysicalMemory memory(TableImage image) {
        return dumped != null ? dumped.memory() : image;
    }
}
