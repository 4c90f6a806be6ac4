package dev.pvmfw.tool;

import dev.pvmfw.image.TableImage;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.PhysicalMemory;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.port.CrateProfile;
import dev.pvmfw.paging.port.RegimeReading;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    /** The machine's memory when {@code --ttbr0}/{@code --ttbr1} read a dump, else null. */
    private DumpOptions.Read dumped;

    /**
     * The tables: {@code image}, or the scenario's arena; exactly one must be given. They stay readable until
     * {@link #close} (the command's end).
     *
     * @throws UsageException as {@link Inputs#imageOrScenario}
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
        if (scenario != null && layout.regime != null && layout.regime != TranslationRegime.EL1_AND_0) {
            // A scenario's tables are El1And0 until the scenario language names a regime (docs/scenarios.md).
            throw new UsageException("--regime " + layout.regime.id() + ": --scenario tables are el1and0; the "
                    + "option reads raw images");
        }
        return Inputs.imageOrScenario(image, scenario, layout, profile.profile, limits, arena, opened);
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
     * ({@link CrateProfile#reading}): the Debug text, flag names and attribute fields follow the regime.
     */
    CrateProfile profile() {
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
