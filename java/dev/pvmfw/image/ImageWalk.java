package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.TableVisitor;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.port.CrateProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The structure of a {@link TableImage} as the MMU walks it ({@link Walker#traverse}), in slots: every reachable
 * table once, every non-zero entry, and the structural violations (a pointer outside the image or beyond the output
 * address size, a cycle, a shared table), none of which is followed, so the walk always ends.
 */
public final class ImageWalk {
    private ImageWalk() {}

    /**
     * A reachable table.
     *
     * @param slot its slot
     * @param level its level
     * @param baseVa the first VA it translates
     * @param parentSlot the slot of the table pointing at it, -1 for the root
     * @param parentIndex the index of that pointer
     */
    public record Table(int slot, int level, long baseVa, int parentSlot, int parentIndex) {}

    /**
     * A non-zero entry of a reachable table.
     *
     * @param slot table slot
     * @param index entry index
     * @param level table level
     * @param va first VA the entry covers
     * @param size bytes the entry covers
     * @param descriptor its value
     * @param kind what it is to the MMU
     */
    public record Entry(int slot, int index, int level, long va, long size, long descriptor, DescriptorKind kind) {
        /** Bits 47:12 of the descriptor: the output address of a leaf, the next table's PA for a table. */
        public long outputAddress() {
            return DescriptorKind.outputAddress(descriptor);
        }

        /** Every bit of the descriptor outside bits 47:12. */
        public long flagBits() {
            return descriptor & ~Geometry.OUTPUT_ADDRESS_MASK;
        }

        /** A broken rule at this entry, its descriptor shown in {@code profile}'s Debug text. */
        Violation violation(String rule, String message, CrateProfile profile) {
            return new Violation(rule, slot, index, level, va, descriptor, message, profile.descriptorDebug(descriptor));
        }
    }

    /**
     * The whole structure.
     *
     * @param image the image
     * @param tables reachable tables in walk order (root first, depth-first)
     * @param entries non-zero entries of reachable tables, in walk order
     * @param violations structural problems found on the way
     * @param bySlot the reachable tables by slot
     * @param profile the crate version the image is read with (for the crate's view of descriptors)
     * @param config the MMU configuration it was walked with (output size, MAIR: the memory types)
     */
    public record Structure(TableImage image, List<Table> tables, List<Entry> entries, List<Violation> violations,
            Map<Integer, Table> bySlot, CrateProfile profile, MmuConfig config) {
        /** The reachable table in {@code slot}, or null. */
        public Table tableAt(int slot) {
            return bySlot.get(slot);
        }
    }

    /**
     * The structure of {@code image} with its own MMU configuration ({@link TableImage#mmuConfig()}), read with
     * {@code profile}'s view of descriptors.
     */
    public static Structure walk(TableImage image, CrateProfile profile) {
        return walk(image, image.mmuConfig(), profile);
    }

    /**
     * The structure of {@code image} as the MMU configured by {@code config} walks it, read with {@code profile}'s
     * view of descriptors.
     */
    public static Structure walk(TableImage image, MmuConfig config, CrateProfile profile) {
        List<Table> tables = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        Map<Integer, Table> bySlot = new HashMap<>();
        Walker.traverse(image, config, image.paOfSlot(image.rootSlot()), new TableVisitor() {
            @Override
            public void rootNotFollowed(long rootPa, int level, NotFollowed why) {
                // Only ADDRESS_SIZE: the root slot is in the image.
                violations.add(new Violation("root-beyond-output-size", image.rootSlot(), -1, level,
                        config.vaBase(), 0, "the root table at " + Violation.hex(rootPa) + " is at or above the "
                        + config.effectiveOutputBits() + "-bit output address size: every walk is an Address size "
                        + "fault at level 0", "TTBR BADDR " + Violation.hex(rootPa)));
            }

            @Override
            public void enterTable(long pa, int level, long baseVa, long parentPa, int parentIndex) {
                Table t = new Table(image.slotOf(pa), level, baseVa, parentPa < 0 ? -1 : image.slotOf(parentPa),
                        parentIndex);
                tables.add(t);
                bySlot.put(t.slot(), t);
            }

            @Override
            public void entry(long tablePa, int index, int level, long va, long descriptor, DescriptorKind kind) {
                entries.add(new Entry(image.slotOf(tablePa), index, level, va, Geometry.granularityAtLevel(level),
                        descriptor, kind));
            }

            @Override
            public void notFollowed(long tablePa, int index, int level, long va, long descriptor, NotFollowed why,
                    long otherParentPa, int otherParentIndex) {
                Entry e = entries.getLast();
                long target = DescriptorKind.outputAddress(descriptor);
                violations.add(switch (why) {
                    case OUTSIDE_MEMORY -> e.violation("pointer-outside-image",
                            "table descriptor points at " + Violation.hex(target) + ", outside the image", profile);
                    case ADDRESS_SIZE -> e.violation("pointer-beyond-output-size", "table descriptor points at "
                            + Violation.hex(target) + ", at or above the " + config.effectiveOutputBits()
                            + "-bit output address size: the MMU raises an Address size fault at level " + level,
                            profile);
                    case CYCLE -> e.violation("cycle", "table descriptor points back at slot "
                            + image.slotOf(target) + ", a table on its own path", profile);
                    case SHARED -> e.violation("shared-table", "slot " + image.slotOf(target)
                            + " is also reached from slot " + image.slotOf(otherParentPa) + " index "
                            + otherParentIndex, profile);
                });
            }
        });
        return new Structure(image, List.copyOf(tables), List.copyOf(entries), List.copyOf(violations),
                Map.copyOf(bySlot), profile, config);
    }
}
