package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.mmu.TableVisitor;
import dev.pvmfw.mmu.Walker;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.port.CrateProfile;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The structure of a {@link TableImage} as the MMU walks it ({@link Walker#traverse}), in slots: every reachable
 * table once, every non-zero entry, and the structural violations (a pointer outside the image or beyond the output
 * address size, a cycle, a shared table), none of which is followed, so the walk always ends.
 *
 * <p>Streaming (issue 13): {@link #walk(TableImage, MmuConfig, CrateProfile, Visitor)} reports the walk as it goes and
 * holds nothing per entry; the {@link Structure} keeps only the reachable tables (a few words per 4 KiB slot) and the
 * counts, and replays the walk ({@link Structure#forEach}) for the entries and violations, so every image command
 * runs in memory bounded by the mapped image plus a constant, whatever the number of entries.
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
     * What {@link #walk(TableImage, MmuConfig, CrateProfile, Visitor)} reports, in walk order (the root first, depth
     * first, each table's entries in index order, a subtable entered right after the entry pointing at it). Every
     * method has an empty default.
     */
    public interface Visitor {
        /**
         * A table, entered.
         *
         * @param table the table
         */
        default void enterTable(Table table) {}

        /**
         * A non-zero entry of the current table; for a table descriptor, next comes either {@link #enterTable} of
         * the table it points at (followed) or the {@link #violation} saying why it was not followed.
         *
         * @param entry the entry
         */
        default void entry(Entry entry) {}

        /**
         * A structural violation: an entry just reported not followed, or the root beyond the output size.
         *
         * @param violation the violation
         */
        default void violation(Violation violation) {}

        /**
         * The current table is done (all its entries and subtables reported).
         *
         * @param table the table
         */
        default void exitTable(Table table) {}
    }

    /**
     * The whole structure, without the entries: the reachable tables and how many entries and structural violations
     * the walk met. {@link #forEach} replays the walk for the rest.
     *
     * @param image the image
     * @param tables reachable tables in walk order (root first, depth-first)
     * @param entryCount how many non-zero entries the reachable tables have
     * @param violationCount how many structural violations the walk found
     * @param bySlot the reachable tables by slot
     * @param profile the crate version the image is read with (for the crate's view of descriptors)
     * @param config the MMU configuration it was walked with (output size, MAIR: the memory types)
     */
    public record Structure(TableImage image, List<Table> tables, long entryCount, long violationCount,
            Map<Integer, Table> bySlot, CrateProfile profile, MmuConfig config) {
        /** The reachable table in {@code slot}, or null. */
        public Table tableAt(int slot) {
            return bySlot.get(slot);
        }

        /** The walk again, reported to {@code visitor} as it goes (see {@link ImageWalk#walk(TableImage, MmuConfig,
         * CrateProfile, Visitor)}). */
        public void forEach(Visitor visitor) {
            ImageWalk.walk(image, config, profile, visitor);
        }

        /** Each non-zero entry of the reachable tables to {@code action}, in walk order, without collecting them. */
        public void forEachEntry(Consumer<Entry> action) {
            forEach(new Visitor() {
                @Override
                public void entry(Entry entry) {
                    action.accept(entry);
                }
            });
        }

        /**
         * The non-zero entries of {@code table} alone, in index order, to {@code action}: what the walk reports for
         * it (read from its slot; the subtables are not entered).
         */
        public void forEachEntryOf(Table table, Consumer<Entry> action) {
            MemorySegment slot = image.slot(table.slot());
            int entries = table.parentSlot() < 0 ? config.rootEntries() : Geometry.ENTRIES_PER_TABLE;
            long gran = Geometry.granularityAtLevel(table.level());
            long[] values = new long[entries];
            MemorySegment.copy(slot, TableLayout.DESCRIPTOR, 0, values, 0, entries); // one bulk read per table
            long[] zeros = new long[entries];
            for (int i = 0; i < entries; i++) {
                int skip = Arrays.mismatch(values, i, entries, zeros, i, entries); // past the zeros at once
                if (skip < 0) {
                    break;
                }
                i += skip;
                long d = values[i];
                action.accept(new Entry(table.slot(), i, table.level(), table.baseVa() + i * gran, gran, d,
                        DescriptorKind.of(d, table.level())));
            }
        }

        /** Every non-zero entry of the reachable tables, in walk order, collected (for small images and tests). */
        public List<Entry> entries() {
            List<Entry> out = new ArrayList<>();
            forEachEntry(out::add);
            return List.copyOf(out);
        }

        /** The structural violations, in walk order, collected (for small images and tests). */
        public List<Violation> violations() {
            List<Violation> out = new ArrayList<>();
            forEach(new Visitor() {
                @Override
                public void violation(Violation violation) {
                    out.add(violation);
                }
            });
            return List.copyOf(out);
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
     * view of descriptors: one pass, keeping the tables and the counts.
     */
    public static Structure walk(TableImage image, MmuConfig config, CrateProfile profile) {
        List<Table> tables = new ArrayList<>();
        Map<Integer, Table> bySlot = new HashMap<>();
        long[] counts = new long[2];
        walk(image, config, profile, new Visitor() {
            @Override
            public void enterTable(Table table) {
                tables.add(table);
                bySlot.put(table.slot(), table);
            }

            @Override
            public void entry(Entry entry) {
                counts[0]++;
            }

            @Override
            public void violation(Violation violation) {
                counts[1]++;
            }
        });
        return new Structure(image, List.copyOf(tables), counts[0], counts[1], Map.copyOf(bySlot), profile, config);
    }

    /**
     * Walks {@code image} as the MMU configured by {@code config} does, reporting each table, entry and structural
     * violation to {@code visitor} as it is met (see {@link Visitor} for the order), holding nothing per entry.
     */
    public static void walk(TableImage image, MmuConfig config, CrateProfile profile, Visitor visitor) {
        Walker.traverse(image, config, image.paOfSlot(image.rootSlot()), new TableVisitor() {
            /** The tables on the current path, innermost last. */
            private final List<Table> path = new ArrayList<>();
            private Entry last;

            @Override
            public void rootNotFollowed(long rootPa, int level, NotFollowed why) {
                // Only ADDRESS_SIZE: the root slot is in the image.
                visitor.violation(new Violation("root-beyond-output-size", image.rootSlot(), -1, level,
                        config.vaBase(), 0, "the root table at " + Violation.hex(rootPa) + " is at or above the "
                        + config.effectiveOutputBits() + "-bit output address size: every walk is an Address size "
                        + "fault at level 0", "TTBR BADDR " + Violation.hex(rootPa)));
            }

            @Override
            public void enterTable(long pa, int level, long baseVa, long parentPa, int parentIndex) {
                Table t = new Table(image.slotOf(pa), level, baseVa, parentPa < 0 ? -1 : image.slotOf(parentPa),
                        parentIndex);
                path.add(t);
                visitor.enterTable(t);
            }

            @Override
            public void exitTable(long pa, int level) {
                visitor.exitTable(path.removeLast());
            }

            @Override
            public void entry(long tablePa, int index, int level, long va, long descriptor, DescriptorKind kind) {
                last = new Entry(image.slotOf(tablePa), index, level, va, Geometry.granularityAtLevel(level),
                        descriptor, kind);
                visitor.entry(last);
            }

            @Override
            public void notFollowed(long tablePa, int index, int level, long va, long descriptor, NotFollowed why,
                    long otherParentPa, int otherParentIndex) {
                Entry e = last;
                long target = DescriptorKind.outputAddress(descriptor);
                visitor.violation(switch (why) {
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
    }
}
