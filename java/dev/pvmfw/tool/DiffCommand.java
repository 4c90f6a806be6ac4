package dev.pvmfw.tool;

import dev.pvmfw.image.DiffJson;
import dev.pvmfw.image.ImageDiff;
import dev.pvmfw.image.TableImage;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
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

    DiffCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    int execute() throws UsageException {
        try (Arena arena = Arena.ofConfined()) {
            return diff(Inputs.image(a, layout, profile.profile, limits, arena),
                    Inputs.image(b, layout, profile.profile, limits, arena));
        }
    }

    private int diff(TableImage x, TableImage y) {
        List<ImageDiff.Difference> diffs = ImageDiff.diff(x, y, profile.profile);
        if (json.json) {
            DiffJson.write(diffs, profile.profile, out);
            out.flush();
            return diffs.isEmpty() ? Main.OK : Main.FINDINGS;
        }
        diffs.forEach(d -> out.println(d.describe(profile.profile)));
        out.println(diffs.isEmpty() ? "identical" : diffs.size() + " entr" + (diffs.size() == 1 ? "y differs"
                : "ies differ"));
        return diffs.isEmpty() ? Main.OK : Main.FINDINGS;
    }
}
