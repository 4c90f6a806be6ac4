package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;
import java.io.PrintStream;
import java.util.ArrayDeque;

/**
 * {@code dump --format tree} written as the walk goes (the tree form of {@code Dumps}): the
 * walk's order is the tree's (each table's entries in index order, a subtable right after its pointer), so each line
 * is written when its entry is met, and only the current path is held — one frame per level (its run of lazy entries
 * and its count of omitted invalid ones) and the table pointer waiting to learn whether the walk follows it.
 */
final class TreeWriter implements ImageWalk.Visitor {
    /** Text is handed to the stream in pieces of about this many chars. */
    private static final int CHUNK = 1 << 16;

    private final ImageWalk.Structure s;
    private final PrintStream sink;
    private final ColumnsCache columns;
    private final StringBuilder out = new StringBuilder(CHUNK + 1024);
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    /** A table descriptor in the image whose line ends once the walk enters its table or says why not. */
    private int pendingChild = -1;

    /** One table on the path: its level as printed, its indent, and what of its entries is not yet written. */
    private static final class Frame {
        final int level;
        final String indent;
        int invalid;
        ImageWalk.Entry lazy;
        int run;

        Frame(int level, String indent) {
            this.level = level;
            this.indent = indent;
        }
    }

    TreeWriter(ImageWalk.Structure s, PrintStream sink) {
        this.s = s;
        this.sink = sink;
        this.columns = new ColumnsCache(s.profile().tableRegime(), s.config());
    }

    @Override
    public void enterTable(ImageWalk.Table table) {
        if (pendingChild >= 0) {
            out.append(" slot ").append(pendingChild).append('\n');
            pendingChild = -1;
        }
        int depth = frames.size();
        frames.push(new Frame(s.image().rootLevel() + depth, "  ".repeat(depth)));
    }

    @Override
    public void entry(ImageWalk.Entry e) {
        Frame f = frames.peek();
        if (e.kind() == DescriptorKind.INVALID) {
            flushLazy(f);
            f.invalid++;
            return;
        }
        if (f.lazy != null && e.kind() == DescriptorKind.LAZY && e.index() == f.lazy.index() + f.run
                && e.flagBits() == f.lazy.flagBits()) {
            f.run++;
            return;
        }
        flushLazy(f);
        omitted(f);
        if (e.kind() == DescriptorKind.LAZY) {
            f.lazy = e;
            f.run = 1;
            return;
        }
        prefix(f, e);
        if (e.kind() == DescriptorKind.TABLE) {
            int child = s.image().slotOf(e.outputAddress());
            out.append(" size:").append(hex(e.size())).append(" TABLE PA:").append(hex(e.outputAddress()));
            if (child < 0) {
                out.append(" (outside the image)\n");
            } else {
                pendingChild = child; // the next event says: entered, or a violation
            }
        } else {
            leaf(e, 1);
        }
    }

    @Override
    public void violation(Violation violation) {
        if (pendingChild >= 0) {
            out.append(" slot ").append(pendingChild).append(" (not followed: see check)\n");
            pendingChild = -1;
        }
    }

    @Override
    public void exitTable(ImageWalk.Table table) {
        Frame f = frames.pop();
        flushLazy(f);
        omitted(f);
        if (out.length() >= CHUNK) {
            flush();
        }
    }

    /** Writes what is left. */
    void flush() {
        sink.append(out);
        out.setLength(0);
    }

    private void omitted(Frame f) {
        if (f.invalid > 0) {
            out.append(f.indent).append("(").append(f.invalid).append(" invalid descriptors omitted)\n");
            f.invalid = 0;
        }
    }

    private void flushLazy(Frame f) {
        if (f.lazy != null) {
            prefix(f, f.lazy);
            leaf(f.lazy, f.run);
            f.lazy = null;
            if (out.length() >= CHUNK) {
                flush();
            }
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private void prefix(Frame f, ImageWalk.Entry e) {
        out.append(f.indent).append("[LV").append(f.level).append("] VA:").append(hex(e.va()));
    }

    private void leaf(ImageWalk.Entry e, int run) {
        out.append(" PA:").append(hex(e.outputAddress())).append(" size:").append(hex(e.size() * run))
                .append(' ').append(e.kind());
        if (run > 1) {
            out.append(" x").append(run);
        }
        out.append(' ').append(columns.compact(e.descriptor())).append('\n');
        if (out.length() >= CHUNK) {
            flush();
        }
    }
}
