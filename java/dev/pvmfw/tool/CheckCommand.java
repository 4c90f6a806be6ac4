package dev.pvmfw.tool;

import dev.pvmfw.image.CheckJson;
import dev.pvmfw.image.ImageCheck;
import dev.pvmfw.image.ImageWalk;
import dev.pvmfw.image.TableImage;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "check", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Check an image's invariants (shape, cycles, alignment, lazy MMIO, W+X).", "",
            "Walks the image from its root like the MMU and reports every broken invariant, one per line: "
                + "pointer-outside-image, pointer-beyond-output-size, root-beyond-output-size, cycle, shared-table, "
                + "level0-block, reserved-descriptor, misaligned-block, crate-disagrees, unknown-flags, "
                + "lazy-not-device, lazy-not-a-page, wx, and with --identity not-identity (a valid device leaf not "
                + "mapping its own address; device by --device-by swflag0|mair). The MMU options say how the hardware "
                + "reads it (output size, --mair).", "",
            "Exit status: 0 no violation, 1 violations, 2 usage."})
final class CheckCommand extends ToolCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE", description = "the raw image")
    Path image;

    @Mixin
    JsonOption json = new JsonOption();

    @Mixin
    ImageSource source = new ImageSource();

    @Mixin
    DeviceRuleOptions deviceRules = new DeviceRuleOptions();

    CheckCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    int execute() throws UsageException {
        TableImage img = source.read(image);
        ImageWalk.Structure s = ImageWalk.walk(img, deviceRules.apply(source.config(img)), source.profile());
        if (json.json) {
            long count = CheckJson.write(s, deviceRules.rules(), out);
            out.flush();
            return count == 0 ? Main.OK : Main.FINDINGS;
        }
        // Streamed: each violation printed as the check finds it, none held.
        long count = ImageCheck.forEach(s, deviceRules.rules(), out::println);
        out.println(count == 0 ? "ok: " + s.tables().size() + " tables, " + s.entryCount()
                + " non-zero entries, no violations" : count + " violation" + (count == 1 ? "" : "s"));
        return count == 0 ? Main.OK : Main.FINDINGS;
    }
}
