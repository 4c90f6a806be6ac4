package dev.pvmfw.mmu;

import dev.pvmfw.paging.DescriptorBits;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.PhysicalMemory;
import dev.pvmfw.paging.internal.TableLayout;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The MMU's stage-1 translation table walk (VMSAv8-64, 4 KiB granule), side-effect free, over any
 * {@link PhysicalMemory}: a live arena, the heap behind an identity map, or a raw image. Descriptors are read with
 * the hardware's rules ({@link DescriptorKind}), not any crate's: a table is any {@code 0b11} below level 3, whatever
 * its other bits.
 *
 * <ul>
 *   <li>{@link #walk}: one VA, to its leaf or the fault a walk raises (translation, address size, external abort on
 *       the walk). A VA the table does not cover (TTBR0: at or above its size; TTBR1: below 2<sup>64</sup> − size),
 *       or any VA when TnSZ is out of range for the core, is a translation fault reported at level 0, with no
 *       descriptor read; so is a root PA at or above the output address size, as an Address size fault. The root
 *       table has {@link MmuConfig#rootEntries()} entries.</li>
 *   <li>{@link #access}: the walk, then the leaf's checks for the access (access flag, permissions with the table
 *       descriptors' hierarchical attributes), then whether the machine has anything at the output address.</li>
 *   <li>{@link #traverse}: every reachable table once, and every non-zero entry; a pointer outside the memory, back
 *       into its own path (a cycle), to a table already entered (shared) or beyond the output size is reported and
 *       not followed, so the traversal always ends, in time linear in the tables reached. For the structure of a
 *       table (the image tooling).</li>
 *   <li>{@link #validLeaves}: every leaf the walk can end in, following shared tables and cycles as the walk does.
 *       For what the hardware can reach (the guard-map check).</li>
 * </ul>
 *
 * <p>What lies where a table descriptor points at no table is the configuration's answer
 * ({@link MmuConfig#tableReadOutsideTables}: its memory map's, or {@link MmuConfig#outsideTables()} for an
 * undescribed machine), and so for a root PA at which the memory holds no table: {@link #walk} faults at the root
 * level (or reads zeros there), {@link #traverse} reports it ({@link TableVisitor#rootNotFollowed}) whatever the
 * machine has there, {@link #validLeaves} finds none. Memory whose contents the map does not know is an
 * {@link UnmodelledMemoryException} for {@link #walk} and {@link #access}; {@link #validLeaves} lists no leaf
 * through it.
 *
 * <p>Memory that is gone is not the hardware's business but a Java lifetime error ({@code docs/architecture.md},
 * "Errors"): where the memory says so ({@link PhysicalMemory#table} throws {@link MemoryLifetimeException}: an arena
 * or heap closed, a page table dropped), or where a table segment's memory has been released or is confined to
 * another thread, every method here throws {@link MemoryLifetimeException} and reports nothing as a fault.
 */
public final class Walker {
    private Walker() {}

    /**
     * Walks {@code va} from the root table at {@code rootPa}.
     *
     * @throws MemoryLifetimeException if the table memory is gone (see the class comment)
     * @throws UnmodelledMemoryException if the walk reads a table from memory whose contents the configuration's
     *     memory map does not know ({@link PhysicalMap.Contents#UNKNOWN})
     */
    public static WalkResult walk(PhysicalMemory memory, MmuConfig config, long rootPa, long va) {
        List<WalkResult.Step> steps = new ArrayList<>(4);
        if (!config.covers(va) || config.tnszOutOfRange()) {
            return new WalkResult.Faulted(steps, WalkResult.FaultKind.TRANSLATION, 0);
        }
        if (!config.fitsOutputSize(rootPa)) {
            // The table base address itself is too large: reported at level 0 whatever the root level
            // (AArch64.TranslationTableWalk; DFSC 0b000000, "level 0 of translation or translation table base").
            return new WalkResult.Faulted(steps, WalkResult.FaultKind.ADDRESS_SIZE, 0);
        }
        int rootLevel = config.rootLevel();
        MemorySegment table = tableAt(memory, config, rootPa, rootLevel);
        for (int level = rootLevel; ; level++) {
            if (table == null) {
                return new WalkResult.Faulted(steps, WalkResult.FaultKind.EXTERNAL_ABORT_ON_WALK, level);
            }
            int index = level == rootLevel ? config.rootIndex(va) : Geometry.index(va, level);
            long descriptor = read(table, index);
            steps.add(new WalkResult.Step(level, index, descriptor));
            DescriptorKind kind = DescriptorKind.of(descriptor, level);
            if (kind.faults()) {
                return new WalkResult.Faulted(steps, WalkResult.FaultKind.TRANSLATION, level);
            }
            long address = DescriptorKind.outputAddress(descriptor);
            if (!config.fitsOutputSize(address)) {
                return new WalkResult.Faulted(steps, WalkResult.FaultKind.ADDRESS_SIZE, level);
            }
            if (kind.isValidLeaf()) {
                return new WalkResult.Translated(steps, leaf(level, va, descriptor));
            }
            table = tableAt(memory, config, address, level + 1);
        }
    }

    /** 4096 zero bytes: the table a walk reads where memory reads as zero. */
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new long[Geometry.ENTRIES_PER_TABLE])
            .asReadOnly();

    /**
     * The table a walk reads at {@code pa}: the memory's, else zeros or null (an external abort) as the
     * configuration says.
     */
    private static MemorySegment tableAt(PhysicalMemory memory, MmuConfig config, long pa, int level) {
        MemorySegment table = memory.table(pa);
        if (table != null) {
            return table;
        }
        return switch (config.tableReadOutsideTables(pa)) {
            case EXTERNAL_ABORT -> null;
            case ZERO -> ZEROS;
            case UNKNOWN -> throw new UnmodelledMemoryException(pa, level,
                    config.memoryMap().regionAt(pa).orElseThrow());
        };
    }

    /**
     * {@link #access(PhysicalMemory, MmuConfig, long, long, AccessKind)} of a data access at EL1.
     *
     * @param write a store (else a load)
     * @throws MemoryLifetimeException if the table memory is gone (see the class comment)
     * @throws UnmodelledMemoryException as {@link #walk}
     */
    public static WalkResult access(PhysicalMemory memory, MmuConfig config, long rootPa, long va, boolean write) {
        return access(memory, config, rootPa, va, AccessKind.data(write));
    }

    /**
     * Walks {@code va} and checks the leaf for the access, in the architecture's order (the pseudocode
     * {@code AArch64.S1Translate}, then the access itself): the walk's faults, then the Access flag (AF clear and
     * the hardware not managing it), then permissions, then whether anything is behind the output address:
     * <ul>
     *   <li>a write needs AP[2] clear, or DBM set with the hardware managing dirty state, and no APTable[1] above the
     *       leaf;</li>
     *   <li>an EL0 access needs AP[1] set and no APTable[0] above the leaf;</li>
     *   <li>an EL1 instruction fetch needs PXN clear, no PXNTable above, and memory EL0 cannot write (AP[2:1] other
     *       than 0b01); an EL0 fetch needs UXN clear and no UXNTable above;</li>
     *   <li>a PA the configuration's memory map has nothing at is a synchronous external abort on the access
     *       ({@link WalkResult.FaultKind#EXTERNAL_ABORT}); an undescribed machine has something everywhere.</li>
     * </ul>
     * Permission faults are reported at the leaf's level, as the Access flag fault is. PSTATE.PAN, SCTLR_EL1.WXN,
     * TCR_EL1.HPDn and the memory type of a fetch are not modelled (taken as 0 and as allowing it).
     *
     * @throws MemoryLifetimeException if the table memory is gone (see the class comment)
     * @throws UnmodelledMemoryException as {@link #walk}
     */
    public static WalkResult access(PhysicalMemory memory, MmuConfig config, long rootPa, long va,
            AccessKind access) {
        Objects.requireNonNull(access);
        WalkResult walk = walk(memory, config, rootPa, va);
        if (!(walk instanceof WalkResult.Translated t)) {
            return walk;
        }
        long d = t.leaf().descriptor();
        int level = t.leaf().level();
        if ((d & AF) == 0 && !config.accessFlagManaged()) {
            return new WalkResult.Faulted(t.steps(), WalkResult.FaultKind.ACCESS_FLAG, level);
        }
        if (!permitted(d, walk.hierarchicalAttributes(), config, access)) {
            return new WalkResult.Faulted(t.steps(), WalkResult.FaultKind.PERMISSION, level);
        }
        if (!config.hasMemoryAt(t.leaf().pa())) {
            return new WalkResult.Faulted(t.steps(), WalkResult.FaultKind.EXTERNAL_ABORT, level);
        }
        return walk;
    }

    private static final long AP_TABLE_NO_EL0 = 1L << 61;
    private static final long AP_TABLE_READ_ONLY = 1L << 62;
    private static final long UXN_TABLE = 1L << 60;
    private static final long PXN_TABLE = 1L << 59;

    /** The permission checks of {@link #access} for leaf {@code d} under table attributes {@code table}. */
    static boolean permitted(long d, long table, MmuConfig config, AccessKind access) {
        boolean el0Access = (d & DescriptorBits.AP1_USER) != 0;
        boolean readOnly = (d & AP2_READ_ONLY) != 0;
        if (access.isInstructionFetch()) {
            if (access.isUnprivileged()) {
                return (d & DescriptorBits.UXN) == 0 && (table & UXN_TABLE) == 0;
            }
            boolean el0Writable = el0Access && !readOnly;
            return (d & DescriptorBits.PXN) == 0 && (table & PXN_TABLE) == 0 && !el0Writable;
        }
        if (access.isUnprivileged() && (!el0Access || (table & AP_TABLE_NO_EL0) != 0)) {
            return false;
        }
        if (access.isWrite()) {
            if ((table & AP_TABLE_READ_ONLY) != 0) {
                return false;
            }
            return !readOnly || (config.dirtyStateManaged() && (d & DBM) != 0);
        }
        return true;
    }

    /**
     * Visits every table reachable from {@code rootPa} once, depth first, and each of their non-zero entries in
     * index order; a root PA beyond the output address size, or at which the memory holds no table, is reported to
     * {@link TableVisitor#rootNotFollowed}, and nothing else is.
     *
     * @throws MemoryLifetimeException if the table memory is gone (see the class comment)
     */
    public static void traverse(PhysicalMemory memory, MmuConfig config, long rootPa, TableVisitor visitor) {
        if (!config.fitsOutputSize(rootPa)) {
            visitor.rootNotFollowed(rootPa, config.rootLevel(), TableVisitor.NotFollowed.ADDRESS_SIZE);
            return;
        }
        MemorySegment root = memory.table(rootPa);
        if (root == null) {
            visitor.rootNotFollowed(rootPa, config.rootLevel(), TableVisitor.NotFollowed.OUTSIDE_MEMORY);
            return;
        }
        new Traversal(memory, config, visitor).visit(root, rootPa, config.rootLevel(), config.vaBase(), -1, -1,
                config.rootEntries());
    }

    /**
     * Every leaf the hardware would use, in ascending VA order: valid pages at level 3 and valid blocks at levels 1–2,
     * each with the first VA it maps; exactly the leaves {@link #walk} ends in, for every VA the table covers.
     *
     * <p>Unlike {@link #traverse}, this follows every table descriptor the way the walk does: a table reached from
     * several entries (shared) is read again at each entry's VA, and a descriptor pointing back at a table on its own
     * path (a cycle) is followed too, as the hardware does, which reads that table again one level further down. Each
     * table descriptor followed goes one level down, so no path is longer than the four levels and this always ends;
     * its time is proportional to the tables read along all paths (a table shared n ways is read n times).
     *
     * @throws MemoryLifetimeException if the table memory is gone (see the class comment)
     */
    public static List<WalkResult.Leaf> validLeaves(PhysicalMemory memory, MmuConfig config, long rootPa) {
        List<WalkResult.Leaf> out = new ArrayList<>();
        forEachValidLeaf(memory, config, rootPa, out::add);
        return out;
    }

    /**
     * {@link #validLeaves}, one leaf at a time, without collecting them.
     *
     * @throws MemoryLifetimeException if the table memory is gone (see the class comment)
     */
    public static void forEachValidLeaf(PhysicalMemory memory, MmuConfig config, long rootPa,
            Consumer<WalkResult.Leaf> action) {
        Objects.requireNonNull(action);
        if (config.tnszOutOfRange()) {
            return; // every walk faults at level 0
        }
        MemorySegment root = config.fitsOutputSize(rootPa) ? memory.table(rootPa) : null;
        if (root != null) {
            leaves(memory, config, root, config.rootLevel(), config.vaBase(), config.rootEntries(), action);
        }
    }

    /** The leaves under {@code table}, read at {@code level} for the VAs from {@code baseVa}: the walk's rules. */
    private static void leaves(PhysicalMemory memory, MmuConfig config, MemorySegment table, int level, long baseVa,
            int entries, Consumer<WalkResult.Leaf> action) {
        long gran = Geometry.granularityAtLevel(level);
        for (int i = 0; i < entries; i++) {
            long d = read(table, i);
            DescriptorKind kind = DescriptorKind.of(d, level);
            if (kind.faults() || !config.fitsOutputSize(DescriptorKind.outputAddress(d))) {
                continue;
            }
            long va = baseVa + i * gran;
            if (kind.isValidLeaf()) {
                action.accept(leaf(level, va, d));
            } else {
                // Memory with no table holds no leaf: an external abort, or zeros (invalid descriptors).
                MemorySegment next = memory.table(DescriptorKind.outputAddress(d));
                if (next != null) {
                    leaves(memory, config, next, level + 1, va, Geometry.ENTRIES_PER_TABLE, action);
                }
            }
        }
    }

    private static final long AF = DescriptorBits.AF;
    private static final long AP2_READ_ONLY = DescriptorBits.AP2_READ_ONLY;
    private static final long DBM = DescriptorBits.DBM;

    /**
     * One descriptor. An FFM failure is a lifetime error where the memory is known to be gone (released, or confined
     * to another thread); any other propagates.
     */
    private static long read(MemorySegment table, int index) {
        try {
            return TableLayout.read(table, index);
        } catch (WrongThreadException | IllegalStateException e) {
            throw lifetime(table, e);
        }
    }

    /** Descriptors 0..{@code count - 1} of {@code table} into {@code into}; failures as {@link #read}'s. */
    private static void readAll(MemorySegment table, long[] into, int count) {
        try {
            MemorySegment.copy(table, TableLayout.DESCRIPTOR, 0, into, 0, count);
        } catch (WrongThreadException | IllegalStateException e) {
            throw lifetime(table, e);
        }
    }

    /** {@code e}, met reading {@code table}, as a lifetime error where the memory is known to be gone, else itself. */
    private static RuntimeException lifetime(MemorySegment table, RuntimeException e) {
        if (e instanceof WrongThreadException) {
            return new MemoryLifetimeException(MemoryLifetimeException.Kind.WRONG_THREAD,
                    "the table memory is confined to another thread", e);
        }
        if (!table.scope().isAlive()) {
            return new MemoryLifetimeException(MemoryLifetimeException.Kind.CLOSED,
                    "the table memory has been released", e);
        }
        return e;
    }

    private static WalkResult.Leaf leaf(int level, long va, long descriptor) {
        long size = Geometry.granularityAtLevel(level);
        long pa = (DescriptorKind.outputAddress(descriptor) & ~(size - 1)) | (va & (size - 1));
        return new WalkResult.Leaf(level, va, pa, descriptor);
    }

    /** 512 zero descriptors, to find the next non-zero one with {@link Arrays#mismatch}. */
    private static final long[] NO_DESCRIPTORS = new long[Geometry.ENTRIES_PER_TABLE];

    /** One traversal's state: the tables entered (with who pointed at them) and the current path. */
    private record Traversal(PhysicalMemory memory, MmuConfig config, TableVisitor visitor, Map<Long, long[]> entered,
            Set<Long> onPath, long[][] copies) {
        Traversal(PhysicalMemory memory, MmuConfig config, TableVisitor visitor) {
            this(memory, config, visitor, new HashMap<>(), new HashSet<>(),
                    new long[Geometry.LEAF_LEVEL + 1][Geometry.ENTRIES_PER_TABLE]);
        }

        void visit(MemorySegment table, long pa, int level, long baseVa, long parentPa, int parentIndex,
                int entries) {
            entered.put(pa, new long[] {parentPa, parentIndex});
            onPath.add(pa);
            visitor.enterTable(pa, level, baseVa, parentPa, parentIndex);
            long gran = Geometry.granularityAtLevel(level);
            // The table's descriptors in one bulk read (one FFM access per table, not per entry: the traversal of a
            // large image is mostly scanning zeros); one buffer per level, as a subtable is entered mid-loop.
            // The zeros between non-zero entries are skipped by Arrays.mismatch (a vectorized intrinsic), so a
            // sparse table costs a few steps, not 512, even before the JIT compiles this loop.
            long[] values = copies[level];
            readAll(table, values, entries);
            for (int i = 0; i < entries; i++) {
                int skip = Arrays.mismatch(values, i, entries, NO_DESCRIPTORS, i, entries);
                if (skip < 0) {
                    break;
                }
                i += skip;
                long d = values[i];
                DescriptorKind kind = DescriptorKind.of(d, level);
                long va = baseVa + i * gran;
                visitor.entry(pa, i, level, va, d, kind);
                if (kind != DescriptorKind.TABLE) {
                    continue;
                }
                long target = DescriptorKind.outputAddress(d);
                long[] other = entered.get(target);
                if (!config.fitsOutputSize(target)) {
                    visitor.notFollowed(pa, i, level, va, d, TableVisitor.NotFollowed.ADDRESS_SIZE, -1, -1);
                } else if (onPath.contains(target)) {
                    visitor.notFollowed(pa, i, level, va, d, TableVisitor.NotFollowed.CYCLE, -1, -1);
                } else if (other != null) {
                    visitor.notFollowed(pa, i, level, va, d, TableVisitor.NotFollowed.SHARED, other[0],
                            (int) other[1]);
                } else {
                    MemorySegment next = memory.table(target);
                    if (next == null) {
                        visitor.notFollowed(pa, i, level, va, d, TableVisitor.NotFollowed.OUTSIDE_MEMORY, -1, -1);
                    } else {
                        visit(next, target, level + 1, va, pa, i, Geometry.ENTRIES_PER_TABLE);
                    }
                }
            }
            onPath.remove(pa);
            visitor.exitTable(pa, level);
        }
    }
}
