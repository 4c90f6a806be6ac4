package dev.pvmfw.tool;

import dev.pvmfw.image.DumpJson;
import dev.pvmfw.image.Dumps;
import dev.pvmfw.image.ImageWalk;
import dev.pvmfw.image.MemoryMapSvg;
import dev.pvmfw.image.TableImage;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dump", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Print an image, or a scenario's final arena: ranges (Linux ptdump style, lazy MMIO runs "
                + "marked), tree (TF-A xlat_tables_print style), json (docs/json.md) or svg (a memory map: the "
                + "address space on a folded scale, coloured by kind, the tables as an outline).", "",
            "IMAGE is a raw arena: 4096-byte tables in slot order, as `run --save` writes them. With --scenario the "
                + "scenario runs on the Java engine and its final arena is dumped."})
final class DumpCommand extends ToolCommand {
    /** The output formats. */
    enum Format { ranges, tree, json, svg }

    @Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE", description = "the raw image")
    Path image;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "ranges",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Format format;

    @Mixin
    ImageSource source = new ImageSource();

    DumpCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    int execute() throws UsageException {
        TableImage img = source.read(image);
        ImageWalk.Structure s = ImageWalk.walk(img, source.config(img), source.profile());
        switch (format) {
            case ranges -> Dumps.ranges(s, out);
            case tree -> Dumps.tree(s, out);
            case svg -> MemoryMapSvg.render(s, out);
            case json -> {
                DumpJson.write(s, out);
                out.flush();
            }
        }
        if (s.violationCount() > 0 && (format == Format.ranges || format == Format.tree)) {
            err.println("warning: " + s.violationCount() + " structural problem(s) not followed; run check");
        }
        return Main.OK;
    }
}
