package dev.pvmfw.tool;

import dev.pvmfw.exceptions.Esr;
import dev.pvmfw.mmu.Syndrome;
import dev.pvmfw.image.AttributeText;
import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.image.TableImage;
import dev.pvmfw.paging.v0_4_0.Descriptor;
import dev.pvmfw.mmu.WalkResult;
import java.io.PrintStream;
import java.util.Set;

final class TranslateCommand implements Command {
    @Override
    public String name() {
        return "translate";
    }

    @Override
    public String summary() {
        return "walk one VA like the MMU: every level's descriptor, then the PA or the fault and its ESR";
    }

    @Override
    public String help() {
        return """
                usage: pvmfw-paging translate VA IMAGE [options]
                       pvmfw-paging translate VA --scenario FILE

                Walks VA from the root with the MMU's rules (4 KiB granule, stage 1) and prints each level's index and
                descriptor, then either the output address with the leaf's attributes, or the fault the access would
                raise: its kind and level, and the ESR a read and a write would carry, with how pvmfw's masked-equality
                decoder classifies it (a translation fault goes to handle_mmio_fault).

                """ + Inputs.IMAGE_HELP;
    }

    @Override
    public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(argv, 1, Inputs.imageOrScenarioOptions(), Set.of());
        TableImage image = Inputs.imageOrScenario(a, 1, "pvmfw-paging translate VA IMAGE [options] | --scenario FILE");
        long va = Args.number(a.positional.getFirst(), "VA");
        WalkResult walk = image.walk(image.mmuConfig(), va);
        out.printf("translate 0x%x (root level %d, %s range)%n", va, image.rootLevel(),
                image.vaRange().rustName().toLowerCase(java.util.Locale.ROOT));
        for (WalkResult.Step s : walk.steps()) {
            out.printf("  L%d[%-3d] %-100s %s%n", s.level(), s.index(), Descriptor.debugString(s.descriptor()),
                    DescriptorKind.of(s.descriptor(), s.level()).name().toLowerCase(java.util.Locale.ROOT));
        }
        switch (walk) {
            case WalkResult.Translated t -> {
                WalkResult.Leaf leaf = t.leaf();
                out.printf("  -> PA 0x%x (%s at level %d), %s%n", leaf.pa(), leaf.level() == 3 ? "4K page"
                        : (leaf.size() >> 20) + "M block", leaf.level(),
                        AttributeText.columns(leaf.descriptor()).replaceAll(" +", " "));
                return 0;
            }
            case WalkResult.Faulted f -> {
                String why = walk.steps().isEmpty() ? "VA outside the table's range"
                        : describe(walk.steps().getLast().descriptor(), walk.steps().getLast().level());
                boolean onWalk = f.kind() == WalkResult.FaultKind.EXTERNAL_ABORT_ON_WALK;
                out.printf("  -> %s at level %d (%s)%n", onWalk ? "external abort on the table walk"
                        : "translation fault", f.level(), onWalk ? "a table descriptor points at no table" : why);
                long read = Syndrome.of(f, false);
                long write = Syndrome.of(f, true);
                out.printf("     ESR: read 0x%x, write 0x%x; pvmfw decodes it as %s%n", read, write,
                        Esr.decode(read).display());
                return 1;
            }
        }
    }

    static String describe(long d, int level) {
        DescriptorKind kind = DescriptorKind.of(d, level);
        return switch (kind) {
            case ZERO -> "zero descriptor";
            case LAZY -> "lazy MMIO: invalid, SWFLAG_0; pvmfw maps it on this fault";
            case INVALID -> "invalid descriptor";
            case RESERVED -> "reserved descriptor 0b01 at level 3";
            case LEVEL0_BLOCK -> "level-0 block, not supported with the 4 KiB granule";
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
