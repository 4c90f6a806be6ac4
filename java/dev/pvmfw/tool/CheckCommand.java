package dev.pvmfw.tool;

import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import dev.pvmfw.image.ImageCheck;
import dev.pvmfw.image.ImageWalk;
import dev.pvmfw.image.TableImage;
import dev.pvmfw.image.Violation;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

final class CheckCommand implements Command {
    @Override
    public String name() {
        return "check";
    }

    @Override
    public String summary() {
        return "check an image's invariants (shape, cycles, alignment, lazy MMIO, W+X); exit 1 on violations";
    }

    @Override
    public String help() {
        return """
                usage: pvmfw-paging check IMAGE [options]
                       pvmfw-paging check --scenario FILE

                Walks the image from its root like the MMU and reports every broken invariant, one per line:
                pointer-outside-image, cycle, shared-table, level0-block, reserved-descriptor, misaligned-block,
                crate-disagrees, unknown-flags, lazy-not-device, lazy-not-a-page, wx. Exit 1 if there is any.

                """ + Inputs.IMAGE_HELP;
    }

    @Override
    public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(argv, 1, Inputs.imageOrScenarioOptions(), Set.of());
        TableImage image = Inputs.imageOrScenario(a, 0, "pvmfw-paging check IMAGE [options] | --scenario FILE");
        ImageWalk.Structure s = ImageWalk.walk(image, Profile040.INSTANCE);
        List<Violation> violations = ImageCheck.check(s);
        for (Violation v : violations) {
            out.println(v);
        }
        out.println(violations.isEmpty() ? "ok: " + s.tables().size() + " tables, " + s.entries().size()
                + " non-zero entries, no violations" : violations.size() + " violation"
                + (violations.size() == 1 ? "" : "s"));
        return violations.isEmpty() ? 0 : 1;
    }
}
