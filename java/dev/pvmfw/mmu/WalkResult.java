package dev.pvmfw.mmu;

import dev.pvmfw.paging.Geometry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a stage-1 walk of one virtual address found ({@link Walker#walk}, {@link Walker#access}): the descriptor read
 * at each level, then either the {@link Translated leaf} or the {@link Faulted fault} the MMU raises, with its kind and
 * level as the fault status code carries them (the structured result of QEMU's {@code target/arm/ptw.c}).
 *
 * <p>A walk result is a snapshot of the descriptors at the time of the walk; it never changes the tables.
 */
public sealed interface WalkResult permits WalkResult.Translated, WalkResult.Faulted {

    /** The descriptors read, from the root level down, in walk order. */
    List<Step> steps();

    /** Whether the walk ended in a usable leaf. */
    default boolean isTranslated() {
        return this instanceof Translated;
    }

    /** The leaf, if the walk ended in one. */
    default Optional<Leaf> leafIfTranslated() {
        return this instanceof Translated t ? Optional.of(t.leaf()) : Optional.empty();
    }

    /**
     * One descriptor read by the walk.
     *
     * @param level the table's level (0..3)
     * @param index the entry's index in that table (0..511)
     * @param descriptor the raw 64-bit descriptor
     */
    record Step(int level, int index, long descriptor) {
        @Override
        public String toString() {
            return "L" + level + "[" + index + "] = 0x" + Long.toHexString(descriptor);
        }
    }

    /**
     * A valid block or page descriptor and what it translates to.
     *
     * @param level 3 for a page, 1 or 2 for a block
     * @param va the virtual address looked up (for {@link Walker#validLeaves}: the first address the leaf maps)
     * @param pa the output address for {@code va}: the descriptor's output address, aligned down to the leaf size,
     *     plus the offset of {@code va} in the leaf
     * @param descriptor the raw leaf descriptor
     */
    record Leaf(int level, long va, long pa, long descriptor) {
        /** Bytes mapped by the leaf: 4 KiB at level 3, 2 MiB at 2, 1 GiB at 1. */
        public long size() {
            return Geometry.granularityAtLevel(level);
        }

        /** The attribute bits (everything outside bits 47:12), raw. */
        public long attributeBits() {
            return descriptor & ~DescriptorKind.OUTPUT_ADDRESS_MASK;
        }

        /** AttrIndx, descriptor bits 4:2 (the MAIR slot of the memory type). */
        public int attrIndx() {
            return (int) (descriptor >>> 2) & 0b111;
        }

        @Override
        public String toString() {
            return "Leaf[L" + level + " va=0x" + Long.toHexString(va) + " pa=0x" + Long.toHexString(pa) + " 0x"
                    + Long.toHexString(descriptor) + "]";
        }
    }

    /** What stopped a walk or refused an access (Arm ARM DDI 0487, D8.15 "Memory fault handling"). */
    enum FaultKind {
        /**
         * A translation fault: the VA is outside the ranges of the table, or TnSZ is out of range for the core
         * (both reported at level 0), or the walk met an invalid descriptor (bit 0 clear), a reserved level-3
         * descriptor ({@code 0b01}), or a level-0 block.
         */
        TRANSLATION,
        /** A leaf with AF (bit 10) clear and hardware Access flag management off (HA = 0, or no FEAT_HAFDBS). */
        ACCESS_FLAG,
        /**
         * The leaf and the table descriptors above it do not allow the access: a write to a leaf with AP[2] set
         * (unless the hardware manages dirty state: HD with DBM) or under a table descriptor with APTable[1] set; an
         * EL0 access to a leaf without AP[1] or under APTable[0]; an instruction fetch under PXN/PXNTable (EL1, and
         * from memory EL0 may write) or UXN/UXNTable (EL0). Reported at the leaf's level.
         */
        PERMISSION,
        /** An output or next-table address at or above the output address size. */
        ADDRESS_SIZE,
        /**
         * A table descriptor pointed at memory that holds no table, and the machine has nothing there: a synchronous
         * external abort on the translation table walk, reported at the level that could not be read.
         */
        EXTERNAL_ABORT_ON_WALK,
        /**
         * The translation succeeded but the machine has nothing at the output address: a synchronous external abort
         * on the access itself (DFSC 0b010000, which carries no level; {@link Faulted#level()} is the leaf's).
         */
        EXTERNAL_ABORT,
    }

    /** Bits 62:59 of a table descriptor: APTable[1:0] (62:61), UXNTable (60), PXNTable (59). */
    long HIERARCHICAL_BITS = 0xfL << 59;

    /**
     * The hierarchical attributes the walk collected: bits 62:59 of every table descriptor it went through, OR-ed
     * (a bit set at any level applies below it; Arm ARM DDI 0487, D8.4.2 "Hierarchical control of data access
     * permissions"). For a walk that faulted, those above the fault.
     */
    default long hierarchicalAttributes() {
        long bits = 0;
        List<Step> s = steps();
        for (Step step : s) {
            if (DescriptorKind.of(step.descriptor(), step.level()) == DescriptorKind.TABLE) {
                bits |= step.descriptor() & HIERARCHICAL_BITS;
            }
        }
        return bits;
    }

    /**
     * The walk found a usable leaf.
     *
     * @param steps every descriptor read, the leaf's last
     * @param leaf the leaf
     */
    record Translated(List<Step> steps, Leaf leaf) implements WalkResult {
        /** A translation; {@code steps} is copied. */
        public Translated {
            steps = List.copyOf(steps);
            Objects.requireNonNull(leaf);
        }
    }

    /**
     * The walk faulted.
     *
     * @param steps the descriptors read before the fault (the offending one last; none for an out-of-range VA)
     * @param kind why
     * @param level the level reported in the fault status code (DFSC bits 1:0)
     */
    record Faulted(List<Step> steps, FaultKind kind, int level) implements WalkResult {
        /** A fault; {@code steps} is copied. */
        public Faulted {
            steps = List.copyOf(steps);
            Objects.requireNonNull(kind);
        }
    }
}
