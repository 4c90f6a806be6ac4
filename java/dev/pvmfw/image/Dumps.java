package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;

import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.VaRange;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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

    /**
     * {@link #ranges(ImageWalk.Structure)}, written to {@code out} run by run as the walk goes: the walk meets the
     * leaves in ascending VA order (each subtable covers its pointer's VAs, entries in index order), so a run is
     * written as soon as the next leaf does not continue it, and only that run is held.
     */
    public static void ranges(ImageWalk.Structure s, PrintStream out) {
        out.append("---[ ").append(header(s)).append(" ]---\n");
        ColumnsCache columns = new ColumnsCache(s.profile().tableRegime(), s.config());
        StringBuilder text = new StringBuilder(1 << 16);
        ImageWalk.Entry[] first = new ImageWalk.Entry[1];
        long[] end = new long[1];
        long[] hidden = new long[1];
        Runnable flush = () -> {
            ImageWalk.Entry f = first[0];
            // "0x%016x-0x%016x %8s %s %-5s %s%n", without String.format's cost per run.
            String sz = size(end[0] - f.va());
            String st = state(f.kind());
            text.append(hex16(f.va())).append('-').append(hex16(end[0])).append(' ').repeat(' ', 8 - sz.length())
                    .append(sz).append(' ').append(LEVEL_NAMES[f.level()]).append(' ').append(st)
                    .repeat(' ', 5 - st.length()).append(' ').append(columns.columns(f.descriptor()))
                    .append(System.lineSeparator());
            if (text.length() >= 1 << 16) {
                out.append(text);
                text.setLength(0);
            }
        };
        s.forEachEntry(e -> {
            switch (e.kind()) {
                case BLOCK, PAGE, LEVEL0_BLOCK, RESERVED, LAZY -> {
                    ImageWalk.Entry f = first[0];
                    if (f != null && e.va() == end[0] && e.level() == f.level() && e.kind() == f.kind()
                            && e.flagBits() == f.flagBits()) {
                        end[0] += e.size();
                    } else {
                        if (f != null) {
                            flush.run();
                        }
                        first[0] = e;
                        end[0] = e.va() + e.size();
                    }
                }
                case INVALID -> hidden[0]++;
                default -> { }
            }
        });
        if (first[0] != null) {
            flush.run();
        }
        out.append(text);
        if (hidden[0] > 0) {
            out.append("(").append(String.valueOf(hidden[0])).append(" invalid non-zero descriptors not shown: 0.4.0 "
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
     * {@link #tree(ImageWalk.Structure)}, written to {@code out} as the walk goes ({@link TreeWriter}): memory for the
     * current path only, whatever the number of entries.
     */
    public static void tree(ImageWalk.Structure s, PrintStream out) {
        TableImage image = s.image();
        out.append("Translation tables: ").append(header(s)).append('\n');
        out.append("  PA base ").append(hex(image.paBase())).append(", root slot ")
                .append(String.valueOf(image.rootSlot())).append(" at PA ")
                .append(hex(image.paOfSlot(image.rootSlot()))).append('\n');
        TreeWriter writer = new TreeWriter(s, out);
        s.forEach(writer);
        writer.flush();
    }

    /** {@code 0x} and 16 hex digits, as {@code %016x}. */
    static String hex16(long v) {
        String h = Long.toHexString(v);
        return "0x" + "0".repeat(16 - h.length()) + h;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
