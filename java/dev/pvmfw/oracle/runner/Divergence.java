package dev.pvmfw.oracle.runner;

import dev.pvmfw.oracle.engine.StepResult;
import dev.pvmfw.oracle.engine.TraceEntry;
import dev.pvmfw.oracle.scenario.Scenario;
import dev.pvmfw.oracle.scenario.Step;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.TableVisitor;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.paging.SlotMemory;
import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.v0_4_0.Descriptor;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.VaRange;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The first difference between the engines after a step.
 *
 * @param scenario the scenario
 * @param stepIndex index of the step after which they differ
 * @param what the kind of difference: outcome, trace, hypervisor, events, image, root (the root table's PA),
 *     guard-mapped (the hypervisor's guard-mapped IPAs) or debug (the crate's Debug dump)
 * @param report a readable report
 */
public record Divergence(Scenario scenario, int stepIndex, String what, String report) {

    /** Compares the two results and images; empty when identical. */
    public static Optional<Divergence> compare(Scenario scenario, int stepIndex, StepResult java, StepResult rust,
            MemorySegment javaImage, MemorySegment rustImage, int rootLevel, VaRange vaRange) {
        String header = "scenario " + scenario.name() + ", step " + stepIndex + ": "
                + scenario.steps().get(stepIndex).text() + "\n";
        if (!java.outcome().equals(rust.outcome())) {
            return Optional.of(new Divergence(scenario, stepIndex, "outcome", header + "  outcome\n    java "
                    + java.outcome().text() + "\n    rust " + rust.outcome().text()));
        }
        if (!java.trace().equals(rust.trace())) {
            return Optional.of(new Divergence(scenario, stepIndex, "trace", header + traceReport(java.trace(),
                    rust.trace())));
        }
        if (!java.hypCalls().equals(rust.hypCalls())) {
            return Optional.of(new Divergence(scenario, stepIndex, "hypervisor", header + "  hypervisor calls\n    java "
                    + java.hypCalls() + "\n    rust " + rust.hypCalls()));
        }
        if (!java.eventsEqual(rust)) {
            return Optional.of(new Divergence(scenario, stepIndex, "events", header + "  arena events\n    java "
                    + java.eventsText() + "\n    rust " + rust.eventsText()));
        }
        long mismatch = javaImage.mismatch(rustImage);
        if (mismatch >= 0) {
            return Optional.of(new Divergence(scenario, stepIndex, "image", header + imageReport(javaImage, rustImage,
                    mismatch, scenario.paBase(), rootLevel, vaRange)));
        }
        return Optional.empty();
    }

    /**
     * Compares what the engines hold after step {@code stepIndex}: the root table's PA ({@code "root"}) and the
     * hypervisor's guard-mapped IPAs ({@code "guard-mapped"}); empty when both agree.
     */
    public static Optional<Divergence> compareState(Scenario scenario, int stepIndex, OptionalLong javaRoot,
            OptionalLong rustRoot, List<Long> javaGuard, List<Long> rustGuard) {
        String header = "scenario " + scenario.name() + ", step " + stepIndex + ": "
                + scenario.steps().get(stepIndex).text() + "\n";
        if (!javaRoot.equals(rustRoot)) {
            return Optional.of(new Divergence(scenario, stepIndex, "root", header + "  root table PA\n    java "
                    + rootText(javaRoot) + "\n    rust " + rootText(rustRoot)));
        }
        if (!javaGuard.equals(rustGuard)) {
            return Optional.of(new Divergence(scenario, stepIndex, "guard-mapped", header + "  guard-mapped IPAs\n"
                    + "    java " + hexList(javaGuard) + "\n    rust " + hexList(rustGuard)));
        }
        return Optional.empty();
    }

    /**
     * Compares the crate's Debug dumps after step {@code stepIndex} ({@code "debug"}, with the first line that
     * differs); an empty dump is one that panicked. Empty when both agree.
     */
    public static Optional<Divergence> compareDumps(Scenario scenario, int stepIndex, Optional<String> java,
            Optional<String> rust) {
        if (java.equals(rust)) {
            return Optional.empty();
        }
        return Optional.of(new Divergence(scenario, stepIndex, "debug", "scenario " + scenario.name() + ", step "
                + stepIndex + ": Debug dumps differ\n" + firstLineDiff(java.orElse("<panicked>"),
                rust.orElse("<panicked>"))));
    }

    static String hexList(List<Long> values) {
        return values.stream().map(Step::hex).toList().toString();
    }

    static String rootText(OptionalLong pa) {
        return pa.isPresent() ? Step.hex(pa.getAsLong()) : "none";
    }

    static String firstLineDiff(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String l = i < x.length ? x[i] : "<end>";
            String r = i < y.length ? y[i] : "<end>";
            if (!l.equals(r)) {
                return "  line " + (i + 1) + "\n    java " + l + "\n    rust " + r;
            }
        }
        return "  (identical lines, different lengths)";
    }

    static String traceReport(List<TraceEntry> java, List<TraceEntry> rust) {
        int i = 0;
        while (i < java.size() && i < rust.size() && java.get(i).equals(rust.get(i))) {
            i++;
        }
        return "  updater calls differ at call " + i + " (java made " + java.size() + ", rust " + rust.size()
                + ")\n    java " + (i < java.size() ? java.get(i) : "-") + "\n    rust "
                + (i < rust.size() ? rust.get(i) : "-");
    }

    /**
     * The report of two arena images that differ, {@code firstByte} being the offset of the first differing byte: the
     * descriptor there, placed by slot, level and VA from the MMU's traversal of {@code rust}'s image (root in slot
     * 0), the two values' Debug texts, the attributes that differ, and how many descriptors differ in all.
     */
    public static String imageReport(MemorySegment java, MemorySegment rust, long firstByte, long paBase, int rootLevel,
            VaRange vaRange) {
        int slot = (int) (firstByte / TableLayout.TABLE_SIZE);
        int index = (int) ((firstByte % TableLayout.TABLE_SIZE) / TableLayout.DESCRIPTOR_SIZE);
        long j = TableLayout.read(java.asSlice((long) slot * TableLayout.TABLE_SIZE, TableLayout.TABLE_SIZE), index);
        long r = TableLayout.read(rust.asSlice((long) slot * TableLayout.TABLE_SIZE, TableLayout.TABLE_SIZE), index);
        long differing = 0;
        for (long off = 0; off < java.byteSize(); off += 8) {
            if (java.get(TableLayout.DESCRIPTOR, off) != rust.get(TableLayout.DESCRIPTOR, off)) {
                differing++;
            }
        }
        return "  image: " + where(rust, paBase, rootLevel, vaRange, slot, index) + "\n    java "
                + Descriptor.debugString(j) + "\n    rust "
                + Descriptor.debugString(r) + "\n" + attributeDifference(j, r) + "  (" + differing
                + " descriptors differ in all)";
    }

    /** The slot's level and the entry's VA, from the MMU's traversal of the oracle's image (root in slot 0). */
    static String where(MemorySegment image, long paBase, int rootLevel, VaRange vaRange, int slot, int index) {
        SlotMemory memory = new SlotMemory(image, paBase);
        long target = memory.paOfSlot(slot);
        long[] levelAndBase = {-1, 0};
        Walker.traverse(memory, MmuConfig.of(rootLevel, vaRange), memory.paOfSlot(0), new TableVisitor() {
            @Override
            public void enterTable(long pa, int level, long baseVa, long parentPa, int parentIndex) {
                if (pa == target) {
                    levelAndBase[0] = level;
                    levelAndBase[1] = baseVa;
                }
            }
        });
        int level = (int) levelAndBase[0];
        if (level >= 0) {
            return "slot " + slot + " (level " + level + " table) index " + index + " (VA "
                    + Step.hex(levelAndBase[1] + index * Geometry.granularityAtLevel(level)) + ")";
        }
        return "slot " + slot + " (not reachable from the root) index " + index;
    }

    static String attributeDifference(long java, long rust) {
        StringBuilder out = new StringBuilder();
        if (Descriptor.outputAddressOf(java) != Descriptor.outputAddressOf(rust)) {
            out.append("    output address: java ").append(Step.hex(Descriptor.outputAddressOf(java)))
                    .append(", rust ").append(Step.hex(Descriptor.outputAddressOf(rust))).append('\n');
        }
        long jf = java & ~Descriptor.PHYSICAL_ADDRESS_BITMASK;
        long rf = rust & ~Descriptor.PHYSICAL_ADDRESS_BITMASK;
        if (jf != rf) {
            out.append("    flag bits only in java: ").append(Attributes.debugString(jf & ~rf))
                    .append("; only in rust: ").append(Attributes.debugString(rf & ~jf)).append('\n');
        }
        return out.toString();
    }
}
