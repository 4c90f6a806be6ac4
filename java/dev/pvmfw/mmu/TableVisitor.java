package dev.pvmfw.mmu;

/**
 * What {@link Walker#traverse} reports, in walk order: each reachable table once (depth first, entries in index
 * order), each of its non-zero entries, each table descriptor it did not follow, and a root it could not read. Every
 * method has an empty default, so a visitor overrides what it needs.
 */
public interface TableVisitor {

    /** Why a table descriptor was not followed. */
    enum NotFollowed {
        /** It points at memory that holds no table. */
        OUTSIDE_MEMORY,
        /** It points back at a table on its own path (a cycle). */
        CYCLE,
        /** It points at a table already entered from another entry (a shared table). */
        SHARED,
        /** Its address is at or above the output address size (the MMU raises an Address size fault). */
        ADDRESS_SIZE,
    }

    /**
     * The root itself was not followed: {@code rootPa} is at or above the output address size
     * ({@link NotFollowed#ADDRESS_SIZE}; the walk of any VA is an Address size fault at level 0), or the memory holds
     * no table there ({@link NotFollowed#OUTSIDE_MEMORY}; the walk faults at the root level). Then nothing else is
     * reported.
     *
     * @param rootPa the root table's PA
     * @param level the root level
     * @param why why
     */
    default void rootNotFollowed(long rootPa, int level, NotFollowed why) {}

    /**
     * A table, entered: the root first, then each table as the descriptor pointing at it is met.
     *
     * @param pa the table's physical address
     * @param level its level
     * @param baseVa the first VA it translates
     * @param parentPa the PA of the table pointing at it, or -1 for the root
     * @param parentIndex the index of that descriptor, or -1 for the root
     */
    default void enterTable(long pa, int level, long baseVa, long parentPa, int parentIndex) {}

    /** The table at {@code pa} is done (all its entries and subtables reported). */
    default void exitTable(long pa, int level) {}

    /**
     * A non-zero entry of a reachable table, before its subtable (if any) is entered.
     *
     * @param tablePa the PA of its table
     * @param index its index
     * @param level its table's level
     * @param va the first VA it covers
     * @param descriptor its value
     * @param kind what it is to the MMU
     */
    default void entry(long tablePa, int index, int level, long va, long descriptor, DescriptorKind kind) {}

    /**
     * A table descriptor that was not followed.
     *
     * @param tablePa the PA of its table
     * @param index its index
     * @param level its table's level
     * @param va the first VA it covers
     * @param descriptor its value
     * @param why why
     * @param otherParentPa for {@link NotFollowed#SHARED}: the PA of the table that reached the target first; else -1
     * @param otherParentIndex for {@link NotFollowed#SHARED}: that table's index; else -1
     */
    default void notFollowed(long tablePa, int index, int level, long va, long descriptor, NotFollowed why,
            long otherParentPa, int otherParentIndex) {}
}
