package dev.pvmfw.tool;

import dev.pvmfw.catalog.Profiles;
import dev.pvmfw.image.DecodeJson;
import dev.pvmfw.image.DescriptorDecode;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.port.CrateProfile;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "decode", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Explain one descriptor: its kind at a level (or at every level), output address, every "
                + "attribute field of its table's regime (stage 1: AttrIndx and the memory type under pvmfw's MAIR, "
                + "SH, AP, AF, nG, PXN/UXN or XN; stage 2: MemAttr, S2AP, SH, AF, XN), and each crate version's "
                + "view, side by side: the bits it names, flags() (with why it is None), is_table_or_page(), the "
                + "levels it walks the descriptor as a subtable at, and its Debug text.", "",
            "Without --profile every profile's verdicts are shown, one line each (a profile that has no such regime "
                + "says so); with --profile only that one's."})
final class DecodeCommand extends ToolCommand {
    @Parameters(index = "0", paramLabel = "VALUE", converter = Converters.Number.class,
            description = "the 64-bit descriptor, hex 0x… or decimal")
    long value;

    @Option(names = "--level", paramLabel = "L", description = "the level, 0..3 (default: every level)")
    Integer level;

    @Mixin
    JsonOption json = new JsonOption();

    @Option(names = "--profile", paramLabel = "VERSION", converter = Converters.Profile.class,
            completionCandidates = Converters.ProfileIds.class,
            description = "only this crate version's verdicts: ${COMPLETION-CANDIDATES} (default: all of them)")
    CrateProfile profile;

    @Option(names = "--regime", paramLabel = "REGIME", converter = Converters.Regime.class,
            completionCandidates = ImageOptions.Regimes.class,
            description = "the regime of the descriptor's table: ${COMPLETION-CANDIDATES}; with --profile 0.4.0 only "
                    + "el1and0 (default: el1and0)")
    TranslationRegime regime;

    DecodeCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    int execute() throws UsageException {
        if (level != null && (level < 0 || level > 3)) {
            throw new UsageException("--level must be 0..3, not " + level);
        }
        TranslationRegime r = regime == null ? TranslationRegime.EL1_AND_0 : regime;
        if (profile != null && !profile.regimes().contains(r)) {
            throw new UsageException("--regime " + r.id() + ": aarch64-paging " + profile.id()
                    + " has no such regime (it reads " + String.join(", ", profile.regimes().stream()
                            .map(TranslationRegime::id).sorted().toList()) + ")");
        }
        List<CrateProfile> shown = profile == null ? Profiles.all() : List.of(profile);
        int l = level == null ? -1 : level;
        if (json.json) {
            DecodeJson.write(value, l, shown, profile, r, MmuConfig.pvmfw(), out);
            out.flush();
            return Main.OK;
        }
        out.print(DescriptorDecode.explain(value, l, shown, r, MmuConfig.pvmfw()));
        return Main.OK;
    }
}
