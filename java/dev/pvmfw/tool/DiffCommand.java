package dev.pvmfw.tool;

import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import dev.pvmfw.image.ImageDiff;
import dev.pvmfw.image.TableImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

final class DiffCommand implements Command {
    @Override
    public String name() {
        return "diff";
    }

    @Override
    public String summary() {
        return "entry-level differences between two images, decoded; exit 1 if they differ";
    }

    @Override
    public String help() {
        return """
                usage: pvmfw-paging diff A B [options]

                Compares two raw images read with the same options, entry by entry: slot, index, level and VA (from
                A's walk), both descriptors decoded, the output-address change and the attribute bits only in one.
                Exit 1 if any entry differs.

                """ + Inputs.IMAGE_HELP;
    }

    @Override
    public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(argv, 1, Inputs.IMAGE_OPTIONS, java.util.Set.of());
        a.expectPositionals(2, 2, "pvmfw-paging diff A B [options]");
        TableImage x = Inputs.image(Path.of(a.positional.get(0)), a);
        TableImage y = Inputs.image(Path.of(a.positional.get(1)), a);
        List<ImageDiff.Difference> diffs = ImageDiff.diff(x, y, Profile040.INSTANCE);
        diffs.forEach(d -> out.println(d.describe(Profile040.INSTANCE)));
        out.println(diffs.isEmpty() ? "identical" : diffs.size() + " entr" + (diffs.size() == 1 ? "y differs"
                : "ies differ"));
        return diffs.isEmpty() ? 0 : 1;
    }
}
