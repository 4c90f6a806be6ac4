package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;

import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.VaRange;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Readable and machine forms of an image's walk:
 *
 * <ul>
 *   <li>{@link #ranges}: Linux ptdump style, one line per run of VA-contiguous leaves at the same level with the same
 *       attribute bits: {@code 0x…-0x…  2M PMD  RW NX … }; lazy MMIO runs are marked {@code lazy}; other invalid
 *       entries (0.4.0's split garbage) are counted, not listed;</li>
 *   <li>{@link #tree}: Trusted Firmware-A {@code xlat_tables_print} style, with a header (root level, VA size, tables
 *       used) and runs of invalid descriptors collapsed;</li>
 *   <li>the JSON form is {@link DumpJson}'s.</li>
 * </ul>
 */
public final class Dumps {
    private Dumps() {}

    private static final String[] LEVEL_NAMES = {"PGD", "PUD", "PMD", "PTE"};

    /**
     * The one-line summary both dumps start with: root level, VA range, VA size and tables used of the image's slots,
     * e.g. {@code root level 1, lower (TTBR0) range, VA size 2^39, 3 tables used of 8 (spare 5)}.
     */
    public static String header(ImageWalk.Structure s) {
        TableImage image = s.image();
        return "root level " + image.rootLevel() + ", " + rangeText(s.profile().tableRegime(), image.vaRange())
                + " range, VA size 2^" + Long.numberOfTrailingZeros(image.vaSize()) + ", "
                + s.tables().size() + " tables used of " + image.slots() + " (spare " + (image.slots()
                - s.tables().size()) + ")";
    }

    /**
     * The VA range and, for a regime other than EL1&amp;0, the regime and its base register: {@code lower (TTBR0)},
     * {@code Stage2 lower (VTTBR_EL2)}, {@code El2And0 upper (TTBR1_EL2)}.
     */
    static String rangeText(TranslationRegime regime, VaRange range) {
        String n = range == VaRange.LOWER ? "0" : "1";
        return switch (regime) {
            case EL1_AND_0 -> range == VaRange.LOWER ? "lower (TTBR0)" : "upper (TTBR1)";
            case EL2_AND_0 -> "El2And0 " + (range == VaRange.LOWER ? "lower" : "upper") + " (TTBR" + n + "_EL2)";
            case EL2 -> "El2 lower (TTBR0_EL2)";
            case EL3 -> "El3 lower (TTBR0_EL3)";
            case STAGE2 -> "Stage2 lower (VTTBR_EL2)";
        };
    }

    /**
     * {@code dump --format ranges}: the header between {@code ---[ ]---}, then one line per run of leaves (block,
     * page, level-0 block, reserved or lazy) ascending by VA, and a count of the other invalid non-zero descriptors.
     */
    public static String ranges(ImageWalk.Structure s) {
        return text(out -> ranges(s, out));
    }

    /** {@link #ranges(ImageWalk.Structure)}, written to {@code out} run by run. */
    public static void ranges(ImageWalk.Structure s, PrintStream out) {
        out.append("---[ ").append(header(s)).append(" ]---\n");
        List<ImageWalk.Entry> leaves = new ArrayList<>();
        int hidden = 0;
        for (ImageWalk.Entry e : s.entries()) {
            switch (e.kind()) {
                case BLOCK, PAGE, LEVEL0_BLOCK, RESERVED, LAZY -> leaves.add(e);
                case INVALID -> hidden++;
                default -> { }
            }
        }
        leaves.sort((a, b) -> Long.compareUnsigned(a.va(), b.va()));
        int i = 0;
        while (i < leaves.size()) {
            ImageWalk.Entry first = leaves.get(i);
            int j = i + 1;
            long end = first.va() + first.size();
            while (j < leaves.size() && leaves.get(j).va() == end && leaves.get(j).level() == first.level()
                    && leaves.get(j).kind() == first.kind() && leaves.get(j).flagBits() == first.flagBits()) {
                end += leaves.get(j).size();
                j++;
            }
            out.append(String.format("0x%016x-0x%016x %8s %s %-5s %s%n", first.va(), end, size(end - first.va()),
                    LEVEL_NAMES[first.level()], state(first.kind()),
                    RegimeAttributes.columns(first.descriptor(), s.profile().tableRegime(), s.config())));
            i = j;
        }
        if (hidden > 0) {
            out.append("(").append(String.valueOf(hidden)).append(" invalid non-zero descriptors not shown: 0.4.0 "
                    + "split garbage or unmapped leaves)\n");
        }
    }

    /** What {@code writer} prints, as a string. */
    private static String text(java.util.function.Consumer<PrintStream> writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);
        writer.accept(out);
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static String state(DescriptorKind kind) {
        return switch (kind) {
            case LAZY -> "lazy";
            case LEVEL0_BLOCK -> "L0BLK";
            case RESERVED -> "RSVD";
            default -> "";
        };
    }

    /** 4K, 2M, 1G, 512G, or bytes. */
    static String size(long bytes) {
        String[] units = {"", "K", "M", "G", "T", "P", "E"};
        int u = 0;
        while (u < units.length - 1 && bytes != 0 && (bytes & 1023) == 0) {
            bytes >>>= 10;
            u++;
        }
        return Long.toUnsignedString(bytes) + units[u];
    }

    /**
     * {@code dump --format tree}: the header, the PA base and root slot, then every table from the root, depth-first,
     * indented by level; a table pointer to a slot the walk did not enter is marked, not followed.
     */
    public static String tree(ImageWalk.Structure s) {
        return text(out -> tree(s, out));
    }

    /**
     * {@link #tree(ImageWalk.Structure)}, written to {@code out} table by table: the entries are grouped by slot
     * once (linear in the walk), so each table finds its own in constant time.
     */
    public static void tree(ImageWalk.Structure s, PrintStream out) {
        TableImage image = s.image();
        out.append("Translation tables: ").append(header(s)).append('\n');
        out.append("  PA base ").append(hex(image.paBase())).append(", root slot ")
                .append(String.valueOf(image.rootSlot())).append(" at PA ")
                .append(hex(image.paOfSlot(image.rootSlot()))).append('\n');
        Map<Integer, List<ImageWalk.Entry>> bySlot = new HashMap<>();
        for (ImageWalk.Entry e : s.entries()) {
            bySlot.computeIfAbsent(e.slot(), k -> new ArrayList<>()).add(e);
        }
        treeTable(s, bySlot, image.rootSlot(), image.rootLevel(), out);
    }

    private static void treeTable(ImageWalk.Structure s, Map<Integer, List<ImageWalk.Entry>> bySlot, int slot,
            int level, PrintStream sink) {
        StringBuilder out = new StringBuilder();
        String indent = "  ".repeat(level - s.image().rootLevel());
        List<ImageWalk.Entry> entries = bySlot.getOrDefault(slot, List.of());
        int invalid = 0;
        for (int k = 0; k < entries.size(); k++) {
            ImageWalk.Entry e = entries.get(k);
            if (e.kind() == DescriptorKind.INVALID) {
                invalid++;
                continue;
            }
            int run = 1;
            while (e.kind() == DescriptorKind.LAZY && k + run < entries.size()
                    && entries.get(k + run).kind() == DescriptorKind.LAZY
                    && entries.get(k + run).index() == e.index() + run
                    && entries.get(k + run).flagBits() == e.flagBits()) {
                run++;
            }
            if (invalid > 0) {
                out.append(indent).append("(").append(invalid).append(" invalid descriptors omitted)\n");
                invalid = 0;
            }
            out.append(indent).append("[LV").append(level).append("] VA:").append(hex(e.va()));
            switch (e.kind()) {
                case TABLE -> {
                    int child = s.image().slotOf(e.outputAddress());
                    ImageWalk.Table t = child < 0 ? null : s.tableAt(child);
                    out.append(" size:").append(hex(e.size())).append(" TABLE PA:").append(hex(e.outputAddress()));
                    boolean entered = t != null && t.parentSlot() == slot && t.parentIndex() == e.index();
                    out.append(child < 0 ? " (outside the image)\n" : entered ? " slot " + child + "\n"
                            : " slot " + child + " (not followed: see check)\n");
                    if (entered) {
                        sink.append(out);
                        out.setLength(0);
                        treeTable(s, bySlot, child, level + 1, sink);
                    }
                }
                default -> {
                    out.append(" PA:").append(hex(e.outputAddress())).append(" size:").append(hex(e.size() * run))
                            .append(' ').append(e.kind());
                    if (run > 1) {
                        out.append(" x").append(run);
                    }
                    out.append(' ').append(RegimeAttributes.columns(e.descriptor(), s.profile().tableRegime(), s.config()).replaceAll(" +", " "))
                            .append('\n');
                    k += run - 1;
                }
            }
        }
        if (invalid > 0) {
            out.append(indent).append("(").append(invalid).append(" invalid descriptors omitted)\n");
        }
        sink.append(out);
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
