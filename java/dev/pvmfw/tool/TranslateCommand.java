package dev.pvmfw.tool;

import dev.pvmfw.exceptions.Esr;
import dev.pvmfw.mmu.Syndrome;
import dev.pvmfw.image.RegimeAttributes;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.mmu.AccessKind;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.UnmodelledMemoryException;
import dev.pvmfw.image.TableImage;
import dev.pvmfw.image.TranslateJson;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.paging.PhysicalMemory;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "translate", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Walk one VA like the MMU: every level's index and descriptor, then the output address with "
                + "the leaf's attributes, or the fault the access would raise: its kind and level, and the ESR a read "
                + "and a write would carry, with how pvmfw's masked-equality decoder classifies it (a translation "
                + "fault goes to handle_mmio_fault).", "",
            "Exit status: 0 translated, 1 a fault, 2 usage."})
final class TranslateCommand extends ToolCommand {
    @Parameters(index = "0", paramLabel = "VA", converter = Converters.Number.class, description = "the address")
    long va;

    @Parameters(index = "1", arity = "0..1", paramLabel = "IMAGE",
            description = "the raw image (with --ttbr0/--ttbr1: a QEMU ELF core or raw RAM)")
    Path image;

    @Mixin
    JsonOption json = new JsonOption();

    @Mixin
    ImageSource source = new ImageSource();

    private MmuConfig config;

    TranslateCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    int execute() throws UsageException {
        TableImage image = source.read(this.image);
        config = source.config(image);
        WalkResult walk;
        WalkResult load;
        WalkResult store;
        try {
            PhysicalMemory memory = source.memory(image);
            long root = image.paOfSlot(image.rootSlot());
            walk = Walker.walk(memory, config, root, va);
            load = Walker.access(memory, config, root, va, AccessKind.READ);
            store = Walker.access(memory, config, root, va, AccessKind.WRITE);
        } catch (UnmodelledMemoryException e) {
            out.printf("translate 0x%x: %s%n", va, e.getMessage());
            return Main.FINDINGS;
        }
        TranslationRegime regime = source.profile().tableRegime();
        // Walker.access models stage-1 permissions; a stage-2 leaf's S2AP is another rule: no access verdict.
        boolean accessModelled = regime != TranslationRegime.STAGE2;
        if (json.json) {
            TranslateJson.write(va, image, config, walk, source.profile(), walk instanceof WalkResult.Faulted f
                    ? new TranslateJson.FaultText(reason(walk, f), Esr.decode(Syndrome.of(f, false)).display())
                    : null, accessModelled ? load : null, accessModelled ? store : null, out);
            out.flush();
            return walk instanceof WalkResult.Translated ? Main.OK : Main.FINDINGS;
        }
        out.printf("translate 0x%x (root level %d, %s range%s)%n", va, image.rootLevel(),
                image.vaRange().rustName().toLowerCase(java.util.Locale.ROOT),
                regime == TranslationRegime.EL1_AND_0 ? "" : ", " + regime.rustName());
        for (WalkResult.Step s : walk.steps()) {
            out.printf("  L%d[%-3d] %-100s %s%n", s.level(), s.index(), source.profile().descriptorDebug(s.descriptor()),
                    DescriptorKind.of(s.descriptor(), s.level()).name().toLowerCase(java.util.Locale.ROOT));
        }
        switch (walk) {
            case WalkResult.Translated t -> {
                WalkResult.Leaf leaf = t.leaf();
                out.printf("  -> PA 0x%x (%s at level %d), %s%n", leaf.pa(), leaf.level() == 3 ? "4K page"
                        : leaf.level() == 1 ? (leaf.size() >> 30) + "G block" : (leaf.size() >> 20) + "M block",
                        leaf.level(), RegimeAttributes.columns(leaf.descriptor(), regime, config)
                                .replaceAll(" +", " "));
                if (accessModelled) {
                    out.printf("     access at %s: read %s; write %s%n", RegimeAttributes.privilegedLevel(regime),
                            accessText(load, false), accessText(store, true));
                } else {
                    out.printf("     access at stage 2: not modelled (S2AP %s, AF %s)%n",
                            RegimeAttributes.s2ap(leaf.descriptor()),
                            (leaf.descriptor() & dev.pvmfw.paging.DescriptorBits.AF) != 0 ? "set" : "clear");
                }
                return Main.OK;
            }
            case WalkResult.Faulted f -> {
                String fault = switch (f.kind()) {
                    case TRANSLATION -> "translation fault";
                    case ADDRESS_SIZE -> "address size fault";
                    case EXTERNAL_ABORT_ON_WALK -> "external abort on the table walk";
                    case EXTERNAL_ABORT -> "external abort on the access";
                    case ACCESS_FLAG -> "access flag fault";
                    case PERMISSION -> "permission fault";
                };
                out.printf("  -> %s at level %d (%s)%n", fault, f.level(), reason(walk, f));
                long read = Syndrome.of(f, false);
                long write = Syndrome.of(f, true);
                out.printf("     ESR: read 0x%x, write 0x%x; pvmfw decodes it as %s%n", read, write,
                        Esr.decode(read).display());
                return Main.FINDINGS;
            }
        }
    }

    /** A load's or store's outcome after the walk: ok, or the leaf's fault with its ESR. */
    static String accessText(WalkResult access, boolean write) {
        if (!(access instanceof WalkResult.Faulted f)) {
            return "ok";
        }
        String kind = switch (f.kind()) {
            case ACCESS_FLAG -> "access flag fault at level " + f.level();
            case PERMISSION -> "permission fault at level " + f.level();
            case EXTERNAL_ABORT -> "synchronous external abort (nothing at the PA)";
            default -> f.kind().name().toLowerCase(java.util.Locale.ROOT) + " at level " + f.level();
        };
        return String.format("%s (ESR 0x%x)", kind, Syndrome.of(f, write));
    }

    /** Why the walk stopped, in words. */
    String reason(WalkResult walk, WalkResult.Faulted f) {
        return switch (f.kind()) {
            case EXTERNAL_ABORT_ON_WALK -> "a table descriptor points at no table";
            case EXTERNAL_ABORT -> "nothing at the output address";
            case ADDRESS_SIZE -> "an address beyond the " + config.effectiveOutputBits() + "-bit output size";
            default -> walk.steps().isEmpty() ? "VA outside the table's range"
                    : describe(walk.steps().getLast().descriptor(), walk.steps().getLast().level());
        };
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
