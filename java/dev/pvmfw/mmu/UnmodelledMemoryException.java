package dev.pvmfw.mmu;

/**
 * A walk read a translation table from memory whose contents the configuration does not model
 * ({@link PhysicalMap.Contents#UNKNOWN}: device registers, RAM in use by someone else). The hardware would read
 * whatever is there; the model cannot say what that is, so it says so rather than guess.
 */
public final class UnmodelledMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The table's PA. */
    private final long pa;
    /** The level the walk would read it at. */
    private final int level;
    private final transient PhysicalMap.Region region;

    /**
     * The walk would read the table at {@code pa} (level {@code level}) in {@code region}.
     *
     * @param pa the table's PA
     * @param level the level the walk would read it at
     * @param region the region
     */
    public UnmodelledMemoryException(long pa, int level, PhysicalMap.Region region) {
        super("the walk reads a level-" + level + " table at 0x" + Long.toHexString(pa) + ", in " + region
                + ": its contents are not modelled");
        this.pa = pa;
        this.level = level;
        this.region = region;
    }

    /** The PA of the table the walk would read. */
    public long pa() {
        return pa;
    }

    /** The level it would read it at. */
    public int level() {
        return level;
    }

    /** The region it lies in. */
    public PhysicalMap.Region region() {
        return region;
    }
}
