package dev.pvmfw.tool;

import dev.pvmfw.exceptions.Esr;
import dev.pvmfw.mmu.Syndrome;
import dev.pvmfw.image.RegimeAttributes;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.mmu.AccessKind;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.Stage2Access;
import dev.pvmfw.mmu.UnmodelledMemoryException;
import dev.pvmfw.image.TableImage;
import dev.pvmfw.image.TranslateBatchJson;
import dev.pvmfw.image.TranslateJson;
import dev.pvmfw.mmu.WalkResult;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.NumberText;
import dev.pvmfw.paging.PhysicalMemory;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "translate", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Walk one VA like the MMU: every level's index and descriptor, then the output address with "
                + "the leaf's attributes, or the fault the access would raise: its kind and level, and the ESR a read "
                + "and a write would carry, with how pvmfw's masked-equality decoder classifies it (a translation "
                + "fault goes to handle_mmio_fault).", "",
            "With --batch FILE (no VA argument; - is standard input): one address per line of FILE, in VA's syntax, "
                + "blank lines and # comments skipped; one line out per address, as it is read: the VA, then "
                + "translate's result lines joined with '; ' (the levels' steps only with --json, which writes one "
                + "document, docs/json.md). A line that is not an address stops the batch there (exit 2, naming the "
                + "line); FILE must be a regular file or -.", "",
            "Exit status: 0 translated (every address), 1 a fault (any), 2 usage."})
final class TranslateCommand extends ToolCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "VA",
            description = "the address: decimal or 0x hex, underscores allowed (none with --batch)")
    String vaText;

    @Parameters(index = "1", arity = "0..1", paramLabel = "IMAGE",
            description = "the raw image (with --ttbr0/--ttbr1: a QEMU ELF core or raw RAM)")
    Path image;

    @Option(names = "--batch", paramLabel = "FILE",
            description = "translate every address of FILE (one a line; - for standard input) instead of VA")
    Path batch;

    @Mixin
    JsonOption json = new JsonOption();

    @Mixin
    ImageSource source = new ImageSource();

    private MmuConfig config;
    /** The regime the image's tables are read in ({@code --profile}). */
    private TranslationRegime regime = TranslationRegime.EL1_AND_0;
    /** The attribute text by attribute bits, and pvmfw's reading by ESR: the few distinct ones of a batch. */
    private final java.util.Map<Long, String> columns = new java.util.HashMap<>();
    private final java.util.Map<Long, String> decoded = new java.util.HashMap<>();

    TranslateCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    /**
     * Whether the table is a stage-2 one: its access verdict is {@link Stage2Access}'s (S2AP, XN; faults taken to EL2),
     * the others' {@link Walker#access}'s (AP, PXN/UXN or XN at the regime's own level).
     */
    private boolean stage2() {
        return regime == TranslationRegime.STAGE2;
    }

    /** One address's walk and the load's and store's outcomes after it. */
    private record Outcome(WalkResult walk, WalkResult load, WalkResult store) {}

    @Override
    int execute() throws UsageException {
        Path imagePath = image;
        long va = 0;
        if (batch != null) {
            if (vaText != null && image != null) {
                throw new UsageException("--batch reads the addresses from " + batch + ": give no VA argument");
            }
            imagePath = vaText == null ? null : Path.of(vaText);
        } else if (vaText == null) {
            throw new UsageException("Missing required parameter: 'VA' (or --batch FILE)");
        } else {
            try {
                va = NumberText.parseUnsigned(vaText);
            } catch (NumberFormatException e) {
                throw new UsageException("Invalid value for positional parameter at index 0 (VA): " + e.getMessage());
            }
        }
        InputStream addresses = batch == null ? null : openBatch(batch);
        try {
            TableImage img = source.read(imagePath);
            config = source.config(img);
            regime = source.profile().tableRegime();
            PhysicalMemory memory = source.memory(img);
            long root = img.paOfSlot(img.rootSlot());
            return batch == null ? single(img, memory, root, va) : batch(img, memory, root, addresses);
        } finally {
            if (addresses != null && addresses != System.in) {
                try {
                    addresses.close();
                } catch (IOException e) {
                    // read only: nothing was lost
                }
            }
        }
    }

    private Outcome translate(PhysicalMemory memory, long root, long va) {
        if (stage2()) {
            return new Outcome(Walker.walk(memory, config, root, va), Stage2Access.access(memory, config, root, va,
                    AccessKind.READ), Stage2Access.access(memory, config, root, va, AccessKind.WRITE));
        }
        return new Outcome(Walker.walk(memory, config, root, va), Walker.access(memory, config, root, va,
                AccessKind.READ), Walker.access(memory, config, root, va, AccessKind.WRITE));
    }

    private TranslateJson.FaultText faultText(WalkResult walk) {
        return walk instanceof WalkResult.Faulted f
                ? new TranslateJson.FaultText(reason(walk, f), Esr.decode(Syndrome.of(f, false)).display()) : null;
    }

    private int single(TableImage image, PhysicalMemory memory, long root, long va) {
        Outcome o;
        try {
            o = translate(memory, root, va);
        } catch (UnmodelledMemoryException e) {
            out.printf("translate 0x%x: %s%n", va, e.getMessage());
            return Main.FINDINGS;
        }
        WalkResult walk = o.walk();
        if (json.json) {
            TranslateJson.write(va, image, config, walk, source.profile(), faultText(walk),
                    o.load(), o.store(), out);
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
        String[] result = result(o);
        out.printf("  %s%n", result[0]);
        out.printf("     %s%n", result[1]);
        return walk instanceof WalkResult.Translated ? Main.OK : Main.FINDINGS;
    }

    /** The addresses of {@code in}, one line out each as it is read (never all held). */
    private int batch(TableImage image, PhysicalMemory memory, long root, InputStream in) throws UsageException {
        AddressLines lines = new AddressLines(in);
        boolean allTranslated = true;
        TranslateBatchJson doc = json.json ? new TranslateBatchJson(image, config, source.profile(), out) : null;
        try {
            while (lines.next()) {
                long va = lines.address();
                Outcome o;
                try {
                    o = translate(memory, root, va);
                } catch (UnmodelledMemoryException e) {
                    allTranslated = false;
                    if (doc != null) {
                        doc.error(va, e.getMessage());
                    } else {
                        out.append("0x").append(Long.toHexString(va)).append(": ").append(e.getMessage())
                                .append('\n');
                    }
                    continue;
                }
                allTranslated &= o.walk() instanceof WalkResult.Translated;
                if (doc != null) {
                    doc.add(va, o.walk(), faultText(o.walk()), o.load(),
                            o.store());
                } else {
                    String[] result = result(o);
                    out.append("0x").append(Long.toHexString(va)).append(' ').append(result[0]).append("; ")
                            .append(result[1]).append('\n');
                }
            }
        } catch (AddressLines.BadLine e) {
            if (doc != null) {
                doc.badLine(e.line, e.getMessage());
            }
            out.flush();
            throw new UsageException(batch + " " + e.getMessage());
        } catch (IOException e) {
            if (doc != null) {
                doc.badLine(lines.lineNumber() + 1, "cannot read: " + e.getMessage());
            }
            out.flush();
            throw new UsageException(batch + ": cannot read: " + e.getMessage());
        }
        if (doc != null) {
            doc.close();
        }
        out.flush();
        return allTranslated ? Main.OK : Main.FINDINGS;
    }

    /** {@code --batch}'s input: standard input for {@code -}, else a regular file. */
    private static InputStream openBatch(Path file) throws UsageException {
        if (file.toString().equals("-")) {
            return System.in;
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
        }
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * The two result lines after the steps, without their indent: {@code -> PA … (…), attributes} and the access
     * line, or {@code -> … fault at level L (why)} and the ESR line.
     */
    private String[] result(Outcome o) {
        switch (o.walk()) {
            case WalkResult.Translated t -> {
                WalkResult.Leaf leaf = t.leaf();
                // Concatenation, not String.format, and the texts cached: a batch formats thousands of these.
                return new String[] {"-> PA 0x" + Long.toHexString(leaf.pa()) + " (" + (leaf.level() == 3
                        ? "4K page" : leaf.level() == 1 ? (leaf.size() >> 30) + "G block" : (leaf.size() >> 20)
                        + "M block") + " at level " + leaf.level() + "), " + columns.computeIfAbsent(
                                leaf.descriptor() & ~Geometry.OUTPUT_ADDRESS_MASK,
                                bits -> RegimeAttributes.columns(bits, regime, config).replaceAll(" +", " ")),
                    stage2() ? "access at stage 2: read " + stage2AccessText(o.load()) + "; write "
                            + stage2AccessText(o.store()) + " (S2AP " + RegimeAttributes.s2ap(leaf.descriptor())
                            + ", AF " + ((leaf.descriptor() & dev.pvmfw.paging.DescriptorBits.AF) != 0 ? "set"
                            : "clear") + ")"
                            : "access at " + RegimeAttributes.privilegedLevel(regime) + ": read "
                            + accessText(o.load(), false) + "; write " + accessText(o.store(), true)};
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
                long read = Syndrome.of(f, false);
                long write = Syndrome.of(f, true);
                return new String[] {"-> " + fault + " at level " + f.level() + " (" + reason(o.walk(), f) + ")",
                    "ESR: read 0x" + Long.toHexString(read) + ", write 0x" + Long.toHexString(write)
                            + "; pvmfw decodes it as " + decoded.computeIfAbsent(read, r -> Esr.decode(r).display())};
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
        return kind + " (ESR 0x" + Long.toHexString(Syndrome.of(f, write)) + ")";
    }

    /** A load's or store's outcome after a stage-2 walk: ok, or the leaf's fault, which is taken to EL2. */
    static String stage2AccessText(WalkResult access) {
        if (!(access instanceof WalkResult.Faulted f)) {
            return "ok";
        }
        return switch (f.kind()) {
            case ACCESS_FLAG -> "access flag fault at level " + f.level() + " (stage 2, to EL2)";
            case PERMISSION -> "permission fault at level " + f.level() + " (stage 2, to EL2)";
            case EXTERNAL_ABORT -> "synchronous external abort (nothing at the PA)";
            default -> f.kind().name().toLowerCase(java.util.Locale.ROOT) + " at level " + f.level();
        };
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
