package dev.pvmfw.tool;

import dev.pvmfw.image.DiffJson;
import dev.pvmfw.image.ImageDiff;
import dev.pvmfw.image.TableImage;
import dev.pvmfw.paging.port.CrateProfile;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "diff", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Entry-level differences between two images read with the same options: every differing "
                + "descriptor, located by slot and index (and by level and VA where A's walk reaches it), both "
                + "values decoded, and the bits that differ.", "",
            "Exit status: 0 identical, 1 differences, 2 usage."})
final class DiffCommand extends ToolCommand {
    @Parameters(index = "0", paramLabel = "A", description = "the first image")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "the second image")
    Path b;

    @Mixin
    JsonOption json = new JsonOption();

    @Mixin
    ImageOptions layout = new ImageOptions();

    @Mixin
    ProfileOption profile = new ProfileOption();

    @Mixin
    LimitOptions limits = new LimitOptions();

    @Mixin
    DumpOptions dump = new DumpOptions();

    DiffCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    int execute() throws UsageException {
        try (Arena arena = Arena.ofConfined()) {
            if (dump.given()) {
                layout.checkAgainst(profile.profile, dump.vaRange(), "--ttbr1");
                return diff(dump.read(a, limits, arena).image(), dump.read(b, limits, arena).image());
            }
            return diff(Inputs.image(a, layout, profile.profile, limits, arena),
                    Inputs.image(b, layout, profile.profile, limits, arena));
        }
    }

    /** Streams the differences as they are found (never all in memory). */
    private int diff(TableImage x, TableImage y) throws UsageException {
        CrateProfile reader = layout.reader(profile.profile);
        long count;
        if (json.json) {
            count = DiffJson.write(x, y, reader, out);
            out.flush();
        } else {
            count = ImageDiff.forEach(x, y, reader, d -> out.println(d.describe(reader)));
            out.println(count == 0 ? "identical" : count + " entr" + (count == 1 ? "y differs" : "ies differ"));
        }
        return count == 0 ? Main.OK : Main.FINDINGS;
    }
}
