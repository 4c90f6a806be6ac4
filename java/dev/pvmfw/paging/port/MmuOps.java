package dev.pvmfw.paging.port;

import dev.pvmfw.paging.PhysicalMemory;
import dev.pvmfw.paging.VaRange;
import java.util.OptionalLong;

/**
 * pvmfw's page table as its memory tracker uses it, whatever aarch64-paging release is underneath: the port between
 * a pvmfw era and a crate version, in the shape of libvmbase's {@code MmuOps} (2025; before it, pvmfw's
 * {@code mmu::PageTable}, {@code b99905d3:pvmfw/src/mmu.rs}). Each crate version implements it once (its
 * {@link CrateProfile#newPvmfwPageTable}); each era is written once against it.
 *
 * <p>The table is an identity map, root level 1, lower VA range (TTBR0_EL1), ASID 1. Each {@code map*} method maps
 * {@code start..end} (a Rust {@code Range<usize>}, rounded out to 4 KiB by {@code MemoryRegion::new}) with one of
 * pvmfw's attribute sets, whose bits follow the crate version (0.4.0: {@code NORMAL}, {@code DEVICE_NGNRE},
 * {@code EXECUTE_NEVER}; later releases: attribute indexes, shareability, UXN); every device set carries
 * {@link PteFlags#SWFLAG_0}, pvmfw's {@code MMIO_LAZY_MAP_FLAG}.
 *
 * <p>Errors: each map and {@link #modifyRange} fails with {@link MmuOpsException} carrying the crate's
 * {@code MapError} (its Display and Debug text), exactly when the crate's call returns {@code Err}; the crate's and the
 * translation's panics propagate as {@code CratePanic}s. Not thread-safe (pvmfw holds it under its memory lock).
 */
public interface MmuOps extends AutoCloseable {

    /** {@code map_code}: read-only, executable memory. */
    void mapCode(long start, long end) throws MmuOpsException;

    /** {@code map_rodata}: read-only, never executable. */
    void mapRodata(long start, long end) throws MmuOpsException;

    /** {@code map_data}: read-write, never executable. */
    void mapData(long start, long end) throws MmuOpsException;

    /** {@code map_data_dbm}: read-only with DBM (dirty state tracked by hardware), never executable. */
    void mapDataDbm(long start, long end) throws MmuOpsException;

    /** {@code map_device}: valid device memory (Device-nGnRE), tagged SWFLAG_0. Splits any block in the way. */
    void mapDevice(long start, long end) throws MmuOpsException;

    /**
     * {@code map_device_lazy} (libvmbase 2025: {@code mark_as_lazy_device}): the device attributes without VALID, so
     * the first access faults; tagged SWFLAG_0.
     */
    void mapDeviceLazy(long start, long end) throws MmuOpsException;

    /**
     * {@code modify_range}: calls {@code visitor} on the entries of {@code start..end} with this crate version's
     * semantics (0.4.0: every entry, tables included, parent first, each with its whole range, never splitting;
     * later releases: leaves only, splitting blocks first).
     *
     * @throws MmuOpsException the crate's error: RegionBackwards, AddressRange, or PteUpdateFault when the visitor
     *     returns false (entries changed before it stay changed)
     */
    void modifyRange(long start, long end, PteVisitor visitor) throws MmuOpsException;

    /**
     * {@code activate}: records (does not perform) the TTBR0_EL1 write, {@code root_pa | ASID << 48}.
     *
     * @return the value written
     * @throws dev.pvmfw.paging.CratePanic if already active
     */
    long activate();

    /** Whether {@link #activate} ran. */
    boolean isActive();

    /** What {@link #activate} wrote to TTBR0_EL1, if it ran. */
    OptionalLong writtenTtbr0();

    /** The root table's physical address. */
    long rootPa();

    /** The root level (1 for pvmfw). */
    int rootLevel();

    /** The VA range (lower for pvmfw). */
    VaRange vaRange();

    /**
     * The memory holding the tables, read-only, for the MMU model. Once this table is closed, reading it throws
     * {@link dev.pvmfw.paging.MemoryLifetimeException} CLOSED (the tables are gone; no walk reports a fault for
     * them).
     */
    PhysicalMemory memory();

    /** The crate's {@code Debug} dump of the root table. */
    String debug();

    /** Drop: deactivates if active, then frees every table (post-order, root last). */
    @Override
    void close();
}
