package dev.pvmfw.tool;

import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import dev.pvmfw.image.Dumps;
import dev.pvmfw.image.ImageCheck;
import dev.pvmfw.image.ImageWalk;
import dev.pvmfw.image.TableImage;
import java.io.PrintStream;
import java.util.Set;

final class DumpCommand implements Command {
    @Override
    public String name() {
        return "dump";
    }

    @Override
    public String summary() {
        return "print an image or a scenario's result: --format ranges (ptdump), tree (TF-A) or json";
    }

    @Override
    public String help() {
        return """
                usage: pvmfw-paging dump IMAGE [--format ranges|tree|json] [options]
                       pvmfw-paging dump --scenario FILE [--format …]

                IMAGE is a raw arena: 4096-byte tables in slot order, as written by `run --save`. With --scenario the
                scenario runs on the Java engine and its final arena is dumped.
                  --format ranges   merged VA ranges, Linux ptdump style; lazy MMIO runs marked "lazy" (default)
                  --format tree     every table, TF-A xlat_tables_print style, with a header
                  --format json     everything, decoded, with check's violations

                """ + Inputs.IMAGE_HELP;
    }

    @Override
    public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(argv, 1, Inputs.imageOrScenarioOptions("format"), Set.of());
        TableImage image = Inputs.imageOrScenario(a, 0,
                "pvmfw-paging dump IMAGE [--format ranges|tree|json] [options] | --scenario FILE");
        ImageWalk.Structure s = ImageWalk.walk(image, Profile040.INSTANCE);
        switch (a.option("format", "ranges")) {
            case "ranges" -> out.print(Dumps.ranges(s));
            case "tree" -> out.print(Dumps.tree(s));
            case "json" -> out.print(Dumps.json(s, ImageCheck.check(s)));
            default -> throw new UsageException("--format must be ranges, tree or json");
        }
        if (!s.violations().isEmpty() && !a.option("format", "ranges").equals("json")) {
            err.println("warning: " + s.violations().size() + " structural problem(s) not followed; run check");
        }
        return 0;
    }
}
