package dev.pvmfw.tool;

import dev.pvmfw.image.DecodeJson;
import dev.pvmfw.image.DescriptorDecode;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "decode", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Explain one descriptor: its kind at a level (or at every level), output address, every "
                + "attribute bit, the memory type under pvmfw's MAIR, and the crate version's view: flags() (with "
                + "why it is None), is_table_or_page() and the crate's Debug text."})
final class DecodeCommand extends ToolCommand {
    @Parameters(index = "0", paramLabel = "VALUE", converter = Converters.Number.class,
            description = "the 64-bit descriptor, hex 0x… or decimal")
    long value;

    @Option(names = "--level", paramLabel = "L", description = "the level, 0..3 (default: every level)")
    Integer level;

    @Mixin
    JsonOption json = new JsonOption();

    @Mixin
    ProfileOption profile = new ProfileOption();

    DecodeCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    int execute() throws UsageException {
        if (level != null && (level < 0 || level > 3)) {
            throw new UsageException("--level must be 0..3, not " + level);
        }
        if (json.json) {
            DecodeJson.write(value, level == null ? -1 : level, profile.profile, dev.pvmfw.mmu.MmuConfig.pvmfw(), out);
            out.flush();
            return Main.OK;
        }
        out.print(DescriptorDecode.explain(value, level == null ? -1 : level, profile.profile));
        return Main.OK;
    }
}
