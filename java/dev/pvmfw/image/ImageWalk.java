package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;

import dev.pvmfw.paging.v0_4_0.Descriptor;
import dev.pvmfw.paging.Geometry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A side-effect-free traversal of a {@link TableImage} from its root, the way the MMU walks (table descriptors by
 * their low bits, whatever the crate would think of their flags). Every table is entered once: a pointer outside the
 * image, to a table already entered (shared) or to one on the current path (a cycle) is recorded as a violation and not
 * followed, so the walk always ends.
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
        public long outputAddress() {
            return Descriptor.outputAddressOf(descriptor);
        }

        public long flagBits() {
            return descriptor & ~Descriptor.PHYSICAL_ADDRESS_BITMASK;
        }
    }

    /**
     * The whole structure.
     *
     * @param image the image
     * @param tables reachable tables in walk order (root first, depth-first)
     * @param entries non-zero entries of reachable tables, in VA order
     * @param violations structural problems found on the way
     */
    public record Structure(TableImage image, List<Table> tables, List<Entry> entries, List<Violation> violations) {
        /** The reachable table in {@code slot}, if any. */
        public Table tableAt(int slot) {
            for (Table t : tables) {
                if (t.slot() == slot) {
                    return t;
                }
            }
            return null;
        }
    }

    public static Structure walk(TableImage image) {
        List<Table> tables = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        Map<Integer, Table> entered = new HashMap<>();
        boolean[] onPath = new boolean[image.slots()];
        Table root = new Table(image.rootSlot(), image.rootLevel(), image.vaBase(), -1, -1);
        visit(image, root, tables, entries, violations, entered, onPath);
        return new Structure(image, List.copyOf(tables), List.copyOf(entries), List.copyOf(violations));
    }

    private static void visit(TableImage image, Table table, List<Table> tables, List<Entry> entries,
            List<Violation> violations, Map<Integer, Table> entered, boolean[] onPath) {
        entered.put(table.slot(), table);
        tables.add(table);
        onPath[table.slot()] = true;
        long gran = Geometry.granularityAtLevel(table.level());
        for (int i = 0; i < Geometry.ENTRIES_PER_TABLE; i++) {
            long d = image.entry(table.slot(), i);
            DescriptorKind kind = DescriptorKind.of(d, table.level());
            if (kind == DescriptorKind.ZERO) {
                continue;
            }
            long va = table.baseVa() + i * gran;
            Entry entry = new Entry(table.slot(), i, table.level(), va, gran, d, kind);
            entries.add(entry);
            if (kind != DescriptorKind.TABLE) {
                continue;
            }
            int target = image.slotOf(Descriptor.outputAddressOf(d));
            if (target < 0) {
                violations.add(Violation.at(entry, "pointer-outside-image", "table descriptor points at "
                        + Violation.hex(Descriptor.outputAddressOf(d)) + ", outside the image"));
            } else if (onPath[target]) {
                violations.add(Violation.at(entry, "cycle", "table descriptor points back at slot " + target
                        + ", a table on its own path"));
            } else if (entered.containsKey(target)) {
                Table other = entered.get(target);
                violations.add(Violation.at(entry, "shared-table", "slot " + target + " is also reached from slot "
                        + other.parentSlot() + " index " + other.parentIndex()));
            } else {
                visit(image, new Table(target, table.level() + 1, va, table.slot(), i), tables, entries, violations,
                        entered, onPath);
            }
        }
        onPath[table.slot()] = false;
    }
}
