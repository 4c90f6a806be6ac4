package dev.pvmfw.tool;

import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import dev.pvmfw.image.DescriptorDecode;
import java.io.PrintStream;
import java.util.Set;

final class DecodeCommand implements Command {
    @Override
    public String name() {
        return "decode";
    }

    @Override
    public String summary() {
        return "explain one descriptor: kind, output address, attributes, the crate's flags() verdict";
    }

    @Override
    public String help() {
        return """
                usage: pvmfw-paging decode VALUE [--level L]

                Decodes one 64-bit descriptor (hex 0x… or decimal): its kind at level L (or at every level), output
                address, every attribute bit, the memory type under pvmfw's MAIR, and aarch64-paging 0.4.0's view:
                flags() (with why it is None), is_table_or_page() and the crate's Debug text.
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(argv, 1, Set.of("level"), Set.of());
        a.expectPositionals(1, 1, "pvmfw-paging decode VALUE [--level L]");
        long value = Args.number(a.positional.getFirst(), "VALUE");
        long level = a.number("level", -1);
        if (level < -1 || level > 3) {
            throw new UsageException("--level must be 0..3");
        }
        out.print(DescriptorDecode.explain(value, (int) level, Profile040.INSTANCE));
        return 0;
    }
}
