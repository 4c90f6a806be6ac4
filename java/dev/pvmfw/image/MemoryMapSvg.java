package dev.pvmfw.image;

import dev.pvmfw.paging.Geometry;
import java.util.List;
import java.util.Locale;

/**
 * {@code dump --format svg}: the address space as a picture. One row per {@link MemoryMap} run, top to bottom in VA
 * order, on a folded scale: a row's height grows with the logarithm of its size, so a 4 KiB page is visible next to a
 * 1 GiB block, and empty stretches are folded to a fixed band marked with a zigzag. Colours by kind, with a legend;
 * the tables of the walk as the tree's outline at the left (one bar per table, indented by level, spanning the VAs it
 * maps); every row and bar carries a {@code <title>} (hover details) and {@code data-*} attributes (kind, start, end,
 * PA) for tools and tests. Linear in the runs and tables.
 */
public final class MemoryMapSvg {
    private static final int WIDTH = 1100;
    private static final int TOP = 78;
    private static final int BAR_X = 110;
    private static final int BAR_WIDTH = 170;
    private static final int LABEL_X = BAR_X + BAR_WIDTH + 12;
    private static final int FOLDED = 26;

    private MemoryMapSvg() {}

    /** Row height of a run: folded for empty ones, else 14 px for 4 KiB plus 4 px per doubling. */
    static int height(MemoryMap.Run r) {
        if (r.kind() == MemoryMap.Kind.EMPTY) {
            return FOLDED;
        }
        long pages = Math.max(1, Long.divideUnsigned(r.size() == 0 ? Long.MIN_VALUE : r.size(), Geometry.PAGE_SIZE));
        return 14 + 4 * (63 - Long.numberOfLeadingZeros(pages));
    }

    /** The SVG of {@code s}. */
    public static String render(ImageWalk.Structure s) {
        StringBuilder out = new StringBuilder();
        render(s, out, null);
        return out.toString();
    }

    /**
     * The SVG of {@code s}, written to {@code sink} as it is made, in pieces (the runs are held, their text is not).
     */
    public static void render(ImageWalk.Structure s, java.io.PrintStream sink) {
        StringBuilder out = new StringBuilder(1 << 17);
        render(s, out, sink);
        sink.append(out);
    }

    /** Appends the SVG to {@code out}, handing it to {@code sink} (if not null) whenever it is large. */
    private static void render(ImageWalk.Structure s, StringBuilder out, java.io.PrintStream sink) {
        List<MemoryMap.Run> runs = MemoryMap.of(s);
        int[] y = new int[runs.size() + 1];
        y[0] = TOP;
        for (int i = 0; i < runs.size(); i++) {
            y[i + 1] = y[i] + height(runs.get(i)) + 1;
        }
        int totalHeight = y[runs.size()] + 20;
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(totalHeight).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(totalHeight)
                .append("\" font-family=\"monospace\" font-size=\"11\">\n");
        out.append("<style>.valid-memory{fill:#66bb6a}.valid-device{fill:#42a5f5}.lazy{fill:#ffca28}"
                + ".invalid-garbage{fill:#ef9a9a}.empty{fill:#eeeeee}.table{stroke:#555;stroke-width:2}"
                + ".fold{stroke:#999;fill:none}text{fill:#222}</style>\n");
        TableImage image = s.image();
        out.append("<text x=\"10\" y=\"20\" font-size=\"14\">").append(esc("pvmfw-paging memory map: root level "
                + image.rootLevel() + ", " + image.vaRange().rustName().toLowerCase(Locale.ROOT) + " range, "
                + s.tables().size() + " tables, read as " + s.profile().describe())).append("</text>\n");
        legend(out);
        for (int i = 0; i < runs.size(); i++) {
            row(out, runs.get(i), y[i], height(runs.get(i)));
            drain(out, sink);
        }
        for (ImageWalk.Table t : s.tables()) {
            long span = Geometry.granularityAtLevel(t.level()) * Geometry.ENTRIES_PER_TABLE;
            int top = yOf(runs, y, t.baseVa());
            int bottom = yOf(runs, y, t.baseVa() + span);
            if (bottom <= top) {
                bottom = y[runs.size()];
            }
            int x = 14 + 18 * (t.level() - image.rootLevel());
            out.append("<g class=\"table\" data-slot=\"").append(t.slot()).append("\" data-level=\"").append(t.level())
                    .append("\" data-start=\"").append(hex(t.baseVa())).append("\">")
                    .append("<title>").append(esc("table in slot " + t.slot() + " at PA "
                            + hex(image.paOfSlot(t.slot())) + ", level " + t.level() + ", VA " + hex(t.baseVa())
                            + " + " + Dumps.size(span))).append("</title>")
                    .append("<line class=\"table\" x1=\"").append(x).append("\" y1=\"").append(top).append("\" x2=\"")
                    .append(x).append("\" y2=\"").append(bottom - 1).append("\"/>")
                    .append("<line class=\"table\" x1=\"").append(x).append("\" y1=\"").append(top).append("\" x2=\"")
                    .append(x + 8).append("\" y2=\"").append(top).append("\"/></g>\n");
            drain(out, sink);
        }
        out.append("</svg>\n");
    }

    /** Hands {@code out} to {@code sink} once it holds 64 Ki chars or more. */
    private static void drain(StringBuilder out, java.io.PrintStream sink) {
        if (sink != null && out.length() >= 1 << 16) {
            sink.append(out);
            out.setLength(0);
        }
    }

    private static void legend(StringBuilder out) {
        int x = 10;
        for (MemoryMap.Kind k : MemoryMap.Kind.values()) {
            String text = switch (k) {
                case VALID_MEMORY -> "valid, normal memory";
                case VALID_DEVICE -> "valid, device";
                case LAZY -> "lazy MMIO (invalid, SWFLAG_0)";
                case INVALID_GARBAGE -> "invalid, not zero";
                case EMPTY -> "empty (folded: \u2248)";
            };
            out.append("<g class=\"legend\" data-kind=\"").append(k.id()).append("\"><rect class=\"").append(k.id())
                    .append("\" x=\"").append(x).append("\" y=\"34\" width=\"14\" height=\"14\"/><text x=\"")
                    .append(x + 20).append("\" y=\"45\">").append(esc(text)).append("</text></g>\n");
            x += 30 + 7 * text.length();
        }
        out.append("<text x=\"10\" y=\"66\" fill=\"#666\">scale: a row's height grows with log2 of its size; "
                + "bars at the left are the tables, indented by level</text>\n");
    }

    private static void row(StringBuilder out, MemoryMap.Run r, int y, int h) {
        String range = Dumps.hex16(r.start()) + "-" + Dumps.hex16(r.end());
        String details = range + " " + Dumps.size(r.size()) + " " + r.kind().id()
                + (r.kind() == MemoryMap.Kind.VALID_DEVICE || r.kind() == MemoryMap.Kind.VALID_MEMORY
                        ? " -> PA " + hex(r.pa()) : r.kind() == MemoryMap.Kind.LAZY ? " (PA " + hex(r.pa()) + " once mapped)"
                        : "")
                + (r.attributes().isEmpty() ? "" : " " + r.attributes());
        out.append("<g class=\"region\" data-kind=\"").append(r.kind().id()).append("\" data-start=\"")
                .append(hex(r.start())).append("\" data-end=\"").append(hex(r.end())).append('"');
        if (r.kind() != MemoryMap.Kind.EMPTY && r.kind() != MemoryMap.Kind.INVALID_GARBAGE) {
            out.append(" data-pa=\"").append(hex(r.pa())).append('"');
        }
        if (r.kind() == MemoryMap.Kind.EMPTY) {
            out.append(" data-folded=\"true\"");
        }
        out.append("><title>").append(esc(details)).append("</title><rect class=\"").append(r.kind().id())
                .append("\" x=\"").append(BAR_X).append("\" y=\"").append(y).append("\" width=\"").append(BAR_WIDTH)
                .append("\" height=\"").append(h).append("\"/>");
        if (r.kind() == MemoryMap.Kind.EMPTY) {
            StringBuilder zig = new StringBuilder("M").append(BAR_X).append(' ').append(y + h / 2);
            for (int x = BAR_X + 10, up = 1; x <= BAR_X + BAR_WIDTH; x += 10, up = -up) {
                zig.append(" L").append(x).append(' ').append(y + h / 2 - 5 * up);
            }
            out.append("<path class=\"fold\" d=\"").append(zig).append("\"/>");
        }
        String label = r.kind() == MemoryMap.Kind.EMPTY ? range + " \u2248 " + Dumps.size(r.size()) + " empty (folded)"
                : details;
        out.append("<text x=\"").append(LABEL_X).append("\" y=\"").append(y + Math.min(h, 14) - 3).append("\">")
                .append(esc(label)).append("</text></g>\n");
    }

    /** The y of a VA: the top of the run holding it, plus its share of the run's height. */
    static int yOf(List<MemoryMap.Run> runs, int[] y, long va) {
        int lo = 0;
        int hi = runs.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            MemoryMap.Run r = runs.get(mid);
            if (Long.compareUnsigned(va, r.start()) < 0) {
                hi = mid - 1;
            } else if (r.end() != 0 && Long.compareUnsigned(va, r.end()) >= 0) {
                lo = mid + 1;
            } else {
                double share = (double) Long.divideUnsigned(va - r.start(), 4096)
                        / Math.max(1, Long.divideUnsigned(r.size() == 0 ? Long.MIN_VALUE : r.size(), 4096));
                return y[mid] + (int) Math.round(share * height(r));
            }
        }
        return y[runs.size()];
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
