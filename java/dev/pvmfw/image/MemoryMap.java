package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.mmu.MmuConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * An image's address space as runs of one kind each, from VA 0 to the top of its range, with nothing left out: what
 * {@code dump --format svg} draws ({@link MemoryMapSvg}). Adjacent entries of the
 * same kind and attributes, contiguous in VA and output address, merge into one run; the stretches no entry covers are
 * {@link Kind#EMPTY} runs. Linear in the entries of the walk.
 */
public final class MemoryMap {
    /** What a run is, to the MMU and to pvmfw. */
    public enum Kind {
        /** A valid leaf of Device memory (under the image's MAIR). */
        VALID_DEVICE("valid-device"),
        /** A valid leaf of Normal memory. */
        VALID_MEMORY("valid-memory"),
        /** Invalid with SWFLAG_0: pvmfw's lazily mapped MMIO, faulting until the first access maps it. */
        LAZY("lazy"),
        /** Invalid and not zero, without SWFLAG_0: the crate's split garbage, or an unmapped leaf. */
        INVALID_GARBAGE("invalid-garbage"),
        /** A zero descriptor, or no table at all: nothing mapped. */
        EMPTY("empty");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** The id in the SVG ({@code data-kind}) and the legend. */
        public String id() {
            return id;
        }
    }

    /**
     * One run: [{@code start}, {@code end}) of {@code kind}; for valid and lazy runs the output address of
     * {@code start} and the attribute text, for others 0 and "".
     *
     * @param start the first VA of the run
     * @param end exclusive; 0 for a run that ends at the top of a 64-bit space
     * @param kind what the run is
     * @param pa the output address of {@code start} for a valid or lazy run, else 0
     * @param attributes the attribute text ({@code dump --format ranges}'s columns) for a valid or lazy run, else ""
     * @param level the level of the entries merged into the run; -1 for an {@link Kind#EMPTY} run
     */
    public record Run(long start, long end, Kind kind, long pa, String attributes, int level) {
        /** {@code end - start}. */
        public long size() {
            return end - start;
        }
    }

    private MemoryMap() {}

    /**
     * The runs of {@code s}, in VA order, covering its whole VA range: the leaves as the walk meets them (in ascending
     * VA order, see {@link Dumps#ranges(ImageWalk.Structure, java.io.PrintStream)}), none held but the last run.
     */
    public static List<Run> of(ImageWalk.Structure s) {
        MmuConfig config = s.config();
        long base = s.image().vaBase();
        long top = base + s.image().vaSize(); // wraps to 0 for the upper range
        ColumnsCache columns = new ColumnsCache(s.profile().tableRegime(), config);
        List<Run> runs = new ArrayList<>();
        long[] at = {base};
        s.forEachEntry(e -> {
            if (e.kind() == DescriptorKind.TABLE || e.kind() == DescriptorKind.ZERO) {
                return;
            }
            if (Long.compareUnsigned(e.va(), at[0]) > 0) {
                add(runs, new Run(at[0], e.va(), Kind.EMPTY, 0, "", -1));
            }
            Kind kind = kindOf(e, s.profile().tableRegime(), config);
            boolean mapped = kind == Kind.VALID_DEVICE || kind == Kind.VALID_MEMORY || kind == Kind.LAZY;
            add(runs, new Run(e.va(), e.va() + e.size(), kind, mapped ? e.outputAddress() : 0,
                    mapped ? columns.compact(e.descriptor()).trim() : "", e.level()));
            at[0] = e.va() + e.size();
        });
        if (at[0] != top) {
            add(runs, new Run(at[0], top, Kind.EMPTY, 0, "", -1));
        }
        return runs;
    }

    static Kind kindOf(ImageWalk.Entry e, dev.pvmfw.paging.TranslationRegime regime, MmuConfig config) {
        return switch (e.kind()) {
            case LAZY -> Kind.LAZY;
            case BLOCK, PAGE -> RegimeAttributes.isDevice(e.descriptor(), regime, config) ? Kind.VALID_DEVICE
                    : Kind.VALID_MEMORY;
            case ZERO -> Kind.EMPTY;
            default -> Kind.INVALID_GARBAGE; // invalid, reserved, a level-0 block: the MMU faults
        };
    }

    /** Appends {@code r}, merged into the last run if it continues it (same kind, attributes and PA progression). */
    private static void add(List<Run> runs, Run r) {
        if (!runs.isEmpty()) {
            Run last = runs.getLast();
            boolean continues = last.end() == r.start() && last.kind() == r.kind()
                    && last.attributes().equals(r.attributes())
                    && (r.pa() == 0 && last.pa() == 0 || last.pa() + last.size() == r.pa())
                    && (r.kind() != Kind.VALID_DEVICE && r.kind() != Kind.VALID_MEMORY && r.kind() != Kind.LAZY
                            || last.level() == r.level());
            if (continues) {
                runs.set(runs.size() - 1, new Run(last.start(), r.end(), r.kind(), last.pa(), last.attributes(),
                        last.level()));
                return;
            }
        }
        runs.add(r);
    }
}
